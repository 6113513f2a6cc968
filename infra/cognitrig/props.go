package cognitrig

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// PreSignUpProps configures the shipped pre sign-up function
// (triggers/presignup, docs/presignup.md). The zero value deploys the
// function with no policy: every sign-up passes unchanged.
type PreSignUpProps struct {
	// AllowedEmailDomains: when set, only these domains and their
	// subdomains may sign up (ALLOWED_EMAIL_DOMAINS).
	AllowedEmailDomains []string
	// BlockedEmailDomains are refused, with their subdomains; the block
	// list wins (BLOCKED_EMAIL_DOMAINS).
	BlockedEmailDomains []string
	// AutoConfirmEmailDomains: users of these domains are confirmed
	// without a code (AUTO_CONFIRM_EMAIL_DOMAINS). Their email is not
	// marked verified: the user typed the address in, and a domain rule
	// proves nothing about who reads its mail. Cognito then sends no
	// verification code, so the address stays unverified until the user
	// verifies it (GetUserAttributeVerificationCode).
	AutoConfirmEmailDomains []string
	// MarkUnprovenEmailVerified also marks the email of the users
	// AutoConfirmEmailDomains confirms as verified
	// (MARK_UNPROVEN_EMAIL_VERIFIED=true). It gives up the proof that
	// the user receives mail at the address: anyone can sign up as
	// ceo@your-domain and hold a verified address they never read, and
	// whatever trusts email_verified trusts them. The synth warns
	// (cognitrig:markUnprovenEmailVerified). It needs
	// AutoConfirmEmailDomains and cannot be combined with
	// LinkFederatedUsers: the synth fails.
	MarkUnprovenEmailVerified bool
	// LinkFederatedUsers links a federated user's first sign-in to the
	// native user with the same email, when both sides have proven the
	// address: the provider asserts email_verified true and the native
	// user's email_verified is true (LINK_FEDERATED_USERS). The function
	// then gets cognito-idp:ListUsers, ListIdentityProviders and
	// AdminLinkProviderForUser on the pool.
	LinkFederatedUsers bool
	// TrustUnverifiedEmailProviders names identity providers, spelled as
	// the pool spells them, whose email links a federated user even when
	// the provider does not assert email_verified
	// (TRUST_UNVERIFIED_EMAIL_PROVIDERS). It gives up the provider's
	// proof of the address: a user of such a provider who can set an
	// unverified email there takes over the native account with that
	// email. Name only providers that verify every address they send,
	// such as your own SAML IdP. It needs LinkFederatedUsers; the synth
	// warns, naming them (cognitrig:trustUnverifiedEmailProviders).
	TrustUnverifiedEmailProviders []string
}

// CustomMessageProps configures the shipped custom message function
// (triggers/custommessage, docs/custommessage.md).
type CustomMessageProps struct {
	// AppName and AppURL override Props.AppName and Props.AppURL for this
	// function (APP_NAME, APP_URL).
	AppName, AppURL string
	// EmailSendingAccount is DEVELOPER or COGNITO_DEFAULT
	// (EMAIL_SENDING_ACCOUNT). Empty: for a pool the construct creates,
	// what its email configuration says; for an existing pool, the
	// function's default, DEVELOPER. With COGNITO_DEFAULT only the SMS
	// text is written: Cognito refuses custom email then.
	EmailSendingAccount string
	// Verification is code or link (VERIFICATION). Empty: for a pool the
	// construct creates, what its UserVerification.EmailStyle says; else
	// code.
	Verification string
}

