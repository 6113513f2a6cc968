package cognitrig_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awspinpoint"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/infra/cognitrig"
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
	// A user's own functions, bound next to the shipped ones.
	postConfirmation := userFunction(stack, "PostConfirmation")
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		AppName: "Example",
		UserPool: &awscognito.UserPoolProps{
			LambdaTriggers: &awscognito.UserPoolTriggers{PostConfirmation: postConfirmation},
		},
		PreSignUp:     &cognitrig.PreSignUpProps{LinkFederatedUsers: true},
		CustomMessage: &cognitrig.CustomMessageProps{},
		Passwordless: &cognitrig.PasswordlessProps{
			EmailFrom:           "Example <no-reply@example.com>",
			SESConfigurationSet: "signin",
			OTPTTL:              5 * time.Minute,
			RequirePassword:     true,
			SendThrottle:        true,
		},
	})
	tr.Bind(cognitrig.SlotPreTokenGeneration, userFunction(stack, "Tokens"), &cognitrig.BindOptions{LambdaVersion: cognitrig.V2_0})
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

func TestLambdaConfigHasEverySlot(t *testing.T) {
	s := ownedApp(t)
	lc := s.tmpl.only(t, "AWS::Cognito::UserPool")["Properties"].(map[string]any)["LambdaConfig"].(map[string]any)
	want := map[string]string{
		"PreSignUp":                   "TriggersPreSignUpFunction",
		"CustomMessage":               "TriggersCustomMessageFunction",
		"DefineAuthChallenge":         "TriggersDefineAuthFunction",
		"CreateAuthChallenge":         "TriggersCreateAuthFunction",
		"VerifyAuthChallengeResponse": "TriggersVerifyAuthFunction",
		"PostConfirmation":            "arn:aws:lambda:us-east-1:123456789012:function:PostConfirmation",
	}
	for slot, fn := range want {
		if got := getAttArn(lc[slot]); !strings.HasPrefix(got, fn) {
			t.Errorf("LambdaConfig.%s = %v, want the ARN of %s…", slot, lc[slot], fn)
		}
	}
	ptg, _ := lc["PreTokenGenerationConfig"].(map[string]any)
	if ptg["LambdaArn"] != "arn:aws:lambda:us-east-1:123456789012:function:Tokens" || ptg["LambdaVersion"] != "V2_0" {
		t.Errorf("LambdaConfig.PreTokenGenerationConfig = %v, want the Tokens function with V2_0", ptg)
	}
	if len(lc) != len(want)+1 {
		t.Errorf("LambdaConfig has %d members, want %d: %v", len(lc), len(want)+1, lc)
	}
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
	if len(fns) != 7 {
		t.Errorf("got permissions for %v, want one for each of the 7 bound functions", fns)
	}
}

func TestIAMLeastPrivilege(t *testing.T) {
	s := ownedApp(t)
	pool := s.tmpl.logicalID(t, "AWS::Cognito::UserPool") + ".Arn"
	table := s.tmpl.logicalID(t, "AWS::DynamoDB::Table") + ".Arn"
	perRole := map[string][]map[string]any{} // role logical ID prefix -> statements
	for _, p := range s.tmpl.ofType("AWS::IAM::Policy") {
		props := p["Properties"].(map[string]any)
		for _, r := range props["Roles"].([]any) {
			role := r.(map[string]any)["Ref"].(string)
			for _, st := range props["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				perRole[role] = append(perRole[role], st.(map[string]any))
			}
		}
	}
	type stmt struct{ actions, resources string }
	summarize := func(role string) []stmt {
		var out []stmt
		for _, st := range perRole[s.tmpl.logicalID(t, "AWS::IAM::Role", role)] {
			r := st["Resource"]
			if r == nil {
				r = map[string]any{"NotResource": st["NotResource"]}
			} else if _, ok := r.([]any); !ok {
				r = []any{r}
			}
			out = append(out, stmt{jsonOf(st["Action"]), refs(r)})
		}
		slices.SortFunc(out, func(a, b stmt) int { return strings.Compare(a.actions, b.actions) })
		return out
	}
	logs := func(fn string) stmt {
		return stmt{`["logs:CreateLogStream","logs:PutLogEvents"]`, "[" + s.tmpl.logicalID(t, "AWS::Logs::LogGroup", "Triggers"+fn+"Logs") + ".Arn]"}
	}
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
			{`["dynamodb:GetItem","dynamodb:PutItem"]`, "[" + table + "]"},
			logs("CreateAuth"),
			{`"ses:SendEmail"`, "[arn:*:ses:us-east-1:123456789012:identity/no-reply@example.com arn:*:ses:us-east-1:123456789012:identity/example.com arn:*:ses:us-east-1:123456789012:configuration-set/signin]"},
			{`"sns:Publish"`, "NotResource:arn:*:sns:*:*:*"},
		}},
	} {
		t.Run(tc.fn, func(t *testing.T) {
			got := summarize("Triggers" + tc.fn + "Role")
			slices.SortFunc(tc.want, func(a, b stmt) int { return strings.Compare(a.actions, b.actions) })
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("statements of the %s role:\n got %v\nwant %v", tc.fn, got, tc.want)
			}
		})
	}
	// The pool depends on the functions, so no function may depend on a
	// policy that names the pool: the link policy stands alone.
	fn := s.tmpl.resource(t, "AWS::Lambda::Function", "TriggersPreSignUpFunction")
	for _, d := range fn["DependsOn"].([]any) {
		if strings.Contains(d.(string), "LinkPolicy") {
			t.Errorf("the presignup function depends on %s, which names the pool: a dependency cycle", d)
		}
	}
}

