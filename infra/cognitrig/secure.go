package cognitrig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Secure by default: every default of the construct is the safe choice,
// and each prop that gives something up says so in its name and adds a
// synth-time warning (an annotation with an ID "cognitrig:<name>", which
// cdk synth prints and Annotations.acknowledgeWarning can silence). The
// warnings of the props are added by NewTriggers; those of the app
// clients, which the app may add after NewTriggers, by the validation.

// Warning IDs of the synth-time warnings.
const (
	warnLogPersonalData            = "cognitrig:logPersonalData"
	warnAllowPasswordOnlySignIn    = "cognitrig:allowPasswordOnlySignIn"
	warnAllowUnlimitedSends        = "cognitrig:allowUnlimitedSends"
	warnAllowSMSToAllCountries     = "cognitrig:allowSMSToAllCountries"
	warnTrustUnverifiedEmail       = "cognitrig:trustUnverifiedEmailProviders"
	warnMarkUnprovenEmailVerified  = "cognitrig:markUnprovenEmailVerified"
	warnTakeOverBoundSlots         = "cognitrig:takeOverBoundSlots"
	warnDecoyKeyInTemplate         = "cognitrig:decoyKeyInTemplate"
	warnHostedUI                   = "cognitrig:hostedUI"
	warnPasswordOnlyFlows          = "cognitrig:passwordOnlyFlows"
	warnOAuthSkipsCustomAuth       = "cognitrig:oauthSkipsCustomAuth"
	warnUserExistenceErrors        = "cognitrig:userExistenceErrors"
	warnUserWritableClaimAttribute = "cognitrig:userWritableClaims"
)

// warn adds a synth-time warning with the ID id to scope.
func warn(scope constructs.IConstruct, id, msg string) {
	awscdk.Annotations_Of(scope).AddWarningV2(jsii.String(id), jsii.String(msg), nil)
}

// propProblems returns the props that contradict each other or that
// would let the construct turn on an unsafe flow by itself.
func (t *Triggers) propProblems() []string {
	var out []string
	p := &t.props
	if pw := p.Passwordless; pw != nil {
		switch {
		case pw.RequirePassword && !pw.AllowPasswordOnlySignIn:
			out = append(out, "Passwordless.RequirePassword asks for the password (SRP inside CUSTOM_AUTH) before the code, which needs ALLOW_USER_SRP_AUTH on the app client; "+
				"with it, any client can call USER_SRP_AUTH instead, which runs none of the auth challenge triggers and gets tokens with the password alone, without the code. "+
				"Set Passwordless.AllowPasswordOnlySignIn too to accept that, or unset Passwordless.RequirePassword")
		case pw.AllowPasswordOnlySignIn && !pw.RequirePassword:
			out = append(out, "Passwordless.AllowPasswordOnlySignIn has no effect without Passwordless.RequirePassword: it only accepts the ALLOW_USER_SRP_AUTH that the password step needs; remove it")
		}
		if _, ok := goDuration(pw.OTPTTL); !ok {
			out = append(out, "Passwordless.OTPTTL must be written out in the app, not a token: the synth checks it, and sizes the app clients' AuthSessionValidity by it")
		}
		if l := pw.PoolSendLimit; l != nil {
			if _, ok := goDuration(l.Per); !ok {
				out = append(out, "Passwordless.PoolSendLimit.Per must be written out in the app, not a token: it is written into POOL_SEND_LIMIT")
			}
		}
	}
	if p.TakeOverBoundSlots && t.binding == nil {
		out = append(out, "Props.TakeOverBoundSlots applies only to the binding of an existing pool (Props.ExistingUserPool), but this construct creates its pool; remove it")
	}
	if p.RepairDrift && t.binding == nil {
		out = append(out, "Props.RepairDrift applies only to the binding of an existing pool (Props.ExistingUserPool), but this construct creates its pool, whose template holds the LambdaConfig; remove it")
	}
	return out
}