// PasswordlessProps configures passwordless sign-in: the shipped
// defineauth, createauth and verifyauth functions on the three custom
// auth slots (docs/passwordless.md). The three get the same environment,
// but for the decoy key, which only createauth reads and gets.
type PasswordlessProps struct {
	// AppName and AppURL override Props.AppName and Props.AppURL in the
	// sign-in messages (APP_NAME, APP_URL).
	AppName, AppURL string
	// Channel is email, sms or auto (OTP_CHANNEL; empty: auto).
	Channel string
	// OTPLength is the number of digits, 6 to 10 (OTP_LENGTH; 0: 6).
	OTPLength int
	// OTPTTL is the life of a code, 1 to 15 minutes, such as
	// awscdk.Duration_Minutes(jsii.Number(5)) (OTP_TTL; nil: 3 minutes).
	// It must be written out, not a token. An app client the construct
	// creates gets an AuthSessionValidity of at least this.
	OTPTTL awscdk.Duration
	// MaxAttempts is the wrong answers before the sign-in fails, 1 to 10
	// (OTP_MAX_ATTEMPTS; 0: 3).
	MaxAttempts int
	// MaxResends is the new codes a client may ask for, 0 to 10
	// (OTP_MAX_RESENDS; nil: 2). Write new(0) for none.
	MaxResends *int
	// EmailFrom is the SES sender (EMAIL_FROM), an address verified in
	// SES in the stack's region, or in a verified domain, optionally
	// with a display name: "Example <no-reply@example.com>". Required
	// unless Channel is sms. createauth may send only as this identity.
	EmailFrom string
	// SESConfigurationSet is the SES configuration set of the emails
	// (SES_CONFIGURATION_SET).
	SESConfigurationSet string
	// SMSSenderID and SMSOriginationNumber are SNS SMS attributes
	// (SMS_SENDER_ID, SMS_ORIGINATION_NUMBER).
	SMSSenderID, SMSOriginationNumber string
	// MagicLinkURL is the https page that finishes a sign-in by link
	// (MAGIC_LINK_URL); empty for no links.
	MagicLinkURL string
	// RequirePassword asks for the password (SRP inside CUSTOM_AUTH:
	// SRP_A, then PASSWORD_VERIFIER) before the code (REQUIRE_PASSWORD).
	// That needs ALLOW_USER_SRP_AUTH on the app client, and with it any
	// client may also run USER_SRP_AUTH, which never calls the auth
	// challenge triggers and issues tokens for the password alone,
	// without the code. So RequirePassword fails the synth unless
	// AllowPasswordOnlySignIn is set too.
	RequirePassword bool
	// AllowPasswordOnlySignIn acknowledges what RequirePassword gives up:
	// the code is no second factor against a client that calls
	// USER_SRP_AUTH itself, which signs in with the password alone. With
	// it, AddAppClient adds ALLOW_USER_SRP_AUTH to its clients, and the
	// synth warns (cognitrig:allowPasswordOnlySignIn). It has no use
	// without RequirePassword: the synth fails.
	AllowPasswordOnlySignIn bool
	// AllowUnlimitedSends deploys no send throttle table and sets
	// ALLOW_UNLIMITED_SENDS=true: createauth then sends a code whenever
	// asked, with no per-user and no pool-wide limit, which gives up the
	// defence against message bombing and SMS pumping (each SMS costs
	// money). The synth warns (cognitrig:allowUnlimitedSends). Without
	// it, the construct creates the DynamoDB table of the send limits
	// (see Triggers.SendThrottleTable) and sets SEND_THROTTLE_TABLE.
	AllowUnlimitedSends bool
	// PoolSendLimit bounds the codes createauth sends across all users of
	// the pool (POOL_SEND_LIMIT, written COUNT/WINDOW, such as
	// 1000/1h0m0s); nil: the function's default, 1000 per hour. It cannot
	// be combined with AllowUnlimitedSends: the synth fails.
	PoolSendLimit *SendLimit
	// SMSAllowedCallingCodes are the country calling codes (E.164
	// prefixes without "+", such as "1", "44", "33") that codes may go
	// to by SMS (SMS_ALLOWED_CALLING_CODES). Without it or
	// AllowSMSToAllCountries no code goes by SMS: with Channel sms,
	// createauth refuses to start (the synth fails, naming both props);
	// with auto, a user with a phone number and no email gets no code.
	SMSAllowedCallingCodes []string
	// AllowSMSToAllCountries sends SMS to every country, premium-rate
	// destinations included (SMS_ALLOW_ALL_COUNTRIES=true): it gives up
	// the defence against SMS pumping that SMSAllowedCallingCodes gives.
	// The synth warns (cognitrig:allowSMSToAllCountries); with
	// SMSAllowedCallingCodes too it fails.
	AllowSMSToAllCountries bool
	// DecoyKey keys the masked destinations shown for unknown users
	// (createauth's DECOY_KEY): 16 or more random bytes, hex or base64;
	// keep it across deployments. It is written into the template and
	// the function's configuration, readable by whoever can read either,
	// and the synth warns (cognitrig:decoyKeyInTemplate). Leave it empty:
	// the construct then creates a Secrets Manager secret of 32 random
	// bytes (hex) that stays the same across deployments
	// (Triggers.DecoyKeySecret), gives createauth its ARN only
	// (DECOY_KEY_SECRET_ARN) and lets it call
	// secretsmanager:GetSecretValue on that secret; the key is then in
	// neither the template nor any function's configuration. Without any
	// key, the destinations invented for unknown usernames could be
	// computed by anyone who knows the scheme, which tells them which
	// users exist. It protects only the decoys, never a sign-in.
	DecoyKey string
}