func TestAppClientForCustomAuth(t *testing.T) {
	s := ownedApp(t)
	props := s.tmpl.only(t, "AWS::Cognito::UserPoolClient")["Properties"].(map[string]any)
	flows := jsonOf(props["ExplicitAuthFlows"])
	for _, f := range []string{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"} {
		if !strings.Contains(flows, f) {
			t.Errorf("ExplicitAuthFlows = %s, want %s in it", flows, f)
		}
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
	for _, fn := range []string{"PreSignUp", "CustomMessage", "DefineAuth", "CreateAuth", "VerifyAuth"} {
		t.Run(fn, func(t *testing.T) {
			r := s.tmpl.resource(t, "AWS::Lambda::Function", "Triggers"+fn+"Function")
			props := r["Properties"].(map[string]any)
			memory := float64(128)
			if fn == "CreateAuth" {
				memory = 256
			}
			if props["Runtime"] != "provided.al2023" || props["Handler"] != "bootstrap" || jsonOf(props["Architectures"]) != `["arm64"]` ||
				props["Timeout"] != float64(5) || props["MemorySize"] != memory {
				t.Errorf("function %s: runtime %v, handler %v, architectures %v, timeout %v, memory %v; want provided.al2023, bootstrap, arm64, 5, %v",
					fn, props["Runtime"], props["Handler"], props["Architectures"], props["Timeout"], props["MemorySize"], memory)
			}
			lg := s.tmpl.logicalID(t, "AWS::Logs::LogGroup", "Triggers"+fn+"Logs")
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
	env := s.tmpl.resource(t, "AWS::Lambda::Function", "TriggersCreateAuthFunction")["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	want := map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "Example <no-reply@example.com>", "OTP_TTL": "5m0s", "REQUIRE_PASSWORD": "true", "SES_CONFIGURATION_SET": "signin"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("createauth %s = %v, want %q", k, env[k], v)
		}
	}
	if getRef(env["SEND_THROTTLE_TABLE"]) != s.tmpl.logicalID(t, "AWS::DynamoDB::Table") {
		t.Errorf("SEND_THROTTLE_TABLE = %v, want the throttle table", env["SEND_THROTTLE_TABLE"])
	}
	msgEnv := s.tmpl.resource(t, "AWS::Lambda::Function", "TriggersCustomMessageFunction")["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	if msgEnv["EMAIL_SENDING_ACCOUNT"] != "COGNITO_DEFAULT" {
		t.Errorf("custommessage EMAIL_SENDING_ACCOUNT = %v, want COGNITO_DEFAULT: the pool sends with Cognito's email", msgEnv["EMAIL_SENDING_ACCOUNT"])
	}
	table := s.tmpl.only(t, "AWS::DynamoDB::Table")["Properties"].(map[string]any)
	if got := jsonOf([]any{table["KeySchema"], table["BillingMode"], table["TimeToLiveSpecification"]}); got != `[[{"AttributeName":"pk","KeyType":"HASH"}],"PAY_PER_REQUEST",{"AttributeName":"expires","Enabled":true}]` {
		t.Errorf("throttle table %s, want pk, on demand, TTL on expires", got)
	}
}

// TestSynthTimeErrors checks the problems that fail the synth. The
// construct's validation is run directly: no function is built and no
// template written.
func TestSynthTimeErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		region string
		props  cognitrig.Props
		setup  func(stack awscdk.Stack, tr *cognitrig.Triggers)
		want   []string
	}{
		{
			name: "slot claimed twice", region: "us-east-1",
			props: cognitrig.Props{UserPool: &awscognito.UserPoolProps{}},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(cognitrig.SlotPreSignUp, userFunction(stack, "First"), nil)
				tr.Bind(cognitrig.SlotPreSignUp, userFunction(stack, "Second"), nil)
			},
			want: []string{"PreSignUp is claimed twice: by Stack/First and by Stack/Second"},
		},
		{
			name: "user trigger on a shipped slot", region: "us-east-1",
			props: cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup")},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(cognitrig.SlotPreSignUp, userFunction(stack, "Mine"), nil)
			},
			want: []string{"PreSignUp is claimed twice: by the shipped presignup function (Props.PreSignUp) and by Stack/Mine"},
		},
		{
			name: "custom sender without a key", region: "us-east-1",
			props: cognitrig.Props{},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.Bind(cognitrig.SlotCustomEmailSender, userFunction(stack, "Sender"), nil)
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
			props: cognitrig.Props{AppName: "Example", Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", OTPTTL: 10 * time.Minute},
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env(tc.region)})
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
	cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{ExistingUserPoolID: "us-east-1_AbC123", ModuleDir: dir})
}

