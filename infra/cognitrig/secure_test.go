package cognitrig_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/infra/cognitrig"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

// passwordlessModule is a module with the three passwordless functions,
// which build in no time.
func passwordlessModule(t *testing.T, more ...string) string {
	t.Helper()
	return fakeModule(t, append([]string{"triggers/defineauth", "triggers/createauth", "triggers/verifyauth"}, more...)...)
}

// safePasswordless is passwordless sign-in with every default.
func safePasswordless() *cognitrig.PasswordlessProps {
	return &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", SMSAllowedCallingCodes: []string{"1"}}
}

// ackID finds the ID of a warning added with AddWarningV2 in its message.
var ackID = regexp.MustCompile(`\[ack: ([^\]]+)\]$`)

// cognitrigWarnings runs the construct's validation (which adds the
// warnings of the app clients) and returns the messages of the cognitrig
// warnings of the stack by ID.
func cognitrigWarnings(t *testing.T, stack awscdk.Stack, tr *cognitrig.Triggers) map[string][]string {
	t.Helper()
	tr.Node().Validate()
	out := map[string][]string{}
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		for _, m := range *c.Node().Metadata() {
			if *m.Type != "aws:cdk:warning" {
				continue
			}
			msg := fmt.Sprint(m.Data)
			if id := ackID.FindStringSubmatch(msg); id != nil && strings.HasPrefix(id[1], "cognitrig:") {
				out[id[1]] = append(out[id[1]], *c.Node().Path()+": "+msg)
			}
		}
	}
	return out
}