// SendLimit is a number of sends allowed per window of time.
type SendLimit struct {
	// Count is the sends allowed in each window, 1 to 1,000,000.
	Count int
	// Per is the length of the window, a whole number of seconds from
	// one minute to 24 hours, such as awscdk.Duration_Hours(jsii.Number(1)).
	// It must be written out, not a token.
	Per awscdk.Duration
}

// String is the limit as POOL_SEND_LIMIT writes it: COUNT/WINDOW, the
// window as a Go duration ("1000/1h0m0s"). A Per that is nil or a token
// is written as 0s, which the function refuses.
func (l SendLimit) String() string {
	per, _ := goDuration(l.Per)
	return passwordless.SendLimit{Count: l.Count, Window: per}.String()
}

// goDuration returns d as a time.Duration; nil is 0. ok is false when d
// is an unresolved token, whose length only deployment knows (it is
// returned as 0).
func goDuration(d awscdk.Duration) (_ time.Duration, ok bool) {
	if d == nil {
		return 0, true
	}
	if *d.IsUnresolved() {
		return 0, false
	}
	ms := *d.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
	return time.Duration(ms * float64(time.Millisecond)), true
}

// CustomSendersProps configures the shipped custom sender functions
// (triggers/customemailsender and customsmssender,
// docs/customsenders.md), which receive every message Cognito would send,
// with its code encrypted under the pool's KMS key (KMS_KEY_ARN), and
// send it themselves. Both are bound with LambdaVersion V1_0. The key is
// Props.CustomSenderKMSKey, else UserPoolProps.CustomSenderKmsKey, else a
// key the construct creates (see Triggers.CustomSenderKey).
type CustomSendersProps struct {
	// Email and SMS deploy customemailsender on CustomEmailSender and
	// customsmssender on CustomSMSSender; set at least one.
	Email, SMS bool
	// AppName and AppURL override Props.AppName and Props.AppURL in the
	// messages (APP_NAME, APP_URL).
	AppName, AppURL string
	// EmailFrom is the SES sender of customemailsender (EMAIL_FROM),
	// required with Email, written out (not a token): the function may
	// send as this identity (the address and its domain) only.
	EmailFrom string
	// SESConfigurationSet is the SES configuration set of the emails
	// (SES_CONFIGURATION_SET).
	SESConfigurationSet string
	// SMSSenderID and SMSOriginationNumber are the SNS SMS attributes of
	// customsmssender (SMS_SENDER_ID, SMS_ORIGINATION_NUMBER).
	SMSSenderID, SMSOriginationNumber string
	// SMSAllowedCallingCodes are the country calling codes (E.164
	// prefixes without "+", such as "1", "44", "33") customsmssender
	// may send to (SMS_ALLOWED_CALLING_CODES). With SMS, set it or
	// AllowSMSToAllCountries: without one of them it could send no SMS,
	// and the synth fails, naming both props.
	SMSAllowedCallingCodes []string
	// AllowSMSToAllCountries lets customsmssender send to every country,
	// premium-rate destinations included (SMS_ALLOW_ALL_COUNTRIES=true):
	// it gives up the defence against SMS pumping that
	// SMSAllowedCallingCodes gives. The synth warns
	// (cognitrig:allowSMSToAllCountries); with SMSAllowedCallingCodes too
	// it fails.
	AllowSMSToAllCountries bool
}

