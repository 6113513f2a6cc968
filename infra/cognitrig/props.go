package cognitrig

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

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
	// AutoConfirmEmailDomains: users of these domains are confirmed and
	// their email verified without a code (AUTO_CONFIRM_EMAIL_DOMAINS).
	AutoConfirmEmailDomains []string
	// LinkFederatedUsers links a federated user's first sign-in to the
	// native user with the same verified email (LINK_FEDERATED_USERS).
	// The function then gets cognito-idp:ListUsers,
	// ListIdentityProviders and AdminLinkProviderForUser on the pool.
	LinkFederatedUsers bool
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
// auth slots (docs/passwordless.md). The three get the same environment.
type PasswordlessProps struct {
	// AppName and AppURL override Props.AppName and Props.AppURL in the
	// sign-in messages (APP_NAME, APP_URL).
	AppName, AppURL string
	// Channel is email, sms or auto (OTP_CHANNEL; empty: auto).
	Channel string
	// OTPLength is the number of digits, 6 to 10 (OTP_LENGTH; 0: 6).
	OTPLength int
	// OTPTTL is the life of a code, 1m to 15m (OTP_TTL; 0: 3m). An app
	// client the construct creates gets an AuthSessionValidity of at
	// least this.
	OTPTTL time.Duration
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
	// RequirePassword asks for the password (SRP) before the code
	// (REQUIRE_PASSWORD). An app client the construct creates then also
	// allows ALLOW_USER_SRP_AUTH.
	RequirePassword bool
	// SendThrottle creates the DynamoDB table of the per-user send limit
	// (pkg/throttle's schema: partition key pk, TTL on expires,
	// on-demand) and sets SEND_THROTTLE_TABLE; createauth gets GetItem
	// and PutItem on it only.
	SendThrottle bool
	// DecoyKey keys the masked destinations shown for unknown users
	// (DECOY_KEY): 16 or more random bytes, hex or base64; keep it across
	// deployments. Optional: without it, the destinations invented for
	// unknown usernames can be computed by anyone who knows the scheme.
	// It is a plain environment variable, readable by whoever can read
	// the function's configuration or the template; it protects only
	// the decoys, never a sign-in.
	DecoyKey string
}

// triggerEnv is the environment of one shipped function, with the props
// that set each variable, for error messages.
type triggerEnv struct {
	vars  map[string]string
	props map[string]string // variable -> prop name
}

func (e *triggerEnv) set(name, value, prop string) {
	if value == "" {
		return
	}
	if e.vars == nil {
		e.vars, e.props = map[string]string{}, map[string]string{}
	}
	e.vars[name], e.props[name] = value, prop
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
	for _, name := range slices.Sorted(maps.Keys(e.props)) {
		if strings.Contains(err.Error(), name) {
			props = append(props, fmt.Sprintf("%s sets %s", e.props[name], name))
		}
	}
	if len(props) > 0 {
		return fmt.Errorf("%w\n(%s)", err, strings.Join(props, "; "))
	}
	return err
}

// tokenStandIns are valid values that stand in for unresolved tokens when
// the configuration is checked at synth time.
var tokenStandIns = map[string]string{
	passwordless.EnvThrottleTable: "cognitrig-send-throttle",
	"APP_NAME":                    "App",
	"APP_URL":                     "https://app.example.com",
	notify.EnvEmailFrom:           "no-reply@example.com",
	passwordless.EnvMagicLinkURL:  "https://app.example.com/sign-in",
}

// commonEnv is the environment every shipped function reads.
func commonEnv(p *Props) *triggerEnv {
	e := &triggerEnv{}
	e.set("LOG_LEVEL", p.LogLevel, "Props.LogLevel")
	if p.LogPersonalData {
		e.set("LOG_PERSONAL_DATA", "true", "Props.LogPersonalData")
	}
	return e
}

func preSignUpEnv(p *Props, _ *poolFacts) *triggerEnv {
	e, s := commonEnv(p), p.PreSignUp
	e.set(signup.EnvAllowedEmailDomains, strings.Join(s.AllowedEmailDomains, ","), "PreSignUp.AllowedEmailDomains")
	e.set(signup.EnvBlockedEmailDomains, strings.Join(s.BlockedEmailDomains, ","), "PreSignUp.BlockedEmailDomains")
	e.set(signup.EnvAutoConfirmEmailDomains, strings.Join(s.AutoConfirmEmailDomains, ","), "PreSignUp.AutoConfirmEmailDomains")
	if s.LinkFederatedUsers {
		e.set(signup.EnvLinkFederatedUsers, "true", "PreSignUp.LinkFederatedUsers")
	}
	return e
}

func checkPreSignUp(getenv func(string) string) error {
	_, err := signup.PolicyFromEnv(getenv)
	return err
}

func customMessageEnv(p *Props, pool *poolFacts) *triggerEnv {
	e, c := commonEnv(p), p.CustomMessage
	setApp(e, p, c.AppName, c.AppURL, "CustomMessage")
	account, verification := c.EmailSendingAccount, c.Verification
	if account == "" && pool != nil {
		account = pool.emailSendingAccount
	}
	if verification == "" && pool != nil {
		verification = pool.verification
	}
	e.set("EMAIL_SENDING_ACCOUNT", account, "CustomMessage.EmailSendingAccount")
	e.set("VERIFICATION", verification, "CustomMessage.Verification")
	return e
}

func checkCustomMessage(getenv func(string) string) error {
	_, err := message.ConfigFromEnv(getenv)
	return err
}

func passwordlessEnv(p *Props, _ *poolFacts) *triggerEnv {
	e, pw := commonEnv(p), p.Passwordless
	setApp(e, p, pw.AppName, pw.AppURL, "Passwordless")
	e.set(passwordless.EnvChannel, pw.Channel, "Passwordless.Channel")
	if pw.OTPLength != 0 {
		e.set(passwordless.EnvLength, strconv.Itoa(pw.OTPLength), "Passwordless.OTPLength")
	}
	if pw.OTPTTL != 0 {
		e.set(passwordless.EnvTTL, pw.OTPTTL.String(), "Passwordless.OTPTTL")
	}
	if pw.MaxAttempts != 0 {
		e.set(passwordless.EnvMaxAttempts, strconv.Itoa(pw.MaxAttempts), "Passwordless.MaxAttempts")
	}
	if pw.MaxResends != nil {
		e.set(passwordless.EnvMaxResends, strconv.Itoa(*pw.MaxResends), "Passwordless.MaxResends")
	}
	e.set(notify.EnvEmailFrom, pw.EmailFrom, "Passwordless.EmailFrom")
	e.set(notify.EnvConfigurationSet, pw.SESConfigurationSet, "Passwordless.SESConfigurationSet")
	e.set(notify.EnvSMSSenderID, pw.SMSSenderID, "Passwordless.SMSSenderID")
	e.set(notify.EnvSMSOriginationNumber, pw.SMSOriginationNumber, "Passwordless.SMSOriginationNumber")
	e.set(passwordless.EnvMagicLinkURL, pw.MagicLinkURL, "Passwordless.MagicLinkURL")
	if pw.RequirePassword {
		e.set(passwordless.EnvRequirePassword, "true", "Passwordless.RequirePassword")
	}
	e.set(passwordless.EnvDecoyKey, pw.DecoyKey, "Passwordless.DecoyKey")
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

// otpTTL is the code life the passwordless props ask for.
func (pw *PasswordlessProps) otpTTL() time.Duration {
	if pw.OTPTTL == 0 {
		return 3 * time.Minute
	}
	return pw.OTPTTL
}
