package cognitrig_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awspinpoint"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/infra/cognitrig"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

// synthesized is one app, synthesized once and shared by the tests that
// read it.
type synthesized struct {
	app      awscdk.App
	stack    awscdk.Stack
	triggers *cognitrig.Triggers
	tmpl     template
}

// template is a synthesized CloudFormation template.
type template map[string]any

var owned = sync.OnceValues(func() (*synthesized, error) {
	app := newApp()
	stack := awscdk.NewStack(app, jsii.String("Owned"), &awscdk.StackProps{Env: env("us-east-1")})
	// Every shipped function, and a user's own functions next to them:
	// one through the pool's props, one through Bind.
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		AppName: "Example",
		UserPool: &awscognito.UserPoolProps{
			LambdaTriggers: &awscognito.UserPoolTriggers{UserMigration: userFunction(stack, "Migration")},
		},
		PreSignUp:     &cognitrig.PreSignUpProps{LinkFederatedUsers: true},
		CustomMessage: &cognitrig.CustomMessageProps{},
		Passwordless: &cognitrig.PasswordlessProps{
			EmailFrom:           "Example <no-reply@example.com>",
			SESConfigurationSet: "signin",
			OTPTTL:              awscdk.Duration_Minutes(jsii.Number(5)),
			RequirePassword:     true,
			// Accepted: the app client allows USER_SRP_AUTH.
			AllowPasswordOnlySignIn: true,
			SMSAllowedCallingCodes:  []string{"1", "44"},
		},
		PostConfirmation: &cognitrig.PostConfirmationProps{DefaultGroup: "users", CreateGroup: true},
		PreToken: &cognitrig.PreTokenProps{
			IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id"},
			AccessTokenScopesByGroup:    map[string][]string{"admins": {"api/admin", "api/write"}, "editors": {"api/write"}},
		},
		CustomSenders: &cognitrig.CustomSendersProps{Email: true, SMS: true, EmailFrom: "Example <no-reply@mail.example.com>", SMSSenderID: "Example", SMSAllowedCallingCodes: []string{"33"}},
	})
	tr.Bind(userpool.InboundFederation, userFunction(stack, "Federation"), &cognitrig.BindOptions{LambdaVersion: awscognito.LambdaVersion_V1_0})
	tr.AddAppClient("Client", nil)
	tr.UserPool().AddDomain(jsii.String("Domain"), &awscognito.UserPoolDomainOptions{
		CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: jsii.String("cognitrig-test")},
	})
	tmpl, err := synth(stack)
	if err != nil {
		return nil, err
	}
	return &synthesized{app: app, stack: stack, triggers: tr, tmpl: tmpl}, nil
})