// PreTokenProps configures the shipped pre token generation function
// (triggers/pretoken, docs/pretoken.md). The zero value deploys a
// function that changes no token.
type PreTokenProps struct {
	// IDTokenClaimsFromAttributes are user attributes copied into
	// ID-token claims: "attribute" keeps its name, "attribute=claim"
	// names the claim (ID_TOKEN_CLAIMS_FROM_ATTRIBUTES).
	IDTokenClaimsFromAttributes []string
	// AccessTokenScopesByGroup maps a group to the scopes its members
	// get in their access token (ACCESS_TOKEN_SCOPES_BY_GROUP); it needs
	// LambdaVersion V2_0 or V3_0.
	AccessTokenScopesByGroup map[string][]string
	// SuppressClaims are left out of the ID token (SUPPRESS_CLAIMS).
	SuppressClaims []string
	// LambdaVersion is the event version of PreTokenGenerationConfig:
	// awscognito.LambdaVersion_V2_0 when empty (user tokens, both ID and
	// access token), LambdaVersion_V3_0 to run for client credentials
	// (machine-to-machine) tokens too, LambdaVersion_V1_0 for a pool on
	// the Lite feature plan (ID token only). V2_0 and V3_0 need the
	// Essentials or Plus feature plan.
	LambdaVersion awscognito.LambdaVersion
}

// PostConfirmationProps configures the shipped post confirmation function
// (triggers/postconfirmation, docs/postconfirmation.md), which adds every
// newly confirmed user to DefaultGroup. Its role may call
// cognito-idp:AdminAddUserToGroup on the pool only.
type PostConfirmationProps struct {
	// DefaultGroup is the group every newly confirmed user joins
	// (DEFAULT_GROUP, required). It must exist in the pool.
	DefaultGroup string
	// CreateGroup creates DefaultGroup in the pool (an
	// AWS::Cognito::UserPoolGroup, see Triggers.DefaultGroup). For an
	// existing pool the stack then owns the group: it must not exist
	// yet, and deleting the stack deletes it with its memberships.
	// Leave it false to use a group made elsewhere.
	CreateGroup bool
}

// version is the LambdaVersion the pre token props ask for.
func (pt *PreTokenProps) version() awscognito.LambdaVersion {
	if pt.LambdaVersion == "" {
		return awscognito.LambdaVersion_V2_0
	}
	return pt.LambdaVersion
}

// envFacts is what the environment builders know besides the props: what
// the construct read from the pool it creates (nil for an existing pool),
// and what it made or was given for the functions.
type envFacts struct {
	pool              *poolFacts
	throttleTable     string // the send throttle table's name, or ""
	decoyKeySecretArn string // the ARN of the secret the construct made for the decoy key (a token), or ""
	kmsKeyArn         string // LambdaConfig.KMSKeyID, or ""
	kmsKeyProp        string // where kmsKeyArn comes from, for messages
}

// triggerEnv is the environment of one shipped function, with the props
// that set each variable, for error messages.
type triggerEnv struct {
	vars  map[string]string
	props map[string]string // variable -> prop name
}

// set sets the variable name to value, unless value is empty; either way
// prop is remembered as what sets it, so that an error about a variable
// that is required but unset names the prop too.
func (e *triggerEnv) set(name, value, prop string) {
	if e.vars == nil {
		e.vars, e.props = map[string]string{}, map[string]string{}
	}
	if prop != "" {
		e.props[name] = prop
	}
	if value != "" {
		e.vars[name] = value
	}
}

// setTrue sets the variable name to true when on, and remembers prop as
// what sets it either way.
func (e *triggerEnv) setTrue(name string, on bool, prop string) {
	v := ""
	if on {
		v = "true"
	}
	e.set(name, v, prop)
}