// TestExistingPool synthesizes the binding of an existing pool.
func TestExistingPool(t *testing.T) {
	requireBinding(t)
	app := newApp()
	stack := awscdk.NewStack(app, jsii.String("Existing"), &awscdk.StackProps{Env: env("eu-west-1")})
	key := awskms.NewKey(stack, jsii.String("SenderKey"), nil)
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		ExistingUserPoolID: "eu-west-1_AbC123",
		AppName:            "Example",
		PreSignUp:          &cognitrig.PreSignUpProps{},
		PassRoleArns:       []string{"arn:aws:iam::123456789012:role/cognito-sms"},
		CustomSenderKMSKey: key,
	})
	tr.Bind(cognitrig.SlotPreTokenGeneration, userFunction(stack, "Tokens"), &cognitrig.BindOptions{LambdaVersion: cognitrig.V2_0})
	tr.Bind(cognitrig.SlotCustomEmailSender, userFunction(stack, "Sender"), nil)
	tr.Bind(cognitrig.SlotInboundFederation, userFunction(stack, "Federation"), nil)
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
	checks := map[string]string{
		"PreSignUp":                "TriggersPreSignUpFunction",
		"PreTokenGenerationConfig": `"LambdaVersion":"V2_0"`,
		"CustomEmailSender":        `"LambdaVersion":"V1_0"`,
		"InboundFederation":        `"LambdaVersion":"V1_0"`,
		"KMSKeyID":                 "SenderKey",
	}
	for k, want := range checks {
		if !strings.Contains(jsonOf(lc[k]), want) {
			t.Errorf("LambdaConfig.%s = %s, want %s in it", k, jsonOf(lc[k]), want)
		}
	}
	// The properties are what the binding function parses: with the
	// tokens written out as deployment would, they must parse to the five
	// members bound here.
	deployed := map[string]any{}
	for k, v := range lc {
		switch {
		case k == "KMSKeyID":
			deployed[k] = "arn:aws:kms:eu-west-1:123456789012:key/k"
		case strings.Contains(jsonOf(v), "LambdaVersion"):
			m := v.(map[string]any)
			deployed[k] = map[string]any{"LambdaArn": "arn:aws:lambda:eu-west-1:123456789012:function:" + k, "LambdaVersion": m["LambdaVersion"]}
		default:
			deployed[k] = "arn:aws:lambda:eu-west-1:123456789012:function:" + k
		}
	}
	parsed, err := binding.ParseProperties(map[string]any{"UserPoolId": props["UserPoolId"], "LambdaConfig": deployed, "Nonce": props["Nonce"]})
	if err != nil || len(parsed.Bindings) != 5 {
		t.Errorf("binding.ParseProperties: %d bindings, error %v; want 5 and none", len(parsed.Bindings), err)
	}

	poolArn := "arn:*:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123"
	for _, p := range tmpl.ofType("AWS::Lambda::Permission") {
		if got := refs(p["Properties"].(map[string]any)["SourceArn"]); got != poolArn {
			t.Errorf("permission SourceArn %s, want %s", got, poolArn)
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
	want := []string{
		`["cognito-idp:DescribeUserPool","cognito-idp:UpdateUserPool","cognito-idp:TagResource","cognito-idp:UntagResource","cognito-idp:ListTagsForResource"] ` + poolArn + ` null`,
		`"iam:PassRole" arn:aws:iam::123456789012:role/cognito-sms {"StringEquals":{"iam:PassedToService":"cognito-idp.amazonaws.com"}}`,
	}
	for _, w := range want {
		if !slices.Contains(stmts, w) {
			t.Errorf("binding statements %q\nwant %q", stmts, w)
		}
	}
}

// requireBinding skips a test that needs the custom resource function
// when infra/userpoolbinding does not exist yet.
func requireBinding(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("../userpoolbinding"); err != nil {
		t.Skip("infra/userpoolbinding does not exist yet: the existing-pool binding cannot be built")
	}
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