func ownedApp(t *testing.T) *synthesized {
	t.Helper()
	s, err := owned()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLambdaConfigHasEverySlot checks that the pool holds one complete
// LambdaConfig: every shipped function, custom senders next to custom
// auth, the user's functions, and the key.
func TestLambdaConfigHasEverySlot(t *testing.T) {
	s := ownedApp(t)
	lc := s.tmpl.only(t, "AWS::Cognito::UserPool")["Properties"].(map[string]any)["LambdaConfig"].(map[string]any)
	fn := func(id string) string {
		return s.tmpl.logicalID(t, "AWS::Lambda::Function", "Triggers"+id+"Function") + ".Arn"
	}
	want := map[string]string{
		"PreSignUp":                   fn("PreSignUp"),
		"CustomMessage":               fn("CustomMessage"),
		"PostConfirmation":            fn("PostConfirmation"),
		"DefineAuthChallenge":         fn("DefineAuth"),
		"CreateAuthChallenge":         fn("CreateAuth"),
		"VerifyAuthChallengeResponse": fn("VerifyAuth"),
		"PreTokenGenerationConfig":    fn("PreToken") + " V2_0",
		"UserMigration":               "arn:aws:lambda:us-east-1:123456789012:function:Migration",
		"CustomEmailSender":           fn("CustomEmailSender") + " V1_0",
		"CustomSMSSender":             fn("CustomSMSSender") + " V1_0",
		"InboundFederation":           "arn:aws:lambda:us-east-1:123456789012:function:Federation V1_0",
		"KMSKeyID":                    s.tmpl.logicalID(t, "AWS::KMS::Key") + ".Arn",
	}
	if got := lambdaConfigSummary(lc); jsonOf(got) != jsonOf(want) {
		t.Errorf("LambdaConfig\n got %v\nwant %v", got, want)
	}
}

// lambdaConfigSummary writes each member of a LambdaConfig as its ARN
// (GetAtt as id.Arn), and its LambdaVersion after a space.
func lambdaConfigSummary(lc map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range lc {
		if m, ok := v.(map[string]any); ok && m["LambdaArn"] != nil {
			out[k] = refs(m["LambdaArn"]) + " " + fmt.Sprint(m["LambdaVersion"])
		} else {
			out[k] = refs(v)
		}
	}
	return out
}

func TestInvokePermissions(t *testing.T) {
	s := ownedApp(t)
	pool := s.tmpl.logicalID(t, "AWS::Cognito::UserPool")
	perms := s.tmpl.ofType("AWS::Lambda::Permission")
	var fns []string
	for _, p := range perms {
		props := p["Properties"].(map[string]any)
		fns = append(fns, getAttArn(props["FunctionName"]))
		if props["Principal"] != "cognito-idp.amazonaws.com" || props["Action"] != "lambda:InvokeFunction" ||
			getAttArn(props["SourceArn"]) != pool+".Arn" || jsonOf(props["SourceAccount"]) != `"123456789012"` {
			t.Errorf("permission %v: want cognito-idp.amazonaws.com with the pool's ARN and account as source", props)
		}
	}
	slices.Sort(fns)
	if len(fns) != 11 {
		t.Errorf("got permissions for %v, want one for each of the 11 bound functions", fns)
	}
}

// TestCustomSenderKey checks the key the construct creates for the
// custom senders: symmetric, rotated, and usable by Cognito for the
// account's pools in the stack's region only.
func TestCustomSenderKey(t *testing.T) {
	s := ownedApp(t)
	if s.triggers.CustomSenderKey() == nil {
		t.Error("CustomSenderKey() = nil, want the key the construct created")
	}
	props := s.tmpl.only(t, "AWS::KMS::Key")["Properties"].(map[string]any)
	if props["EnableKeyRotation"] != true || props["KeySpec"] != nil {
		t.Errorf("key EnableKeyRotation %v, KeySpec %v; want rotation, and the default symmetric key", props["EnableKeyRotation"], props["KeySpec"])
	}
	want := `{"Action":["kms:CreateGrant","kms:Encrypt"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:*:cognito-idp:us-east-1:123456789012:userpool/*"},"StringEquals":{"aws:SourceAccount":"123456789012"}},"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Resource":"*","Sid":"CognitoEncryptsCodes"}`
	if got := cognitoKeyStatement(t, props); got != want {
		t.Errorf("key policy statement for Cognito\n got %s\nwant %s", got, want)
	}
}

// cognitoKeyStatement returns the key policy statement of a key's
// properties whose principal is Cognito, with its ARNs written by refs;
// it fails the test unless the policy has that statement and the
// account's own.
func cognitoKeyStatement(t *testing.T, keyProps map[string]any) string {
	t.Helper()
	stmts := keyProps["KeyPolicy"].(map[string]any)["Statement"].([]any)
	if len(stmts) != 2 {
		t.Errorf("the key policy has %d statements, want the account's and Cognito's: %s", len(stmts), jsonOf(stmts))
	}
	for _, st := range stmts {
		st := st.(map[string]any)
		if jsonOf(st["Principal"]) != `{"Service":"cognito-idp.amazonaws.com"}` {
			continue
		}
		cond := st["Condition"].(map[string]any)["ArnLike"].(map[string]any)
		cond["aws:SourceArn"] = refs(cond["aws:SourceArn"])
		return jsonOf(st)
	}
	t.Errorf("the key policy has no statement for cognito-idp.amazonaws.com: %s", jsonOf(stmts))
	return ""
}

func TestIAMLeastPrivilege(t *testing.T) {
	s := ownedApp(t)
	pool := s.tmpl.logicalID(t, "AWS::Cognito::UserPool") + ".Arn"
	table := s.tmpl.logicalID(t, "AWS::DynamoDB::Table") + ".Arn"
	key := s.tmpl.logicalID(t, "AWS::KMS::Key") + ".Arn"
	logs := func(fn string) stmt {
		return stmt{`["logs:CreateLogStream","logs:PutLogEvents"]`, "[" + s.tmpl.logicalID(t, "AWS::Logs::LogGroup", "Triggers"+fn+"Logs") + ".Arn]"}
	}
	sns := stmt{`"sns:Publish"`, "NotResource:arn:*:sns:*:*:*"}
	for _, tc := range []struct {
		fn   string
		want []stmt
	}{
		{"PreSignUp", []stmt{
			{`["cognito-idp:ListUsers","cognito-idp:ListIdentityProviders","cognito-idp:AdminLinkProviderForUser"]`, "[" + pool + "]"},
			logs("PreSignUp"),
		}},
		{"CustomMessage", []stmt{logs("CustomMessage")}},
		{"DefineAuth", []stmt{logs("DefineAuth")}},
		{"VerifyAuth", []stmt{logs("VerifyAuth")}},
		{"CreateAuth", []stmt{
			{`["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem"]`, "[" + table + "]"},
			logs("CreateAuth"),
			{`"secretsmanager:GetSecretValue"`, "[" + s.tmpl.logicalID(t, "AWS::SecretsManager::Secret") + "]"},
			{`"ses:SendEmail"`, "[arn:*:ses:us-east-1:123456789012:identity/no-reply@example.com arn:*:ses:us-east-1:123456789012:identity/example.com arn:*:ses:us-east-1:123456789012:configuration-set/signin]"},
			sns,
		}},
		{"PostConfirmation", []stmt{{`"cognito-idp:AdminAddUserToGroup"`, "[" + pool + "]"}, logs("PostConfirmation")}},
		{"PreToken", []stmt{logs("PreToken")}},
		{"CustomEmailSender", []stmt{
			{`"kms:Decrypt"`, "[" + key + "]"},
			logs("CustomEmailSender"),
			{`"ses:SendEmail"`, "[arn:*:ses:us-east-1:123456789012:identity/no-reply@mail.example.com arn:*:ses:us-east-1:123456789012:identity/mail.example.com]"},
		}},
		{"CustomSMSSender", []stmt{{`"kms:Decrypt"`, "[" + key + "]"}, logs("CustomSMSSender"), sns}},
	} {
		t.Run(tc.fn, func(t *testing.T) {
			got := s.tmpl.statements(t, "Triggers"+tc.fn+"Role")
			slices.SortFunc(tc.want, func(a, b stmt) int { return strings.Compare(a.actions, b.actions) })
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("statements of the %s role:\n got %v\nwant %v", tc.fn, got, tc.want)
			}
		})
	}
}

// TestNoDependencyCycle checks that no resource depends on itself: the
// pool depends on the functions and on the key, so neither they nor
// their roles' default policies may depend on the pool.
func TestNoDependencyCycle(t *testing.T) {
	s := ownedApp(t)
	if cycle := s.tmpl.dependencyCycle(); cycle != nil {
		t.Errorf("dependency cycle: %s", strings.Join(cycle, " -> "))
	}
}

func TestAppClientForCustomAuth(t *testing.T) {
	s := ownedApp(t)
	props := s.tmpl.only(t, "AWS::Cognito::UserPoolClient")["Properties"].(map[string]any)
	// ALLOW_USER_SRP_AUTH only because the app sets both RequirePassword
	// and AllowPasswordOnlySignIn (TestAppClientAuthFlows has the rest).
	flows, _ := props["ExplicitAuthFlows"].([]any)
	slices.SortFunc(flows, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	if got, want := jsonOf(flows), `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_SRP_AUTH"]`; got != want {
		t.Errorf("ExplicitAuthFlows = %s, want %s", got, want)
	}
	if props["PreventUserExistenceErrors"] != "ENABLED" {
		t.Errorf("PreventUserExistenceErrors = %v, want ENABLED", props["PreventUserExistenceErrors"])
	}
	if v := props["AuthSessionValidity"]; v != float64(5) {
		t.Errorf("AuthSessionValidity = %v, want 5 (the code's life, OTPTTL)", v)
	}
	if _, ok := props["AllowedOAuthFlows"]; ok {
		t.Errorf("the client allows OAuth flows %v; custom auth does not use them", props["AllowedOAuthFlows"])
	}
}

func TestHostedUIWarning(t *testing.T) {
	s := ownedApp(t)
	msgs := assertions.Annotations_FromStack(s.stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("hosted UI")))
	if msgs == nil || len(*msgs) != 1 {
		t.Errorf("got warnings %v, want one about the hosted UI", msgs)
	}
}