// TestSecureDefaultWarnings checks that the defaults warn of nothing and
// that each choice that gives something up adds its warning, and only it.
func TestSecureDefaultWarnings(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props func(t *testing.T, stack awscdk.Stack) cognitrig.Props
		setup func(stack awscdk.Stack, tr *cognitrig.Triggers)
		want  map[string][]string // warning ID -> parts of its message
	}{
		{
			name: "defaults warn of nothing",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{AppName: "Example", Passwordless: safePasswordless(), PreSignUp: &cognitrig.PreSignUpProps{LinkFederatedUsers: true, AutoConfirmEmailDomains: []string{"example.com"}},
					PreToken:  &cognitrig.PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id", "locale"}},
					ModuleDir: passwordlessModule(t, "triggers/presignup", "triggers/pretoken")}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{
					WriteAttributes: awscognito.NewClientAttributes().WithStandardAttributes(&awscognito.StandardAttributesMask{Email: jsii.Bool(true), Locale: jsii.Bool(true)}),
				})
			},
		},
		{
			name: "personal data in the logs",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{LogPersonalData: true, PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup")}
			},
			want: map[string][]string{"cognitrig:logPersonalData": {"Props.LogPersonalData", "unmasked"}},
		},
		{
			name: "password only sign-in accepted",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				pw := safePasswordless()
				pw.RequirePassword, pw.AllowPasswordOnlySignIn = true, true
				return cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) { tr.AddAppClient("Client", nil) },
			want:  map[string][]string{"cognitrig:allowPasswordOnlySignIn": {"USER_SRP_AUTH", "password alone, without the one-time code"}},
		},
		{
			name: "the caller's flows next to custom auth",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{AppName: "Example", Passwordless: safePasswordless(), ModuleDir: passwordlessModule(t)}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{AuthFlows: &awscognito.AuthFlow{
					UserSrp: jsii.Bool(true), UserPassword: jsii.Bool(true), AdminUserPassword: jsii.Bool(true), User: jsii.Bool(true),
				}})
			},
			want: map[string][]string{"cognitrig:passwordOnlyFlows": {"Stack/Triggers/UserPool/Client allows ", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "without the one-time code"}},
		},
		{
			name: "the caller's SRP next to the accepted one",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				pw := safePasswordless()
				pw.RequirePassword, pw.AllowPasswordOnlySignIn = true, true
				return cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{AuthFlows: &awscognito.AuthFlow{UserSrp: jsii.Bool(true)}})
			},
			want: map[string][]string{"cognitrig:allowPasswordOnlySignIn": {"USER_SRP_AUTH"}, "cognitrig:passwordOnlyFlows": {"allows ALLOW_USER_SRP_AUTH next to custom auth"}},
		},
		{
			name: "an app client made without AddAppClient",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{AppName: "Example", Passwordless: safePasswordless(), ModuleDir: passwordlessModule(t)}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) { tr.UserPool().AddClient(jsii.String("Own"), nil) },
			want: map[string][]string{
				"cognitrig:passwordOnlyFlows":    {"Stack/Triggers/UserPool/Own allows ALLOW_USER_SRP_AUTH (Cognito's default when ExplicitAuthFlows is unset)"},
				"cognitrig:oauthSkipsCustomAuth": {"Stack/Triggers/UserPool/Own allows OAuth", "hosted UI"},
				"cognitrig:userExistenceErrors":  {"Stack/Triggers/UserPool/Own has PreventUserExistenceErrors unset"},
			},
		},
		{
			name: "OAuth asked of AddAppClient next to custom auth",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{AppName: "Example", Passwordless: safePasswordless(), ModuleDir: passwordlessModule(t)}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{OAuth: &awscognito.OAuthSettings{
					Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
					CallbackUrls: jsii.Strings("https://app.example.com/callback"),
				}})
			},
			want: map[string][]string{"cognitrig:oauthSkipsCustomAuth": {"Stack/Triggers/UserPool/Client allows OAuth"}},
		},
		{
			name:  "user existence errors asked of AddAppClient",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props { return cognitrig.Props{} },
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{PreventUserExistenceErrors: jsii.Bool(false)})
			},
			want: map[string][]string{"cognitrig:userExistenceErrors": {"Stack/Triggers/UserPool/Client has PreventUserExistenceErrors LEGACY"}},
		},
		{
			name: "unlimited sends",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				pw := safePasswordless()
				pw.AllowUnlimitedSends = true
				return cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)}
			},
			want: map[string][]string{"cognitrig:allowUnlimitedSends": {"Passwordless.AllowUnlimitedSends", "SMS pumping"}},
		},
		{
			name: "SMS to every country",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{AppName: "Example",
					Passwordless:  &cognitrig.PasswordlessProps{Channel: "sms", AllowSMSToAllCountries: true},
					CustomSenders: &cognitrig.CustomSendersProps{SMS: true, AllowSMSToAllCountries: true},
					ModuleDir:     passwordlessModule(t, "triggers/customsmssender")}
			},
			want: map[string][]string{"cognitrig:allowSMSToAllCountries": {"Passwordless.AllowSMSToAllCountries and CustomSenders.AllowSMSToAllCountries", "premium-rate"}},
		},
		{
			name: "providers trusted without email_verified",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{LinkFederatedUsers: true, TrustUnverifiedEmailProviders: []string{"MyCorp-SAML", "Okta"}},
					ModuleDir: fakeModule(t, "triggers/presignup")}
			},
			want: map[string][]string{"cognitrig:trustUnverifiedEmailProviders": {"MyCorp-SAML, Okta link federated users", "takes over the native account"}},
		},
		{
			name: "typed-in email marked verified",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{AutoConfirmEmailDomains: []string{"example.com"}, MarkUnprovenEmailVerified: true},
					ModuleDir: fakeModule(t, "triggers/presignup")}
			},
			want: map[string][]string{"cognitrig:markUnprovenEmailVerified": {"PreSignUp.MarkUnprovenEmailVerified", "email_verified"}},
		},
		{
			name: "decoy key given in the props",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				pw := safePasswordless()
				pw.DecoyKey = strings.Repeat("ab", 16)
				return cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)}
			},
			want: map[string][]string{"cognitrig:decoyKeyInTemplate": {"Passwordless.DecoyKey", "template"}},
		},
		{
			name: "no metrics",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, Operations: &cognitrig.OperationsProps{DisableMetrics: true}, ModuleDir: fakeModule(t, "triggers/presignup")}
			},
			want: map[string][]string{"cognitrig:disableMetrics": {"Operations.DisableMetrics", "SMS pumping"}},
		},
		{
			name: "no alarms and no dashboard",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}, Operations: &cognitrig.OperationsProps{DisableAlarmsAndDashboard: true}, ModuleDir: fakeModule(t, "triggers/presignup")}
			},
			want: map[string][]string{"cognitrig:disableAlarmsAndDashboard": {"Operations.DisableAlarmsAndDashboard", "go unnoticed"}},
		},
		{
			name: "slots held by another binding taken over",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{ExistingUserPool: existingPool(stack, "us-east-1_AbC123"), TakeOverBoundSlots: true, PreSignUp: &cognitrig.PreSignUpProps{},
					ModuleDir: fakeModule(t, "triggers/presignup", "infra/userpoolbinding")}
			},
			want: map[string][]string{"cognitrig:takeOverBoundSlots": {"Props.TakeOverBoundSlots", "another binding or the cognitrig CLI"}},
		},
		{
			name: "a claim from an attribute users write",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreToken: &cognitrig.PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id", "custom:plan", "locale"}},
					ModuleDir: fakeModule(t, "triggers/pretoken")}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) { tr.AddAppClient("Client", nil) },
			want:  map[string][]string{"cognitrig:userWritableClaims": {"app client Stack/Triggers/UserPool/Client can write custom:tenant (claim tenant_id), custom:plan (claim custom:plan) (WriteAttributes unset"}},
		},
		{
			name: "a claim from an attribute the client lists as writable",
			props: func(t *testing.T, stack awscdk.Stack) cognitrig.Props {
				return cognitrig.Props{PreToken: &cognitrig.PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id", "custom:plan"}},
					ModuleDir: fakeModule(t, "triggers/pretoken")}
			},
			setup: func(stack awscdk.Stack, tr *cognitrig.Triggers) {
				tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{
					WriteAttributes: awscognito.NewClientAttributes().WithCustomAttributes(jsii.String("plan")),
				})
			},
			want: map[string][]string{"cognitrig:userWritableClaims": {"can write custom:plan (claim custom:plan), which"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			props := tc.props(t, stack)
			tr := cognitrig.NewTriggers(stack, "Triggers", &props)
			if tc.setup != nil {
				tc.setup(stack, tr)
			}
			got := cognitrigWarnings(t, stack, tr)
			for _, id := range slices.Sorted(mapsKeys(got, tc.want)) {
				msgs, parts := got[id], tc.want[id]
				switch {
				case parts == nil:
					t.Errorf("unexpected warning %s: %q", id, msgs)
				case len(msgs) != 1:
					t.Errorf("warnings %s: %q, want one", id, msgs)
				default:
					for _, p := range parts {
						if !strings.Contains(msgs[0], p) {
							t.Errorf("warning %s: %q\nwant %q in it", id, msgs[0], p)
						}
					}
				}
			}
		})
	}
}

