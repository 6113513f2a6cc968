package cognitrig

import (
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// validation is the construct's IValidation: CDK calls Validate at synth
// time, after the app's code has run, and fails the synth with every
// message it returns, each prefixed with the construct's path.
type validation struct{ t *Triggers }

// Validate returns the problems of the construct, for CDK.
func (v validation) Validate() *[]*string {
	var out []*string
	for _, msg := range v.t.validate() {
		out = append(out, jsii.String(msg))
	}
	return &out
}

// validate returns every problem found; it also adds the synth warnings
// that depend on the finished construct tree.
func (t *Triggers) validate() []string {
	problems := append([]string(nil), t.problems...)
	for _, err := range t.cfg.conflicts {
		problems = append(problems, err.Error())
	}
	if err := CheckCustomSenders(t.cfg.boundSlots(), t.cfg.kmsKeyArn); err != nil {
		problems = append(problems, err.Error())
	}
	if t.facts != nil && t.poolRegion != "" {
		// A region that is a token flattens to "*": unknown, not checked.
		if r, _ := arnRegion(t.facts.sesSourceArn, "ses"); r != "*" {
			if err := CheckSESRegion(t.poolRegion, t.facts.sesSourceArn); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	if t.facts != nil && t.props.CustomMessage != nil && t.props.CustomMessage.EmailSendingAccount != "" &&
		!strings.EqualFold(t.props.CustomMessage.EmailSendingAccount, t.facts.emailSendingAccount) {
		problems = append(problems, fmt.Sprintf("CustomMessage.EmailSendingAccount is %s, but the user pool sends email with %s; leave it empty to follow the pool, or change the pool's Email",
			t.props.CustomMessage.EmailSendingAccount, t.facts.emailSendingAccount))
	}
	problems = append(problems, t.shippedProblems()...)
	if !t.warned {
		t.warned = true
		if t.customAuth() {
			t.warnHostedUI()
		}
		t.warnClients()
	}
	return problems
}

// shippedProblems returns what the props of the shipped functions ask for
// that cannot work, beyond what the functions' own parsers check.
func (t *Triggers) shippedProblems() []string {
	var out []string
	if cs := t.props.CustomSenders; cs != nil && !cs.Email && !cs.SMS {
		out = append(out, "CustomSenders deploys neither custom sender: set CustomSenders.Email, CustomSenders.SMS or both")
	}
	if pt := t.props.PreToken; pt != nil {
		v := pt.version()
		if v == awscognito.LambdaVersion_V1_0 && len(pt.AccessTokenScopesByGroup) > 0 {
			out = append(out, "PreToken.AccessTokenScopesByGroup has no effect with PreToken.LambdaVersion V1_0: version 1 events cannot change the access token; use V2_0 or V3_0")
		}
		if v != awscognito.LambdaVersion_V1_0 && t.facts != nil && t.facts.tier == string(awscognito.FeaturePlan_LITE) {
			out = append(out, fmt.Sprintf("PreToken.LambdaVersion %s needs the Essentials or Plus feature plan, but the user pool's FeaturePlan is LITE; use V1_0 (the ID token only) or another plan", v))
		}
	}
	return out
}

// customAuth reports whether the custom auth slots are bound.
func (t *Triggers) customAuth() bool {
	return t.cfg.bound(userpool.DefineAuthChallenge)
}

// warnHostedUI warns when the pool has a hosted UI (managed login)
// domain: the hosted UI cannot sign in with custom auth.
func (t *Triggers) warnHostedUI() {
	stack := awscdk.Stack_Of(t)
	poolRef := jsonOf(resolve(stack, t.poolID))
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		d, ok := c.(awscognito.CfnUserPoolDomain)
		if !ok || jsonOf(resolve(stack, d.UserPoolId())) != poolRef {
			continue
		}
		warn(t, warnHostedUI, fmt.Sprintf(
			"the user pool has a hosted UI domain (%s), but passwordless sign-in uses custom auth (CUSTOM_AUTH), which the hosted UI and managed login cannot do: sign users in from your app with InitiateAuth and RespondToAuthChallenge",
			*d.Node().Path()))
		return
	}
}

// AddAppClient adds an app client to the pool. PreventUserExistenceErrors
// is ENABLED unless opts sets it false (a synth warning,
// cognitrig:userExistenceErrors). When the passwordless functions (or any
// custom auth functions) are bound, it forces what they need:
// ExplicitAuthFlows ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH, plus
// ALLOW_USER_SRP_AUTH with Passwordless.RequirePassword and
// AllowPasswordOnlySignIn (never by itself: USER_SRP_AUTH issues tokens
// without the code); PreventUserExistenceErrors ENABLED (false fails the
// synth); an AuthSessionValidity of at least the code's life (3 to 15
// minutes); and, unless opts sets OAuth, no OAuth (the hosted UI cannot
// do custom auth). Other options are kept; flows in opts.AuthFlows that
// issue tokens without the custom challenge (UserSrp, UserPassword,
// AdminUserPassword, User) and OAuth next to custom auth are synth
// warnings (cognitrig:passwordOnlyFlows, cognitrig:oauthSkipsCustomAuth).
// A Pinpoint analytics configuration is checked against Cognito's
// regional rules at synth time.
func (t *Triggers) AddAppClient(id string, opts *awscognito.UserPoolClientOptions) awscognito.UserPoolClient {
	var o awscognito.UserPoolClientOptions
	if opts != nil {
		o = *opts
	}
	srpAdded := false
	if t.customAuth() {
		flows := awscognito.AuthFlow{}
		if o.AuthFlows != nil {
			flows = *o.AuthFlows
		}
		flows.Custom = jsii.Bool(true)
		if pw := t.props.Passwordless; pw != nil && pw.RequirePassword && pw.AllowPasswordOnlySignIn && (flows.UserSrp == nil || !*flows.UserSrp) {
			// SRP inside CUSTOM_AUTH needs it; accepted and warned about.
			flows.UserSrp, srpAdded = jsii.Bool(true), true
		}
		o.AuthFlows = &flows
		if o.PreventUserExistenceErrors != nil && !*o.PreventUserExistenceErrors {
			t.problems = append(t.problems, fmt.Sprintf("app client %s: PreventUserExistenceErrors is false; passwordless sign-in needs it (unknown users must get the same answers as real ones): leave it unset", id))
		}
		o.PreventUserExistenceErrors = jsii.Bool(true)
		ttl := 3
		if pw := t.props.Passwordless; pw != nil {
			ttl = int(math.Ceil(pw.otpTTL().Minutes()))
		}
		if o.AuthSessionValidity != nil {
			if err := CheckAuthSessionValidity(int(*o.AuthSessionValidity.ToMinutes(nil)), ttl); err != nil {
				t.problems = append(t.problems, fmt.Sprintf("app client %s: %v", id, err))
			}
		} else {
			o.AuthSessionValidity = awscdk.Duration_Minutes(jsii.Number(float64(max(3, min(15, ttl)))))
		}
		if o.OAuth == nil && o.DisableOAuth == nil {
			o.DisableOAuth = jsii.Bool(true)
		}
	} else if o.PreventUserExistenceErrors == nil {
		o.PreventUserExistenceErrors = jsii.Bool(true)
	}
	if a := o.Analytics; a != nil && t.poolRegion != "" {
		pa := PinpointAnalytics{}
		if a.ApplicationId != nil {
			pa.ApplicationID = *a.ApplicationId
		}
		if a.Application != nil {
			region := awscdk.Stack_Of(a.Application).Region()
			if !isToken(*region) {
				// The L2 client names the project by its ARN; only
				// its region matters here.
				pa.ApplicationArn = "arn:aws:mobiletargeting:" + *region + ":*:apps/" + *a.Application.Node().Path()
			}
		}
		if err := CheckPinpoint(t.poolRegion, pa); err != nil {
			t.problems = append(t.problems, fmt.Sprintf("app client %s: %v", id, err))
		}
	}
	client := t.pool.AddClient(jsii.String(id), &o)
	if srpAdded {
		t.srpAdded[*client.Node().Path()] = true
	}
	return client
}

// sesIdentities returns the SES identities an EmailFrom may send as: the
// address and its domain (SES authorizes the identity it verified, which
// may be either).
// prop names from in errors.
func sesIdentities(from, prop string) ([]string, error) {
	if isToken(from) {
		return nil, fmt.Errorf("%s must be written out in the app, not a token: the function's permission to send is limited to that SES identity", prop)
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("%s=%q is not an email address (with an optional display name: \"Example <no-reply@example.com>\")", prop, from)
	}
	at := strings.LastIndex(addr.Address, "@")
	return []string{addr.Address, strings.ToLower(addr.Address[at+1:])}, nil
}

// isToken reports whether s holds an unresolved CDK token.
func isToken(s string) bool {
	return awscdk.Token_IsUnresolved(jsii.String(s)) != nil && *awscdk.Token_IsUnresolved(jsii.String(s))
}

// flatten writes a resolved CloudFormation value as a string, with "*"
// for every part that only deployment knows (a Ref, a GetAtt): an ARN
// built by Fn::Join keeps its literal region.
func flatten(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case map[string]any:
		if j, ok := v["Fn::Join"].([]any); ok && len(j) == 2 {
			sep, _ := j[0].(string)
			parts, _ := j[1].([]any)
			var out []string
			for _, p := range parts {
				out = append(out, flatten(p))
			}
			return strings.Join(out, sep)
		}
	}
	return "*"
}

// resolve resolves v in stack; nil stays nil.
func resolve(stack awscdk.Stack, v any) any {
	if v == nil {
		return nil
	}
	return stack.Resolve(v)
}

// jsonOf is a comparable form of a resolved value.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