func TestFunctionsAndAssets(t *testing.T) {
	s := ownedApp(t)
	outdir := *s.app.Outdir()
	key := s.tmpl.logicalID(t, "AWS::KMS::Key") + ".Arn"
	// Every function writes its metrics for the construct's service.
	metrics := map[string]string{"POWERTOOLS_SERVICE_NAME": "Owned-Triggers", "POWERTOOLS_METRICS_NAMESPACE": "cognitrig"}
	with := func(env map[string]string) map[string]string {
		out := maps.Clone(metrics)
		maps.Copy(out, env)
		return out
	}
	passwordless := with(map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "Example <no-reply@example.com>", "OTP_TTL": "5m0s", "REQUIRE_PASSWORD": "true",
		"SES_CONFIGURATION_SET": "signin", "SEND_THROTTLE_TABLE": s.tmpl.logicalID(t, "AWS::DynamoDB::Table"), "SMS_ALLOWED_CALLING_CODES": "1,44"})
	createAuth := with(passwordless)
	createAuth["DECOY_KEY_SECRET_ARN"] = s.tmpl.logicalID(t, "AWS::SecretsManager::Secret")
	for _, tc := range []struct {
		fn              string
		memory, timeout float64
		env             map[string]string // every variable, values written by refs
	}{
		{"PreSignUp", 128, 5, with(map[string]string{"LINK_FEDERATED_USERS": "true"})},
		{"CustomMessage", 128, 5, with(map[string]string{"APP_NAME": "Example", "EMAIL_SENDING_ACCOUNT": "COGNITO_DEFAULT", "VERIFICATION": "code"})},
		{"DefineAuth", 128, 5, passwordless},
		{"CreateAuth", 256, 5, createAuth},
		{"VerifyAuth", 128, 5, passwordless},
		{"PostConfirmation", 128, 5, with(map[string]string{"DEFAULT_GROUP": "users"})},
		{"PreToken", 128, 5, with(map[string]string{"ID_TOKEN_CLAIMS_FROM_ATTRIBUTES": "custom:tenant=tenant_id", "ACCESS_TOKEN_SCOPES_BY_GROUP": "admins=api/admin api/write;editors=api/write"})},
		{"CustomEmailSender", 256, 10, with(map[string]string{"APP_NAME": "Example", "KMS_KEY_ARN": key, "EMAIL_FROM": "Example <no-reply@mail.example.com>"})},
		{"CustomSMSSender", 256, 10, with(map[string]string{"APP_NAME": "Example", "KMS_KEY_ARN": key, "SMS_SENDER_ID": "Example", "SMS_ALLOWED_CALLING_CODES": "33"})},
	} {
		t.Run(tc.fn, func(t *testing.T) {
			r := s.tmpl.resource(t, "AWS::Lambda::Function", "Triggers"+tc.fn+"Function")
			props := r["Properties"].(map[string]any)
			if props["TracingConfig"] != nil {
				t.Errorf("function %s: TracingConfig %v, want none (PassThrough) by default", tc.fn, props["TracingConfig"])
			}
			if props["Runtime"] != "provided.al2023" || props["Handler"] != "bootstrap" || jsonOf(props["Architectures"]) != `["arm64"]` ||
				props["Timeout"] != tc.timeout || props["MemorySize"] != tc.memory {
				t.Errorf("function %s: runtime %v, handler %v, architectures %v, timeout %v, memory %v; want provided.al2023, bootstrap, arm64, %v, %v",
					tc.fn, props["Runtime"], props["Handler"], props["Architectures"], props["Timeout"], props["MemorySize"], tc.timeout, tc.memory)
			}
			env := map[string]string{}
			for k, v := range props["Environment"].(map[string]any)["Variables"].(map[string]any) {
				env[k] = refs(v)
			}
			if jsonOf(env) != jsonOf(tc.env) {
				t.Errorf("environment of %s\n got %v\nwant %v", tc.fn, env, tc.env)
			}
			lg := s.tmpl.logicalID(t, "AWS::Logs::LogGroup", "Triggers"+tc.fn+"Logs")
			if got := jsonOf(props["LoggingConfig"]); got != fmt.Sprintf(`{"LogGroup":{"Ref":"%s"}}`, lg) {
				t.Errorf("LoggingConfig = %s, want the function's own log group", got)
			}
			if days := s.tmpl.resource(t, "AWS::Logs::LogGroup", lg)["Properties"].(map[string]any)["RetentionInDays"]; days != float64(30) {
				t.Errorf("log retention %v, want 30 days", days)
			}
			meta := r["Metadata"].(map[string]any)
			if meta["aws:asset:property"] != "Code" {
				t.Errorf("aws:asset:property = %v, want Code", meta["aws:asset:property"])
			}
			path, _ := meta["aws:asset:path"].(string)
			st, err := os.Stat(filepath.Join(outdir, path, "bootstrap"))
			if err != nil || st.Mode()&0o111 == 0 {
				t.Errorf("asset %q: want an executable bootstrap in it (%v)", path, err)
			}
			entries, _ := os.ReadDir(filepath.Join(outdir, path))
			if len(entries) != 1 {
				t.Errorf("asset %q holds %d files, want only bootstrap", path, len(entries))
			}
		})
	}
	table := s.tmpl.only(t, "AWS::DynamoDB::Table")["Properties"].(map[string]any)
	if got := jsonOf([]any{table["KeySchema"], table["BillingMode"], table["TimeToLiveSpecification"]}); got != `[[{"AttributeName":"pk","KeyType":"HASH"}],"PAY_PER_REQUEST",{"AttributeName":"expires","Enabled":true}]` {
		t.Errorf("throttle table %s, want pk, on demand, TTL on expires", got)
	}
	group := s.tmpl.only(t, "AWS::Cognito::UserPoolGroup")["Properties"].(map[string]any)
	if group["GroupName"] != "users" || getRef(group["UserPoolId"]) != s.tmpl.logicalID(t, "AWS::Cognito::UserPool") {
		t.Errorf("default group %v, want users in the pool", group)
	}
	if s.triggers.DefaultGroup() == nil {
		t.Error("DefaultGroup() = nil, want the group created for PostConfirmation.CreateGroup")
	}
}