// warnProps adds the warnings of the props that give something up.
func (t *Triggers) warnProps() {
	p := &t.props
	if p.LogPersonalData {
		warn(t, warnLogPersonalData, "Props.LogPersonalData makes every shipped function log email addresses and phone numbers unmasked (LOG_PERSONAL_DATA=true): "+
			"whoever can read the log groups reads them, for as long as the logs are kept; use it only while debugging")
	}
	if pw := p.Passwordless; pw != nil {
		if pw.AllowPasswordOnlySignIn {
			warn(t, warnAllowPasswordOnlySignIn, "Passwordless.AllowPasswordOnlySignIn: the app clients of AddAppClient allow ALLOW_USER_SRP_AUTH, which the password step of RequirePassword needs; "+
				"a client that calls USER_SRP_AUTH itself gets tokens with the password alone, without the one-time code, so the code is no second factor")
		}
		if pw.DecoyKey != "" {
			warn(t, warnDecoyKeyInTemplate, "Passwordless.DecoyKey: the decoy key is written into the template and createauth's configuration (DECOY_KEY), where whoever can read either reads it "+
				"and can then tell unknown usernames from real ones by their masked destinations; leave it empty and the construct keeps the key in a Secrets Manager secret that only createauth may read")
		}
		if pw.AllowUnlimitedSends {
			warn(t, warnAllowUnlimitedSends, "Passwordless.AllowUnlimitedSends: no send throttle table, no per-user and no pool-wide limit (ALLOW_UNLIMITED_SENDS=true); "+
				"anyone who knows a username can have codes sent to it without end (message bombing), and SMS to many numbers costs money per message (SMS pumping)")
		}
	}
	var allCountries []string
	if pw := p.Passwordless; pw != nil && pw.AllowSMSToAllCountries {
		allCountries = append(allCountries, "Passwordless.AllowSMSToAllCountries")
	}
	if cs := p.CustomSenders; cs != nil && cs.AllowSMSToAllCountries {
		allCountries = append(allCountries, "CustomSenders.AllowSMSToAllCountries")
	}
	if len(allCountries) > 0 {
		warn(t, warnAllowSMSToAllCountries, strings.Join(allCountries, " and ")+": SMS may go to every country, premium-rate destinations included (SMS_ALLOW_ALL_COUNTRIES=true); "+
			"SMS pumping fraud sends codes to numbers that pay their owner, at your cost; list the countries you serve in SMSAllowedCallingCodes instead")
	}
	if ps := p.PreSignUp; ps != nil {
		if len(ps.TrustUnverifiedEmailProviders) > 0 {
			warn(t, warnTrustUnverifiedEmail, fmt.Sprintf("PreSignUp.TrustUnverifiedEmailProviders: %s link federated users to the native user with the same email even when the provider does not assert email_verified; "+
				"a user of such a provider who can set an address there that they do not own takes over the native account with that address: name only providers that verify every address they send",
				strings.Join(ps.TrustUnverifiedEmailProviders, ", ")))
		}
		if ps.MarkUnprovenEmailVerified {
			warn(t, warnMarkUnprovenEmailVerified, "PreSignUp.MarkUnprovenEmailVerified: sign-ups that AutoConfirmEmailDomains confirms also get their typed-in email marked verified (MARK_UNPROVEN_EMAIL_VERIFIED=true); "+
				"anyone can sign up with an address of those domains that they do not read, and whatever trusts email_verified trusts them")
		}
	}
	if p.TakeOverBoundSlots {
		warn(t, warnTakeOverBoundSlots, "Props.TakeOverBoundSlots: the binding takes the LambdaConfig slots that another binding or the cognitrig CLI holds on the pool (TakeOver true), "+
			"replacing their triggers instead of failing the deployment with the holder's name; the other binding keeps its record, and gets the slot back when yours is deleted")
	}
}

// passwordOnlyFlows are the ExplicitAuthFlows values that issue tokens
// without the custom auth challenge: the password flows, choice-based
// sign-in (USER_AUTH) and their legacy names.
var passwordOnlyFlows = []string{
	"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH",
	"USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH",
}