// check runs the function's own configuration parser on the environment,
// so that props and the deployed function cannot disagree, and names the
// props that set the variables an error names. Values that are unresolved
// CDK tokens are replaced by valid stand-ins, or left out.
func (e *triggerEnv) check(parse func(getenv func(string) string) error) error {
	getenv := func(k string) string {
		v := e.vars[k]
		if isToken(v) {
			return tokenStandIns[k]
		}
		return v
	}
	_, err := trigger.OptionsFromEnv(getenv)
	if err == nil {
		err = parse(getenv)
	}
	if err == nil {
		return nil
	}
	var props []string
	for _, name := range namedVars(err, slices.Sorted(maps.Keys(e.props))) {
		props = append(props, fmt.Sprintf("%s sets %s", e.props[name], name))
	}
	if len(props) > 0 {
		return fmt.Errorf("%w\n(%s)", err, strings.Join(props, "; "))
	}
	return err
}

// namedVars returns the variables of known that err is about, sorted: the
// variables its parser named by type (envvar.Names), never by its text.
func namedVars(err error, known []string) []string {
	var vars []string
	for _, name := range envvar.Names(err) {
		if slices.Contains(known, name) {
			vars = append(vars, name)
		}
	}
	return vars
}

// tokenStandIns are valid values that stand in for unresolved tokens when
// the configuration is checked at synth time.
var tokenStandIns = map[string]string{
	passwordless.EnvThrottleTable:     "cognitrig-send-throttle",
	passwordless.EnvDecoyKey:          strings.Repeat("0f", 32),
	passwordless.EnvDecoyKeySecretARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:cognitrig-decoy-key-AbCdEf",
	"APP_NAME":                        "App",
	"APP_URL":                         "https://app.example.com",
	notify.EnvEmailFrom:               "no-reply@example.com",
	passwordless.EnvMagicLinkURL:      "https://app.example.com/sign-in",
	customsender.EnvKeyARN:            "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000",
}

// commonEnv is the environment every shipped function reads.
func commonEnv(p *Props) *triggerEnv {
	e := &triggerEnv{}
	e.set("LOG_LEVEL", p.LogLevel, "Props.LogLevel")
	e.setTrue("LOG_PERSONAL_DATA", p.LogPersonalData, "Props.LogPersonalData")
	return e
}

func preSignUpEnv(p *Props, _ envFacts) *triggerEnv {
	e, s := commonEnv(p), p.PreSignUp
	e.set(signup.EnvAllowedEmailDomains, strings.Join(s.AllowedEmailDomains, ","), "PreSignUp.AllowedEmailDomains")
	e.set(signup.EnvBlockedEmailDomains, strings.Join(s.BlockedEmailDomains, ","), "PreSignUp.BlockedEmailDomains")
	e.set(signup.EnvAutoConfirmEmailDomains, strings.Join(s.AutoConfirmEmailDomains, ","), "PreSignUp.AutoConfirmEmailDomains")
	e.setTrue(signup.EnvMarkUnprovenEmailVerified, s.MarkUnprovenEmailVerified, "PreSignUp.MarkUnprovenEmailVerified")
	e.setTrue(signup.EnvLinkFederatedUsers, s.LinkFederatedUsers, "PreSignUp.LinkFederatedUsers")
	e.set(signup.EnvTrustUnverifiedEmailProviders, strings.Join(s.TrustUnverifiedEmailProviders, ","), "PreSignUp.TrustUnverifiedEmailProviders")
	return e
}

func checkPreSignUp(getenv func(string) string) error {
	_, err := signup.PolicyFromEnv(getenv)
	return err
}

func customMessageEnv(p *Props, f envFacts) *triggerEnv {
	e, c := commonEnv(p), p.CustomMessage
	setApp(e, p, c.AppName, c.AppURL, "CustomMessage")
	account, verification := c.EmailSendingAccount, c.Verification
	if account == "" && f.pool != nil {
		account = f.pool.emailSendingAccount
	}
	if verification == "" && f.pool != nil {
		verification = f.pool.verification
	}
	e.set("EMAIL_SENDING_ACCOUNT", account, "CustomMessage.EmailSendingAccount")
	e.set("VERIFICATION", verification, "CustomMessage.Verification")
	return e
}

func checkCustomMessage(getenv func(string) string) error {
	_, err := message.ConfigFromEnv(getenv)
	return err
}