// TestSynthTimeErrors checks the problems that fail the synth. The
// construct's validation is run directly: no function is built and no
// template written.
func TestSynthTimeErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		region   string
		props    cognitrig.Props
		existing func(stack awscdk.Stack) awscognito.IUserPool // Props.ExistingUserPool
		setup    func(stack awscdk.Stack, tr *cognitrig.Triggers)
		want     []string
	}{
		{
			name: "existing pool made by this app", region: "us-east-1",
			props: cognitrig.Props{ModuleDir: fakeModule(t, "infra/userpoolbinding")},
			existing: func(stack awscdk.Stack) awscognito.IUserPool {
				return awscognito.NewUserPool(stack, jsii.String("Pool"), nil)
			},
			want: []string{"Props.ExistingUserPool is the user pool Stack/Pool, which this app creates: give its props as Props.UserPool instead"},
		},
		{
			name: "existing pool by an ARN of another service", region: "us-east-1",
			props: cognitrig.Props{ModuleDir: fakeModule(t, "infra/userpoolbinding")},
			existing: func(stack awscdk.Stack) awscognito.IUserPool {
				return awscognito.UserPool_FromUserPoolArn(stack, jsii.String("Pool"), jsii.String("arn:aws:lambda:us-east-1:123456789012:function/AbC123"))
			},
			want: []string{`Props.ExistingUserPool's ARN "arn:aws:lambda:us-east-1:123456789012:function/AbC123" is not a user pool ARN`},
		},
		{
			name: "existing pool by an ID that is not one", region: "us-east-1",
			props: cognitrig.Props{ModuleDir: fakeModule(t, "infra/userpoolbinding")},
			existing: func(stack awscdk.Stack) awscognito.IUserPool {
				return awscognito.UserPool_FromUserPoolId(stack, jsii.String("Pool"), jsii.String("AbC123"))
			},
			want: []string{`Props.ExistingUserPool's ID "AbC123" is not a user pool ID`},
		},
		{
			name: "code life from a token", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com",
				OTPTTL: awscdk.Duration_Minutes(awscdk.Token_AsNumber(awscdk.Fn_ImportValue(jsii.String("TTL"))))},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			want: []string{"Passwordless.OTPTTL must be written out in the app, not a token"},
		},
		{
			name: "slot claimed twice", region: "us-east-1",
			props: cognitrig.Props{UserPool: &awscognito.UserPoolProps{}},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(userpool.PreSignUp, userFunction(stack, "First"), nil)
				tr.Bind(userpool.PreSignUp, userFunction(stack, "Second"), nil)
			},
			want: []string{"PreSignUp is claimed twice: by Stack/First and by Stack/Second"},
		},
		{
			name: "user trigger on a shipped slot", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup")},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(userpool.PreSignUp, userFunction(stack, "Mine"), nil)
			},
			want: []string{"PreSignUp is claimed twice: by the shipped presignup function (Props.PreSignUp) and by Stack/Mine"},
		},
		{
			name: "custom sender without a key", region: "us-east-1",
			props: cognitrig.Props{},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(userpool.CustomEmailSender, userFunction(stack, "Sender"), nil)
			},
			want: []string{"CustomEmailSender needs a KMS key"},
		},
		{
			name: "ses identity in a region the pool cannot use", region: "eu-west-3",
			props: cognitrig.Props{UserPool: &awscognito.UserPoolProps{
				Email: awscognito.UserPoolEmail_WithSES(&awscognito.UserPoolSESOptions{FromEmail: jsii.String("a@example.com"), SesRegion: jsii.String("eu-west-1")}),
			}},
			want: []string{"the user pool in eu-west-3 cannot send email with the SES identity in eu-west-1"},
		},
		{
			name: "pinpoint in milan", region: "eu-south-1",
			props: cognitrig.Props{},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{Analytics: &awscognito.AnalyticsConfiguration{
					Application: awspinpoint.NewCfnApp(stack, jsii.String("Pinpoint"), &awspinpoint.CfnAppProps{Name: jsii.String("app")}),
				}})
			},
			want: []string{"eu-south-1 (Europe (Milan)) cannot use Amazon Pinpoint"},
		},
		{
			name: "pinpoint project in a region the pool cannot use", region: "ap-northeast-1",
			props: cognitrig.Props{},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				other := awscdk.NewStack(awscdk.Stage_Of(stack), jsii.String("Analytics"), &awscdk.StackProps{Env: env("eu-west-1")})
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{Analytics: &awscognito.AnalyticsConfiguration{
					Application: awspinpoint.NewCfnApp(other, jsii.String("Pinpoint"), &awspinpoint.CfnAppProps{Name: jsii.String("app")}),
				}})
			},
			want: []string{"a user pool in ap-northeast-1 cannot send analytics to the Pinpoint project in eu-west-1"},
		},
		{
			name: "session shorter than the code", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", OTPTTL: awscdk.Duration_Minutes(jsii.Number(10))},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{AuthSessionValidity: awscdk.Duration_Minutes(jsii.Number(5))})
			},
			want: []string{"app client Client: the app client's AuthSessionValidity of 5 minutes is shorter than the one-time code's life (Passwordless.OTPTTL, 10 minutes)"},
		},
		{
			name: "custom message says developer, pool says cognito", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", CustomMessage: &cognitrig.CustomMessageProps{EmailSendingAccount: "DEVELOPER"}, ModuleDir: fakeModule(t, "triggers/custommessage")},
			want:  []string{"CustomMessage.EmailSendingAccount is DEVELOPER, but the user pool sends email with COGNITO_DEFAULT"},
		},
		{
			name: "bad settings of a shipped function", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "example.com", OTPLength: 4},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			want: []string{
				"the defineauth function's settings are wrong: EMAIL_FROM=\"example.com\" is not an email address; use one such as no-reply@example.com or \"Example <no-reply@example.com>\"\nOTP_LENGTH=\"4\" is out of range; use 6 to 10 digits\n(Passwordless.EmailFrom sets EMAIL_FROM; Passwordless.OTPLength sets OTP_LENGTH)",
				`Passwordless.EmailFrom="example.com" is not an email address`,
			},
		},
		{
			name: "custom senders that send nothing", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", CustomSenders: &cognitrig.CustomSendersProps{EmailFrom: "a@example.com"}},
			want:  []string{"CustomSenders deploys neither custom sender"},
		},
		{
			name: "custom email sender without a sender", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", CustomSenders: &cognitrig.CustomSendersProps{Email: true}, ModuleDir: fakeModule(t, "triggers/customemailsender")},
			want:  []string{"the customemailsender function's settings are wrong: EMAIL_FROM is not set; set it to an address or domain verified in SES\n(CustomSenders.EmailFrom sets EMAIL_FROM)"},
		},
		{
			name: "custom email sender from a token", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", CustomSenders: &cognitrig.CustomSendersProps{Email: true, EmailFrom: *awscdk.Fn_ImportValue(jsii.String("Sender"))},
				ModuleDir: fakeModule(t, "triggers/customemailsender")},
			want: []string{"CustomSenders.EmailFrom must be written out in the app, not a token"},
		},
		{
			name: "post confirmation without a group", region: "us-east-1",
			props: cognitrig.Props{PostConfirmation: &cognitrig.PostConfirmationProps{CreateGroup: true}, ModuleDir: fakeModule(t, "triggers/postconfirmation")},
			want:  []string{"the postconfirmation function's settings are wrong: DEFAULT_GROUP", "(PostConfirmation.DefaultGroup sets DEFAULT_GROUP)"},
		},
		{
			name: "pre token version that does not exist", region: "us-east-1",
			props: cognitrig.Props{PreToken: &cognitrig.PreTokenProps{LambdaVersion: "V2"}, ModuleDir: fakeModule(t, "triggers/pretoken")},
			want:  []string{"the shipped pretoken function (Props.PreToken) binds PreTokenGenerationConfig with LambdaVersion V2; PreTokenGenerationConfig accepts V1_0, V2_0, V3_0"},
		},
		{
			name: "pre token scopes with version 1", region: "us-east-1",
			props: cognitrig.Props{PreToken: &cognitrig.PreTokenProps{LambdaVersion: awscognito.LambdaVersion_V1_0, AccessTokenScopesByGroup: map[string][]string{"admins": {"api/admin"}}},
				ModuleDir: fakeModule(t, "triggers/pretoken")},
			want: []string{"PreToken.AccessTokenScopesByGroup has no effect with PreToken.LambdaVersion V1_0"},
		},
		{
			name: "pre token version 2 on the lite plan", region: "us-east-1",
			props: cognitrig.Props{UserPool: &awscognito.UserPoolProps{FeaturePlan: awscognito.FeaturePlan_LITE}, PreToken: &cognitrig.PreTokenProps{},
				ModuleDir: fakeModule(t, "triggers/pretoken")},
			want: []string{"PreToken.LambdaVersion V2_0 needs the Essentials or Plus feature plan, but the user pool's FeaturePlan is LITE"},
		},
		{
			name: "password before the code without accepting password-only sign-in", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", RequirePassword: true},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			want: []string{"Passwordless.RequirePassword", "USER_SRP_AUTH", "gets tokens with the password alone, without the code", "Set Passwordless.AllowPasswordOnlySignIn too"},
		},
		{
			name: "pool send limit with unlimited sends", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", AllowUnlimitedSends: true, PoolSendLimit: &cognitrig.SendLimit{Count: 10, Per: awscdk.Duration_Hours(jsii.Number(1))}},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			want: []string{"the createauth function's settings are wrong", "Passwordless.AllowUnlimitedSends sets ALLOW_UNLIMITED_SENDS", "Passwordless.PoolSendLimit sets POOL_SEND_LIMIT"},
		},
		{
			name: "repair with a pool the construct creates", region: "us-east-1",
			props: cognitrig.Props{RepairDrift: true},
			want:  []string{"Props.RepairDrift applies only to the binding of an existing pool"},
		},
		{
			name: "operations props out of range", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup"), Operations: &cognitrig.OperationsProps{
				ServiceName: "my service", MetricsNamespace: "AWS/Lambda", SMSCodesPerHour: -1, WrongAnswersPer5Minutes: -1,
				SlowTrigger: awscdk.Duration_Seconds(jsii.Number(6)), CreateAlarmTopic: true,
			}},
			want: []string{
				`Operations.ServiceName (POWERTOOLS_SERVICE_NAME): service name "my service" is not`,
				`Operations.MetricsNamespace (POWERTOOLS_METRICS_NAMESPACE): namespace "AWS/Lambda" starts with AWS/`,
				"Operations.SMSCodesPerHour is -1",
				"Operations.WrongAnswersPer5Minutes is -1",
				"Operations.SlowTrigger is 6s",
			},
		},
		{
			name: "two alarm topics", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup"), Operations: &cognitrig.OperationsProps{
				AlarmTopic: awssns.Topic_FromTopicArn(awscdk.NewStack(newApp(), jsii.String("Other"), nil), jsii.String("Ops"), jsii.String("arn:aws:sns:us-east-1:123456789012:ops")), CreateAlarmTopic: true,
			}},
			want: []string{"Operations.AlarmTopic and Operations.CreateAlarmTopic both name the alarms' topic"},
		},
		{
			name: "take over with a pool the construct creates", region: "us-east-1",
			props: cognitrig.Props{TakeOverBoundSlots: true},
			want:  []string{"Props.TakeOverBoundSlots applies only to the binding of an existing pool"},
		},
		{
			name: "typed-in email marked verified next to linking", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{AutoConfirmEmailDomains: []string{"example.com"}, MarkUnprovenEmailVerified: true, LinkFederatedUsers: true},
				ModuleDir: fakeModule(t, "triggers/presignup")},
			want: []string{"the presignup function's settings are wrong", "PreSignUp.LinkFederatedUsers sets LINK_FEDERATED_USERS", "PreSignUp.MarkUnprovenEmailVerified sets MARK_UNPROVEN_EMAIL_VERIFIED"},
		},
		{
			name: "providers trusted without linking", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{TrustUnverifiedEmailProviders: []string{"MyCorp-SAML"}},
				ModuleDir: fakeModule(t, "triggers/presignup")},
			want: []string{"PreSignUp.TrustUnverifiedEmailProviders sets TRUST_UNVERIFIED_EMAIL_PROVIDERS", "PreSignUp.LinkFederatedUsers sets LINK_FEDERATED_USERS"},
		},
		{
			name: "codes by SMS without a country list", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{Channel: "sms"},
				ModuleDir: fakeModule(t, "triggers/defineauth", "triggers/createauth", "triggers/verifyauth")},
			want: []string{"the createauth function's settings are wrong", "Passwordless.SMSAllowedCallingCodes sets SMS_ALLOWED_CALLING_CODES", "Passwordless.AllowSMSToAllCountries sets SMS_ALLOW_ALL_COUNTRIES"},
		},
		{
			name: "custom SMS sender without a country list", region: "us-east-1",
			props: cognitrig.Props{AppName: "Example", CustomSenders: &cognitrig.CustomSendersProps{SMS: true}, ModuleDir: fakeModule(t, "triggers/customsmssender")},
			want:  []string{"the customsmssender function's settings are wrong", "CustomSenders.SMSAllowedCallingCodes sets SMS_ALLOWED_CALLING_CODES", "CustomSenders.AllowSMSToAllCountries sets SMS_ALLOW_ALL_COUNTRIES"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env(tc.region)})
			if tc.existing != nil {
				tc.props.ExistingUserPool = tc.existing(stack)
			}
			tr := cognitrig.NewTriggers(stack, "Triggers", &tc.props)
			if tc.setup != nil {
				tc.setup(stack, tr)
			}
			var got []string
			for _, m := range *tr.Node().Validate() {
				got = append(got, *m)
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
					t.Errorf("validation errors %q\nwant one with %q", got, w)
				}
			}
		})
	}
}