// defaultAuthFlows are the flows of an app client whose ExplicitAuthFlows
// is unset.
var defaultAuthFlows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// warnClients adds the warnings of the app clients of the pool in the
// stack, whoever made them: flows that skip the custom challenge, OAuth
// next to custom auth, errors that reveal users, and attributes that users
// write and PreToken copies into claims.
func (t *Triggers) warnClients() {
	stack := awscdk.Stack_Of(t)
	poolRef := jsonOf(resolve(stack, t.poolID))
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		cl, ok := c.(awscognito.CfnUserPoolClient)
		if !ok || jsonOf(resolve(stack, cl.UserPoolId())) != poolRef {
			continue
		}
		t.warnClient(stack, cl)
	}
}

// warnClient adds the warnings of one app client.
func (t *Triggers) warnClient(stack awscdk.Stack, cl awscognito.CfnUserPoolClient) {
	var scope constructs.IConstruct = cl
	if *cl.Node().Id() == "Resource" && cl.Node().Scope() != nil {
		scope = cl.Node().Scope() // the L2 client
	}
	name := *scope.Node().Path()
	if t.customAuth() {
		flows, unset := stringsOf(resolve(stack, cl.ExplicitAuthFlows()))
		if unset {
			flows = defaultAuthFlows
		}
		var bypass []string
		for _, f := range flows {
			if slices.Contains(passwordOnlyFlows, f) && !(f == "ALLOW_USER_SRP_AUTH" && t.srpAdded[name]) {
				bypass = append(bypass, f)
			}
		}
		if len(bypass) > 0 {
			from := ""
			if unset {
				from = " (Cognito's default when ExplicitAuthFlows is unset)"
			}
			warn(scope, warnPasswordOnlyFlows, fmt.Sprintf("app client %s allows %s%s next to custom auth: these flows issue tokens without running the define, create and verify auth challenge triggers, "+
				"so a client that calls them signs in without the one-time code (with the password alone, or with Cognito's own factors for ALLOW_USER_AUTH); remove them from AuthFlows unless users may sign in that way",
				name, strings.Join(bypass, ", "), from))
		}
		if b, _ := resolve(stack, cl.AllowedOAuthFlowsUserPoolClient()).(bool); b {
			warn(scope, warnOAuthSkipsCustomAuth, fmt.Sprintf("app client %s allows OAuth next to custom auth: sign-in through the hosted UI (managed login) or a federated identity provider runs none of the custom auth triggers, "+
				"so it issues tokens without the one-time code; set DisableOAuth unless users may sign in that way", name))
		}
	}
	if v, _ := resolve(stack, cl.PreventUserExistenceErrors()).(string); v != "ENABLED" {
		if v == "" {
			v = "unset, which Cognito takes as LEGACY"
		}
		warn(scope, warnUserExistenceErrors, fmt.Sprintf("app client %s has PreventUserExistenceErrors %s: its sign-in, sign-up confirmation and password recovery errors tell anyone whether a username exists; "+
			"set it to ENABLED (in CDK: PreventUserExistenceErrors true, which AddAppClient sets unless told otherwise)", name, v))
	}
	if pt := t.props.PreToken; pt != nil {
		writable, all := stringsOf(resolve(stack, cl.WriteAttributes()))
		var exposed []string
		for _, entry := range pt.IDTokenClaimsFromAttributes {
			attr, claim, ok := strings.Cut(entry, "=")
			if !ok {
				claim = attr
			}
			if strings.HasPrefix(attr, "custom:") && (all || slices.Contains(writable, attr)) {
				exposed = append(exposed, fmt.Sprintf("%s (claim %s)", attr, claim))
			}
		}
		if len(exposed) > 0 {
			from := ""
			if all {
				from = " (WriteAttributes unset: every writable attribute)"
			}
			warn(scope, warnUserWritableClaimAttribute, fmt.Sprintf("users of app client %s can write %s%s, which PreToken.IDTokenClaimsFromAttributes copies into the ID token: a user picks that claim's value; "+
				"leave the attribute out of the client's WriteAttributes (in CDK: ClientAttributes) unless the claim grants nothing", name, strings.Join(exposed, ", "), from))
		}
	}
}

// stringsOf returns the strings of a resolved list; unset reports a value
// that is absent.
func stringsOf(v any) (out []string, unset bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, v == nil
	}
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out, false
}