func passwordlessEnv(p *Props, f envFacts) *triggerEnv {
	e, pw := commonEnv(p), p.Passwordless
	setApp(e, p, pw.AppName, pw.AppURL, "Passwordless")
	e.set(passwordless.EnvChannel, pw.Channel, "Passwordless.Channel")
	if pw.OTPLength != 0 {
		e.set(passwordless.EnvLength, strconv.Itoa(pw.OTPLength), "Passwordless.OTPLength")
	}
	if pw.OTPTTL != nil {
		ttl, _ := goDuration(pw.OTPTTL) // a token: propProblems
		e.set(passwordless.EnvTTL, ttl.String(), "Passwordless.OTPTTL")
	}
	if pw.MaxAttempts != 0 {
		e.set(passwordless.EnvMaxAttempts, strconv.Itoa(pw.MaxAttempts), "Passwordless.MaxAttempts")
	}
	if pw.MaxResends != nil {
		e.set(passwordless.EnvMaxResends, strconv.Itoa(*pw.MaxResends), "Passwordless.MaxResends")
	}
	setEmail(e, pw.EmailFrom, pw.SESConfigurationSet, "Passwordless")
	setSMS(e, pw.SMSSenderID, pw.SMSOriginationNumber, pw.SMSAllowedCallingCodes, pw.AllowSMSToAllCountries, "Passwordless")
	e.set(passwordless.EnvThrottleTable, f.throttleTable, "Passwordless (the send throttle table the construct creates unless Passwordless.AllowUnlimitedSends)")
	e.setTrue(passwordless.EnvAllowUnlimitedSends, pw.AllowUnlimitedSends, "Passwordless.AllowUnlimitedSends")
	if pw.PoolSendLimit != nil {
		e.set(passwordless.EnvPoolSendLimit, pw.PoolSendLimit.String(), "Passwordless.PoolSendLimit")
	}
	e.set(passwordless.EnvMagicLinkURL, pw.MagicLinkURL, "Passwordless.MagicLinkURL")
	e.setTrue(passwordless.EnvRequirePassword, pw.RequirePassword, "Passwordless.RequirePassword")
	return e
}

// createAuthEnv is createauth's environment: the passwordless one, and
// the decoy key, which only createauth reads: Passwordless.DecoyKey
// (DECOY_KEY), else the ARN of the secret the construct creates
// (DECOY_KEY_SECRET_ARN), which the function reads the key from.
func createAuthEnv(p *Props, f envFacts) *triggerEnv {
	e, pw := passwordlessEnv(p, f), p.Passwordless
	if pw.DecoyKey != "" {
		e.set(passwordless.EnvDecoyKey, pw.DecoyKey, "Passwordless.DecoyKey")
	} else {
		e.set(passwordless.EnvDecoyKeySecretARN, f.decoyKeySecretArn, "Passwordless.DecoyKey (unset: the secret the construct creates)")
	}
	return e
}

func checkPasswordless(getenv func(string) string) error {
	_, err := passwordless.ConfigFromEnv(getenv)
	return err
}

func checkCreateAuth(getenv func(string) string) error {
	cfg, err := passwordless.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	return cfg.CheckCreate()
}

func customSenderEnv(p *Props, f envFacts) *triggerEnv {
	e, cs := commonEnv(p), p.CustomSenders
	setApp(e, p, cs.AppName, cs.AppURL, "CustomSenders")
	e.set(customsender.EnvKeyARN, f.kmsKeyArn, f.kmsKeyProp)
	return e
}

func emailSenderEnv(p *Props, f envFacts) *triggerEnv {
	e, cs := customSenderEnv(p, f), p.CustomSenders
	setEmail(e, cs.EmailFrom, cs.SESConfigurationSet, "CustomSenders")
	return e
}

func smsSenderEnv(p *Props, f envFacts) *triggerEnv {
	e, cs := customSenderEnv(p, f), p.CustomSenders
	setSMS(e, cs.SMSSenderID, cs.SMSOriginationNumber, cs.SMSAllowedCallingCodes, cs.AllowSMSToAllCountries, "CustomSenders")
	return e
}

func checkEmailSender(getenv func(string) string) error {
	return checkSender(getenv, notify.ChannelEmail)
}