// TestExistingPoolByArn checks that a pool imported by its ARN is bound
// by that ARN, region included, and by the ID it names.
func TestExistingPoolByArn(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("eu-west-1")})
	const arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123"
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		ExistingUserPool: awscognito.UserPool_FromUserPoolArn(stack, jsii.String("Pool"), jsii.String(arn)),
		Nonce:            "n",
		PreSignUp:        &cognitrig.PreSignUpProps{},
		ModuleDir:        fakeModule(t, "triggers/presignup", "infra/userpoolbinding"),
	})
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	if got := tmpl.only(t, "Custom::CognitrigUserPoolBinding")["Properties"].(map[string]any)["UserPoolId"]; got != "eu-west-1_AbC123" {
		t.Errorf("binding UserPoolId = %v, want eu-west-1_AbC123", got)
	}
	perm := tmpl.only(t, "AWS::Lambda::Permission")["Properties"].(map[string]any)
	if perm["SourceArn"] != arn {
		t.Errorf("invoke permission SourceArn = %v, want %s", perm["SourceArn"], arn)
	}
	if got := *tr.UserPoolArn(); got != arn {
		t.Errorf("UserPoolArn() = %s, want %s", got, arn)
	}
}

// TestArchitecture checks that Props.Architecture sets both the functions'
// architecture and the GOARCH of their build.
func TestArchitecture(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
	build := t.TempDir()
	cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		Architecture: awslambda.Architecture_X86_64(),
		PreSignUp:    &cognitrig.PreSignUpProps{},
		ModuleDir:    fakeModule(t, "triggers/presignup"),
		BuildDir:     build,
	})
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	fn := tmpl.only(t, "AWS::Lambda::Function")["Properties"].(map[string]any)
	if got := jsonOf(fn["Architectures"]); got != `["x86_64"]` {
		t.Errorf("Architectures = %s, want [\"x86_64\"]", got)
	}
	if _, err := os.Stat(filepath.Join(build, "triggers-presignup-amd64", "bootstrap")); err != nil {
		t.Errorf("no amd64 build: %v", err)
	}
}

