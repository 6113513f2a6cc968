package message

import (
	"errors"
	"slices"
	"strings"

	"github.com/cognitrig/cognitrig/internal/appenv"
	"github.com/cognitrig/cognitrig/internal/envvar"
)

// EmailSendingAccount says who sends the user pool's email, as the pool's
// EmailConfiguration.EmailSendingAccount does.
type EmailSendingAccount string

// The email senders of a user pool.
const (
	// Developer: the pool sends through Amazon SES, and a trigger may set
	// the email subject and body.
	Developer EmailSendingAccount = "DEVELOPER"
	// CognitoDefault: Cognito's own sender, which refuses a custom email
	// subject or body; only the SMS text can be customized.
	CognitoDefault EmailSendingAccount = "COGNITO_DEFAULT"
)

// Verification says how the pool's sign-up email verifies an address, as
// its VerificationMessageTemplate.DefaultEmailOption does.
type Verification string

// The verification kinds.
const (
	// VerifyByCode: the user types a code (CONFIRM_WITH_CODE).
	VerifyByCode Verification = "code"
	// VerifyByLink: the user follows a link (CONFIRM_WITH_LINK).
	VerifyByLink Verification = "link"
)

// MaxAppName is the longest APP_NAME accepted, in characters: the default
// SMS texts, which show it, then stay within Cognito's 140 characters.
const MaxAppName = appenv.MaxName

// Config configures [CustomMessage]. The zero value of each optional field
// means its default.
type Config struct {
	// AppName (APP_NAME, required) is the name of the app as its users
	// know it; messages show it.
	AppName string
	// AppURL (APP_URL, optional) is the app's http or https address;
	// messages link to it when it is set. A trailing slash is removed.
	AppURL string
	// EmailSendingAccount (EMAIL_SENDING_ACCOUNT) is Developer by default.
	// With CognitoDefault only the SMS text is set.
	EmailSendingAccount EmailSendingAccount
	// Verification (VERIFICATION) is VerifyByCode by default. With
	// VerifyByLink the SignUp and ResendCode emails carry Cognito's
	// verification link instead of the code.
	Verification Verification
}

// ConfigFromEnv reads the configuration of the custom message trigger from
// the environment; call it from main with os.Getenv:
//
//   - APP_NAME (required): the app's name as users know it, one line, at
//     most MaxAppName characters.
//   - APP_URL: the app's address, http:// or https://; empty by default.
//   - EMAIL_SENDING_ACCOUNT: DEVELOPER (default) or COGNITO_DEFAULT, as
//     the user pool's email configuration says.
//   - VERIFICATION: code (default) or link, as the user pool's
//     verification message template says (CONFIRM_WITH_CODE or
//     CONFIRM_WITH_LINK).
//
// Values are trimmed; the two choices ignore case. The error lists every
// wrong variable by name.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		AppName:             strings.TrimSpace(getenv(appenv.EnvName)),
		AppURL:              strings.TrimSpace(getenv(appenv.EnvURL)),
		EmailSendingAccount: EmailSendingAccount(strings.ToUpper(strings.TrimSpace(getenv("EMAIL_SENDING_ACCOUNT")))),
		Verification:        Verification(strings.ToLower(strings.TrimSpace(getenv("VERIFICATION")))),
	}
	if err := c.normalize(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// normalize checks c, fills in the defaults and trims AppURL. Its errors
// name the environment variables, which are the public names of the
// fields.
func (c *Config) normalize() error {
	var errs []error
	switch {
	case c.AppName == "":
		errs = append(errs, envvar.Wrap(appenv.EnvName, errors.New("APP_NAME is not set; set it to the name of your app as its users know it")))
	default:
		if err := appenv.CheckName(c.AppName); err != nil {
			errs = append(errs, err)
		}
	}
	if u, err := appenv.NormalizeURL(c.AppURL); err != nil {
		errs = append(errs, err)
	} else {
		c.AppURL = u
	}
	if !choose(&c.EmailSendingAccount, Developer, CognitoDefault) {
		errs = append(errs, envvar.Errorf("EMAIL_SENDING_ACCOUNT", "EMAIL_SENDING_ACCOUNT=%q is not DEVELOPER or COGNITO_DEFAULT; use the EmailSendingAccount of the user pool's email configuration", c.EmailSendingAccount))
	}
	if !choose(&c.Verification, VerifyByCode, VerifyByLink) {
		errs = append(errs, envvar.Errorf("VERIFICATION", "VERIFICATION=%q is not code or link; use link when the user pool verifies email with a link (CONFIRM_WITH_LINK), code otherwise", c.Verification))
	}
	return errors.Join(errs...)
}

// choose sets an empty *v to its default, the first choice, and reports
// whether *v is one of the choices.
func choose[T ~string](v *T, choices ...T) bool {
	if *v == "" {
		*v = choices[0]
	}
	return slices.Contains(choices, *v)
}