// mapsKeys returns the keys of both maps.
func mapsKeys(a, b map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range a {
			if !yield(k) {
				return
			}
		}
		for k := range b {
			if _, ok := a[k]; !ok && !yield(k) {
				return
			}
		}
	}
}

// TestAppClientAuthFlows checks that AddAppClient never turns on, by
// itself, a flow that skips the custom challenge: ALLOW_USER_SRP_AUTH only
// with RequirePassword and AllowPasswordOnlySignIn together.
func TestAppClientAuthFlows(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pw       func(*cognitrig.PasswordlessProps)
		flows    *awscognito.AuthFlow
		want     string   // ExplicitAuthFlows, sorted
		problems []string // parts of the validation errors
	}{
		{name: "passwordless", want: `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]`},
		{name: "password first without the acknowledgement", pw: func(pw *cognitrig.PasswordlessProps) { pw.RequirePassword = true },
			want:     `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]`,
			problems: []string{"any client can call USER_SRP_AUTH instead, which runs none of the auth challenge triggers and gets tokens with the password alone, without the code", "Set Passwordless.AllowPasswordOnlySignIn"}},
		{name: "password first, password only sign-in accepted", pw: func(pw *cognitrig.PasswordlessProps) { pw.RequirePassword, pw.AllowPasswordOnlySignIn = true, true },
			want: `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_SRP_AUTH"]`},
		{name: "acknowledgement without the password step", pw: func(pw *cognitrig.PasswordlessProps) { pw.AllowPasswordOnlySignIn = true },
			want:     `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]`,
			problems: []string{"Passwordless.AllowPasswordOnlySignIn has no effect without Passwordless.RequirePassword"}},
		{name: "the caller's flows are kept", flows: &awscognito.AuthFlow{UserPassword: jsii.Bool(true)},
			want: `["ALLOW_CUSTOM_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_PASSWORD_AUTH"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			pw := safePasswordless()
			if tc.pw != nil {
				tc.pw(pw)
			}
			tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)})
			client := tr.AddAppClient("Client", &awscognito.UserPoolClientOptions{AuthFlows: tc.flows})
			cfn := client.Node().DefaultChild().(awscognito.CfnUserPoolClient)
			flows, _ := stack.Resolve(cfn.ExplicitAuthFlows()).([]any)
			slices.SortFunc(flows, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			if got := jsonOf(flows); got != tc.want {
				t.Errorf("ExplicitAuthFlows = %s, want %s", got, tc.want)
			}
			got := validationErrors(tr)
			if len(tc.problems) == 0 && len(got) > 0 {
				t.Errorf("validation errors %q, want none", got)
			}
			for _, w := range tc.problems {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
					t.Errorf("validation errors %q\nwant one with %q", got, w)
				}
			}
		})
	}
}

func validationErrors(tr *cognitrig.Triggers) []string {
	var out []string
	for _, m := range *tr.Node().Validate() {
		out = append(out, *m)
	}
	return out
}

// functionEnv returns the environment of a shipped function (by its
// construct ID: CreateAuth), values written by refs.
func (tm template) functionEnv(t *testing.T, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	props := tm.resource(t, "AWS::Lambda::Function", "Triggers"+id+"Function")["Properties"].(map[string]any)
	for k, v := range props["Environment"].(map[string]any)["Variables"].(map[string]any) {
		out[k] = refs(v)
	}
	return out
}

// dynamoActions returns the DynamoDB actions of a role's statements.
func (tm template) dynamoActions(t *testing.T, rolePrefix string) []string {
	t.Helper()
	var out []string
	for _, st := range tm.statements(t, rolePrefix) {
		if strings.Contains(st.actions, "dynamodb:") {
			out = append(out, st.actions+" "+st.resources)
		}
	}
	return out
}

// TestSendLimits checks that the send throttle table comes with the
// passwordless functions unless AllowUnlimitedSends, and the variables
// and grants of each choice.
func TestSendLimits(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pw      func(*cognitrig.PasswordlessProps)
		table   bool
		env     map[string]string // variables that must have these values; "" for unset
		actions string            // the DynamoDB actions of createauth, with the table
	}{
		{name: "limits by default", table: true,
			env:     map[string]string{"ALLOW_UNLIMITED_SENDS": "", "POOL_SEND_LIMIT": ""},
			actions: `["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem"]`},
		{name: "pool-wide limit", pw: func(pw *cognitrig.PasswordlessProps) {
			pw.PoolSendLimit = &cognitrig.SendLimit{Count: 1000, Per: awscdk.Duration_Hours(jsii.Number(1))}
		}, table: true,
			env:     map[string]string{"POOL_SEND_LIMIT": "1000/1h0m0s", "ALLOW_UNLIMITED_SENDS": ""},
			actions: `["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem"]`},
		{name: "pool-wide limit per minute", pw: func(pw *cognitrig.PasswordlessProps) {
			pw.PoolSendLimit = &cognitrig.SendLimit{Count: 20, Per: awscdk.Duration_Seconds(jsii.Number(90))}
		}, table: true,
			env:     map[string]string{"POOL_SEND_LIMIT": "20/1m30s"},
			actions: `["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem"]`},
		{name: "unlimited sends", pw: func(pw *cognitrig.PasswordlessProps) { pw.AllowUnlimitedSends = true },
			env: map[string]string{"ALLOW_UNLIMITED_SENDS": "true", "SEND_THROTTLE_TABLE": "", "POOL_SEND_LIMIT": ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			pw := safePasswordless()
			if tc.pw != nil {
				tc.pw(pw)
			}
			tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)})
			tmpl, err := synth(stack)
			if err != nil {
				t.Fatal(err)
			}
			tables := tmpl.ofType("AWS::DynamoDB::Table")
			if table := tr.SendThrottleTable(); (table != nil) != tc.table || (len(tables) == 1) != tc.table {
				t.Fatalf("SendThrottleTable() = %v, tables %v; want a table: %v", table, tables, tc.table)
			}
			actions := tc.actions
			if tc.table {
				id := tmpl.logicalID(t, "AWS::DynamoDB::Table")
				tc.env["SEND_THROTTLE_TABLE"] = id
				actions += " [" + id + ".Arn]"
			}
			for _, id := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
				got := tmpl.functionEnv(t, id)
				for k, want := range tc.env {
					if got[k] != want {
						t.Errorf("%s: %s = %q, want %q", id, k, got[k], want)
					}
				}
				want := []string(nil)
				if id == "CreateAuth" && tc.table {
					want = []string{actions}
				}
				if got := tmpl.dynamoActions(t, "Triggers"+id+"Role"); !slices.Equal(got, want) {
					t.Errorf("%s may call %q, want %q", id, got, want)
				}
			}
		})
	}
}

// TestDecoyKey checks that createauth, and only it, always gets a decoy
// key: the one given, or the ARN of a random one the construct keeps in a
// secret, which createauth alone may read; the generated key is in no
// function's configuration and the template holds no reference to its
// value.
func TestDecoyKey(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		secret    bool
	}{
		{name: "generated", secret: true},
		{name: "given", key: strings.Repeat("ab", 16)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			pw := safePasswordless()
			pw.DecoyKey = tc.key
			tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{AppName: "Example", Passwordless: pw, ModuleDir: passwordlessModule(t)})
			tmpl, err := synth(stack)
			if err != nil {
				t.Fatal(err)
			}
			secrets := tmpl.ofType("AWS::SecretsManager::Secret")
			if secret := tr.DecoyKeySecret(); (secret != nil) != tc.secret || (len(secrets) == 1) != tc.secret {
				t.Fatalf("DecoyKeySecret() = %v, secrets %v; want a secret: %v", secret, secrets, tc.secret)
			}
			want := map[string]string{"DECOY_KEY": tc.key}
			if tc.secret {
				id := tmpl.logicalID(t, "AWS::SecretsManager::Secret")
				gen := jsonOf(secrets[id]["Properties"].(map[string]any)["GenerateSecretString"])
				if wantGen := `{"ExcludeCharacters":"ghijklmnopqrstuvwxyz","ExcludePunctuation":true,"ExcludeUppercase":true,"PasswordLength":64,"RequireEachIncludedType":false}`; gen != wantGen {
					t.Errorf("GenerateSecretString = %s, want %s (64 hex digits)", gen, wantGen)
				}
				want = map[string]string{"DECOY_KEY_SECRET_ARN": id}
				if got := jsonOf(tmpl); strings.Contains(got, "{{resolve:secretsmanager") {
					t.Error("the template holds a dynamic reference to a secret's value")
				}
				read := stmt{`"secretsmanager:GetSecretValue"`, "[" + id + "]"}
				for _, fn := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
					if got := slices.Contains(tmpl.statements(t, "Triggers"+fn+"Role"), read); got != (fn == "CreateAuth") {
						t.Errorf("%s may read the decoy key's secret: %v, want %v", fn, got, fn == "CreateAuth")
					}
				}
			}
			for _, fn := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
				env := tmpl.functionEnv(t, fn)
				for _, name := range []string{"DECOY_KEY", "DECOY_KEY_SECRET_ARN"} {
					w := want[name]
					if fn != "CreateAuth" {
						w = ""
					}
					if got := env[name]; got != w {
						t.Errorf("%s: %s = %q, want %q", fn, name, got, w)
					}
				}
			}
		})
	}
}

// TestTakeOverBoundSlots checks the TakeOver property of the binding of
// an existing pool: "true" with the prop, "false" without it.
func TestTakeOverBoundSlots(t *testing.T) {
	for _, tc := range []struct {
		takeOver bool
		want     string
	}{
		{false, `"false"`},
		{true, `"true"`},
	} {
		t.Run(fmt.Sprint(tc.takeOver), func(t *testing.T) {
			stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
			cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{ExistingUserPool: existingPool(stack, "us-east-1_AbC123"), TakeOverBoundSlots: tc.takeOver, Nonce: "n",
				PreSignUp: &cognitrig.PreSignUpProps{}, ModuleDir: fakeModule(t, "triggers/presignup", "infra/userpoolbinding")})
			tmpl, err := synth(stack)
			if err != nil {
				t.Fatal(err)
			}
			props := tmpl.only(t, "Custom::CognitrigUserPoolBinding")["Properties"].(map[string]any)
			if got := jsonOf(props["TakeOver"]); got != tc.want {
				t.Errorf("TakeOver = %s, want %s", got, tc.want)
			}
			// The binding function reads it so, with the function's ARN
			// written out as deployment does.
			props["LambdaConfig"] = map[string]any{"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:PreSignUp"}
			parsed, err := binding.ParseProperties(props)
			if err != nil || parsed.TakeOver != tc.takeOver {
				t.Errorf("binding.ParseProperties: TakeOver %v, error %v; want %v", parsed.TakeOver, err, tc.takeOver)
			}
		})
	}
}