func TestMissingFunctionDirectory(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
	dir := fakeModule(t)
	defer func() {
		r := fmt.Sprint(recover())
		want := filepath.Join(dir, "infra", "userpoolbinding") + " does not exist"
		if !strings.Contains(r, want) {
			t.Errorf("NewTriggers panicked with %q, want a message with %q", r, want)
		}
	}()
	cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{ExistingUserPool: existingPool(stack, "us-east-1_AbC123"), ModuleDir: dir})
}

// TestExistingPool synthesizes the binding of an existing pool, with
// every shipped function but custom auth and the user's functions.
func TestExistingPool(t *testing.T) {
	app := newApp()
	stack := awscdk.NewStack(app, jsii.String("Existing"), &awscdk.StackProps{Env: env("eu-west-1")})
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		ExistingUserPool: existingPool(stack, "eu-west-1_AbC123"),
		AppName:          "Example",
		PreSignUp:        &cognitrig.PreSignUpProps{},
		PostConfirmation: &cognitrig.PostConfirmationProps{DefaultGroup: "users"},
		PreToken:         &cognitrig.PreTokenProps{LambdaVersion: awscognito.LambdaVersion_V3_0},
		CustomSenders:    &cognitrig.CustomSendersProps{Email: true, SMS: true, EmailFrom: "no-reply@example.com", SMSAllowedCallingCodes: []string{"353"}},
		PassRoles:        []awsiam.IRole{awsiam.Role_FromRoleArn(stack, jsii.String("SMSRole"), jsii.String("arn:aws:iam::123456789012:role/cognito-sms"), nil)},
	})
	tr.Bind(userpool.PreAuthentication, userFunction(stack, "PreAuth"), nil)
	tr.Bind(userpool.InboundFederation, userFunction(stack, "Federation"), nil)
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	props := tmpl.only(t, "Custom::CognitrigUserPoolBinding")["Properties"].(map[string]any)
	if getAttArn(props["ServiceToken"]) != tmpl.logicalID(t, "AWS::Lambda::Function", "TriggersUserPoolBindingFunction")+".Arn" {
		t.Errorf("ServiceToken = %v, want the userpoolbinding function", props["ServiceToken"])
	}
	if props["UserPoolId"] != "eu-west-1_AbC123" || props["Nonce"] == "" {
		t.Errorf("UserPoolId = %v, Nonce = %v", props["UserPoolId"], props["Nonce"])
	}
	lc := props["LambdaConfig"].(map[string]any)
	fn := func(id string) string {
		return tmpl.logicalID(t, "AWS::Lambda::Function", "Triggers"+id+"Function") + ".Arn"
	}
	key := tmpl.logicalID(t, "AWS::KMS::Key") + ".Arn"
	want := map[string]string{
		"PreSignUp":                fn("PreSignUp"),
		"PostConfirmation":         fn("PostConfirmation"),
		"PreAuthentication":        "arn:aws:lambda:eu-west-1:123456789012:function:PreAuth",
		"PreTokenGenerationConfig": fn("PreToken") + " V3_0",
		"CustomEmailSender":        fn("CustomEmailSender") + " V1_0",
		"CustomSMSSender":          fn("CustomSMSSender") + " V1_0",
		"InboundFederation":        "arn:aws:lambda:eu-west-1:123456789012:function:Federation V1_0",
		"KMSKeyID":                 key,
	}
	if got := lambdaConfigSummary(lc); jsonOf(got) != jsonOf(want) {
		t.Errorf("the binding's LambdaConfig\n got %v\nwant %v", got, want)
	}
	// The properties are what the binding function parses: with the
	// tokens written out as deployment would, they must parse to the
	// members bound here.
	deployed := map[string]any{}
	for k, v := range lc {
		switch m, _ := v.(map[string]any); {
		case k == "KMSKeyID":
			deployed[k] = "arn:aws:kms:eu-west-1:123456789012:key/k"
		case m["LambdaVersion"] != nil:
			deployed[k] = map[string]any{"LambdaArn": "arn:aws:lambda:eu-west-1:123456789012:function:" + k, "LambdaVersion": m["LambdaVersion"]}
		default:
			deployed[k] = "arn:aws:lambda:eu-west-1:123456789012:function:" + k
		}
	}
	parsed, err := binding.ParseProperties(map[string]any{"UserPoolId": props["UserPoolId"], "LambdaConfig": deployed, "Nonce": props["Nonce"]})
	if err != nil {
		t.Errorf("binding.ParseProperties: %v", err)
	}
	var bound []string
	for _, b := range parsed.Bindings {
		bound = append(bound, strings.TrimSpace(string(b.Slot)+" "+b.Version))
	}
	if got, want := strings.Join(bound, ", "), "PreSignUp, PostConfirmation, PreAuthentication, PreTokenGeneration V3_0, CustomSMSSender V1_0, CustomEmailSender V1_0, InboundFederation V1_0, KMSKeyID"; got != want {
		t.Errorf("binding.ParseProperties bound %s\nwant %s", got, want)
	}

	poolArn := "arn:*:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123"
	for _, p := range tmpl.ofType("AWS::Lambda::Permission") {
		if got := refs(p["Properties"].(map[string]any)["SourceArn"]); got != poolArn {
			t.Errorf("permission SourceArn %s, want %s", got, poolArn)
		}
	}
	// The key the construct creates for an existing pool is for that
	// pool only.
	keyWant := `{"Action":["kms:CreateGrant","kms:Encrypt"],"Condition":{"ArnLike":{"aws:SourceArn":"` + poolArn + `"},"StringEquals":{"aws:SourceAccount":"123456789012"}},"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Resource":"*","Sid":"CognitoEncryptsCodes"}`
	if got := cognitoKeyStatement(t, tmpl.only(t, "AWS::KMS::Key")["Properties"].(map[string]any)); got != keyWant {
		t.Errorf("key policy statement for Cognito\n got %s\nwant %s", got, keyWant)
	}
	for role, want := range map[string]stmt{
		"TriggersPostConfirmationRole":  {`"cognito-idp:AdminAddUserToGroup"`, "[" + poolArn + "]"},
		"TriggersCustomSMSSenderRole":   {`"kms:Decrypt"`, "[" + key + "]"},
		"TriggersCustomEmailSenderRole": {`"kms:Decrypt"`, "[" + key + "]"},
	} {
		if got := tmpl.statements(t, role); !slices.Contains(got, want) {
			t.Errorf("statements of %s %v\nwant %v among them", role, got, want)
		}
	}
	var stmts []string
	for _, p := range tmpl.ofType("AWS::IAM::Policy") {
		if strings.Contains(jsonOf(p), "UserPoolBinding") {
			for _, st := range p["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				st := st.(map[string]any)
				stmts = append(stmts, jsonOf(st["Action"])+" "+refs(st["Resource"])+" "+jsonOf(st["Condition"]))
			}
		}
	}
	for _, w := range []string{
		`["cognito-idp:DescribeUserPool","cognito-idp:UpdateUserPool","cognito-idp:TagResource","cognito-idp:UntagResource","cognito-idp:ListTagsForResource"] ` + poolArn + ` null`,
		`"iam:PassRole" arn:aws:iam::123456789012:role/cognito-sms {"StringEquals":{"iam:PassedToService":"cognito-idp.amazonaws.com"}}`,
	} {
		if !slices.Contains(stmts, w) {
			t.Errorf("binding statements %q\nwant %q", stmts, w)
		}
	}
}