// checkSMSSender checks the custom SMS sender's environment as the
// function does, and that it allows SMS to some country: every message of
// that function is an SMS, and with no country it could send none
// (notify.Settings.CheckSMS).
func checkSMSSender(getenv func(string) string) error {
	if err := checkSender(getenv, notify.ChannelSMS); err != nil {
		return err
	}
	cfg, err := customsender.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	return cfg.Settings.CheckSMS()
}

// checkSender checks the environment as the custom sender of channel ch
// reads it at start-up.
func checkSender(getenv func(string) string, ch notify.Channel) error {
	cfg, err := customsender.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	return cfg.Check(ch)
}

func preTokenEnv(p *Props, _ envFacts) *triggerEnv {
	e, pt := commonEnv(p), p.PreToken
	e.set(claims.EnvIDTokenClaimsFromAttributes, strings.Join(pt.IDTokenClaimsFromAttributes, ","), "PreToken.IDTokenClaimsFromAttributes")
	var scopes []string
	for _, group := range slices.Sorted(maps.Keys(pt.AccessTokenScopesByGroup)) {
		scopes = append(scopes, group+"="+strings.Join(pt.AccessTokenScopesByGroup[group], " "))
	}
	e.set(claims.EnvAccessTokenScopesByGroup, strings.Join(scopes, ";"), "PreToken.AccessTokenScopesByGroup")
	e.set(claims.EnvSuppressClaims, strings.Join(pt.SuppressClaims, ","), "PreToken.SuppressClaims")
	return e
}

func checkPreToken(getenv func(string) string) error {
	_, err := claims.ConfigFromEnv(getenv)
	return err
}

func postConfirmationEnv(p *Props, _ envFacts) *triggerEnv {
	e := commonEnv(p)
	e.set(groups.EnvDefaultGroup, p.PostConfirmation.DefaultGroup, "PostConfirmation.DefaultGroup")
	return e
}

func checkPostConfirmation(getenv func(string) string) error {
	_, err := groups.ConfigFromEnv(getenv)
	return err
}

// setEmail sets EMAIL_FROM and SES_CONFIGURATION_SET from the props of
// prefix.
func setEmail(e *triggerEnv, from, configurationSet, prefix string) {
	e.set(notify.EnvEmailFrom, from, prefix+".EmailFrom")
	e.set(notify.EnvConfigurationSet, configurationSet, prefix+".SESConfigurationSet")
}

// setSMS sets SMS_SENDER_ID, SMS_ORIGINATION_NUMBER,
// SMS_ALLOWED_CALLING_CODES and SMS_ALLOW_ALL_COUNTRIES from the props of
// prefix.
func setSMS(e *triggerEnv, senderID, originationNumber string, callingCodes []string, allCountries bool, prefix string) {
	e.set(notify.EnvSMSSenderID, senderID, prefix+".SMSSenderID")
	e.set(notify.EnvSMSOriginationNumber, originationNumber, prefix+".SMSOriginationNumber")
	e.set(notify.EnvSMSAllowedCallingCodes, strings.Join(callingCodes, ","), prefix+".SMSAllowedCallingCodes")
	e.setTrue(notify.EnvSMSAllowAllCountries, allCountries, prefix+".AllowSMSToAllCountries")
}

// setApp sets APP_NAME and APP_URL from the trigger's own props, or else
// from Props.
func setApp(e *triggerEnv, p *Props, name, url, prefix string) {
	if name != "" {
		e.set("APP_NAME", name, prefix+".AppName")
	} else {
		e.set("APP_NAME", p.AppName, "Props.AppName")
	}
	if url != "" {
		e.set("APP_URL", url, prefix+".AppURL")
	} else {
		e.set("APP_URL", p.AppURL, "Props.AppURL")
	}
}

// otpTTL is the code life the passwordless props ask for (a token counts
// as the default; passwordlessEnv reports it).
func (pw *PasswordlessProps) otpTTL() time.Duration {
	if ttl, ok := goDuration(pw.OTPTTL); ok && pw.OTPTTL != nil {
		return ttl
	}
	return 3 * time.Minute
}