// TestCustomSenderKeyGiven checks that a key given in the props becomes
// KMSKeyID and the key the senders decrypt with, that no other key is
// created, and that the given key is left as it is. No synth: the
// construct tree is resolved.
func TestCustomSenderKeyGiven(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props func(key awskms.IKey) cognitrig.Props
	}{
		{"Props.CustomSenderKMSKey", func(key awskms.IKey) cognitrig.Props {
			return cognitrig.Props{CustomSenderKMSKey: key}
		}},
		{"UserPool.CustomSenderKmsKey", func(key awskms.IKey) cognitrig.Props {
			return cognitrig.Props{UserPool: &awscognito.UserPoolProps{CustomSenderKmsKey: key}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			key := awskms.NewKey(stack, jsii.String("Mine"), nil)
			props := tc.props(key)
			props.AppName, props.ModuleDir = "Example", fakeModule(t, "triggers/customsmssender")
			props.CustomSenders = &cognitrig.CustomSendersProps{SMS: true, SMSAllowedCallingCodes: []string{"1"}}
			tr := cognitrig.NewTriggers(stack, "Triggers", &props)
			keyArn := jsonOf(stack.Resolve(key.KeyArn()))
			if tr.CustomSenderKey() != key {
				t.Errorf("CustomSenderKey() = %v, want the key given", tr.CustomSenderKey())
			}
			pool := tr.UserPool().Node().DefaultChild().(awscognito.CfnUserPool)
			if got := jsonOf(stack.Resolve(pool.LambdaConfig().(*awscognito.CfnUserPool_LambdaConfigProperty).KmsKeyId)); got != keyArn {
				t.Errorf("KMSKeyID = %s, want %s", got, keyArn)
			}
			var decrypt, keys []string
			for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
				switch c := c.(type) {
				case awsiam.CfnPolicy:
					for _, st := range stack.Resolve(c.PolicyDocument()).(map[string]any)["Statement"].([]any) {
						if st := st.(map[string]any); st["Action"] == "kms:Decrypt" {
							decrypt = append(decrypt, jsonOf(st["Resource"]))
						}
					}
				case awskms.CfnKey:
					keys = append(keys, *c.Node().Path())
				}
			}
			if jsonOf(decrypt) != jsonOf([]string{keyArn}) || jsonOf(keys) != `["Stack/Mine/Resource"]` {
				t.Errorf("kms:Decrypt on %v, keys %v; want the given key only", decrypt, keys)
			}
			if strings.Contains(jsonOf(stack.Resolve(key.Node().DefaultChild().(awskms.CfnKey).KeyPolicy())), "cognito-idp") {
				t.Error("the given key's policy was changed")
			}
		})
	}
}

// existingPool imports the user pool id into stack, as an app gives
// Props.ExistingUserPool.
func existingPool(stack awscdk.Stack, id string) awscognito.IUserPool {
	return awscognito.UserPool_FromUserPoolId(stack, jsii.String("ExistingUserPool"), jsii.String(id))
}

// newApp is an app with asset metadata, as cdk.json and infra/main.go
// enable it.
func newApp() awscdk.App {
	return awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"aws:cdk:enable-asset-metadata": true}})
}

func env(region string) *awscdk.Environment {
	return &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String(region)}
}

// userFunction is a function of the user's, imported by ARN: no asset.
func userFunction(stack awscdk.Stack, name string) awslambda.IFunction {
	return awslambda.Function_FromFunctionArn(stack, jsii.String(name), jsii.String("arn:aws:lambda:"+*stack.Region()+":123456789012:function:"+name))
}

// fakeModule is a directory that looks like this module, with the given
// package directories (empty), for tests that must not build.
func fakeModule(t *testing.T, pkgs ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+cognitrig.ModulePath+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
			t.Fatal(err)
		}
		// A main that builds, so that the construct can be created.
		if err := os.WriteFile(filepath.Join(dir, p, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// synth synthesizes the stack's app and returns the stack's template; a
// failed synth (a validation error) is an error, not a panic.
func synth(stack awscdk.Stack) (tmpl template, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synth failed: %v", r)
		}
	}()
	m := assertions.Template_FromStack(stack, nil).ToJSON()
	return template(*m), nil
}

// ofType returns the resources of a type.
func (tm template) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tm["Resources"].(map[string]any) {
		if r := r.(map[string]any); r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// logicalID returns the logical ID of the one resource of the type whose
// ID starts with prefix (any, with no prefix).
func (tm template) logicalID(t *testing.T, typ string, prefix ...string) string {
	t.Helper()
	var ids []string
	for id := range tm.ofType(typ) {
		if len(prefix) == 0 || strings.HasPrefix(id, prefix[0]) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("resources of type %s starting with %v: %v, want one", typ, prefix, ids)
	}
	return ids[0]
}

func (tm template) resource(t *testing.T, typ, prefix string) map[string]any {
	t.Helper()
	return tm.ofType(typ)[tm.logicalID(t, typ, prefix)]
}

func (tm template) only(t *testing.T, typ string) map[string]any {
	t.Helper()
	return tm.ofType(typ)[tm.logicalID(t, typ)]
}

// getAttArn returns "<logical ID>.Arn" of {"Fn::GetAtt": [id, "Arn"]}.
func getAttArn(v any) string {
	m, _ := v.(map[string]any)
	if g, ok := m["Fn::GetAtt"].([]any); ok && len(g) == 2 {
		return fmt.Sprint(g[0], ".", g[1])
	}
	return fmt.Sprint(v)
}

func getRef(v any) string {
	m, _ := v.(map[string]any)
	r, _ := m["Ref"].(string)
	return r
}

// refs writes a resolved value compactly: GetAtt as id.Attr, Refs to
// pseudo parameters as "*", Fn::Join joined, lists in brackets.
func refs(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var parts []string
		for _, p := range v {
			parts = append(parts, refs(p))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		if g, ok := v["Fn::GetAtt"]; ok {
			return getAttArn(map[string]any{"Fn::GetAtt": g})
		}
		if r, ok := v["Ref"].(string); ok {
			if strings.HasPrefix(r, "AWS::") {
				return "*"
			}
			return r
		}
		if j, ok := v["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, refs(p))
			}
			return strings.Join(parts, j[0].(string))
		}
		if n, ok := v["NotResource"]; ok {
			return "NotResource:" + refs(n)
		}
	}
	return jsonOf(v)
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// stmt is an IAM statement in short: its actions (JSON) and resources
// (refs).
type stmt struct{ actions, resources string }

// statements returns the statements of every policy of the one role
// whose logical ID starts with rolePrefix, sorted by actions.
func (tm template) statements(t *testing.T, rolePrefix string) []stmt {
	t.Helper()
	role := tm.logicalID(t, "AWS::IAM::Role", rolePrefix)
	var out []stmt
	for _, p := range tm.ofType("AWS::IAM::Policy") {
		props := p["Properties"].(map[string]any)
		if !slices.ContainsFunc(props["Roles"].([]any), func(r any) bool { return getRef(r) == role }) {
			continue
		}
		for _, st := range props["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			st := st.(map[string]any)
			r := st["Resource"]
			if r == nil {
				r = map[string]any{"NotResource": st["NotResource"]}
			} else if _, ok := r.([]any); !ok {
				r = []any{r}
			}
			out = append(out, stmt{jsonOf(st["Action"]), refs(r)})
		}
	}
	slices.SortFunc(out, func(a, b stmt) int { return strings.Compare(a.actions, b.actions) })
	return out
}

// dependencyCycle returns a cycle of resources that depend on each other
// (through DependsOn, Ref or Fn::GetAtt), or nil.
func (tm template) dependencyCycle() []string {
	resources := tm["Resources"].(map[string]any)
	deps := map[string][]string{}
	var walk func(id string, v any)
	walk = func(id string, v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(id, e)
			}
		case map[string]any:
			if r, ok := v["Ref"].(string); ok && resources[r] != nil {
				deps[id] = append(deps[id], r)
			}
			if g, ok := v["Fn::GetAtt"].([]any); ok && resources[fmt.Sprint(g[0])] != nil {
				deps[id] = append(deps[id], fmt.Sprint(g[0]))
			}
			for _, e := range v {
				walk(id, e)
			}
		}
	}
	for id, r := range resources {
		r := r.(map[string]any)
		walk(id, r["Properties"])
		switch d := r["DependsOn"].(type) {
		case string:
			deps[id] = append(deps[id], d)
		case []any:
			for _, e := range d {
				deps[id] = append(deps[id], e.(string))
			}
		}
	}
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(id string) []string
	visit = func(id string) []string {
		switch state[id] {
		case open:
			return append(path[slices.Index(path, id):], id)
		case done:
			return nil
		}
		state[id] = open
		path = append(path, id)
		for _, d := range deps[id] {
			if c := visit(d); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		return nil
	}
	for _, id := range slices.Sorted(maps.Keys(resources)) {
		if c := visit(id); c != nil {
			return c
		}
	}
	return nil
}
