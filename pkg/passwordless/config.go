package passwordless

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/throttle"
)

// The environment variables of the three triggers, besides the
// notify.Settings ones (EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER). They are a public contract: the CDK construct
// sets them, and docs/passwordless.md lists them. Those of the flow are
// read by package authflow, which builds define and verify.
const (
	EnvChannel         = authflow.EnvChannel
	EnvLength          = authflow.EnvLength
	EnvTTL             = authflow.EnvTTL
	EnvMaxAttempts     = authflow.EnvMaxAttempts
	EnvMaxResends      = authflow.EnvMaxResends
	EnvMagicLinkURL    = authflow.EnvMagicLinkURL
	EnvRequirePassword = authflow.EnvRequirePassword
	EnvDecoyKey        = authflow.EnvDecoyKey
	EnvThrottleTable   = "SEND_THROTTLE_TABLE"
)

// Config is the configuration of the passwordless triggers. The three
// functions of one user pool must share it: define counts the attempts and
// resends that create and verify allow, and verify accepts magic-link
// tokens only when create sends them.
type Config struct {
	// Flow is the policy of the sign-in: code length and life, attempts,
	// resends, channel, password first, magic links and the decoy key.
	Flow authflow.Config

	// AppName and AppURL are what messages call and link the app
	// (APP_NAME, APP_URL, as for the custom message trigger). AppName is
	// required by create.
	AppName, AppURL string

	// Settings are how codes are sent: the SES sender (which create
	// needs when codes may go by email) and configuration set, and the
	// SNS attributes.
	notify.Settings

	// MagicLinkURL is the page of the app that finishes a sign-in by link,
	// or "" without magic links. Emails then carry MagicLinkURL#<token>.
	MagicLinkURL string

	// ThrottleTable is the DynamoDB table of the per-user send limit, or
	// "" for none.
	ThrottleTable string
}

// ConfigFromEnv reads the configuration of the passwordless triggers from
// the environment; call it from main with os.Getenv. The variables and
// their defaults:
//
//   - OTP_CHANNEL: email, sms or auto (default): with auto, codes go to
//     the user's email, else to the phone_number.
//   - OTP_LENGTH: digits of a code, 6 (default) to 10.
//   - OTP_TTL: life of a code, a Go duration from 1m to 15m; 3m by default.
//   - OTP_MAX_ATTEMPTS: wrong answers before the sign-in fails, 1 to 10;
//     3 by default.
//   - OTP_MAX_RESENDS: new codes a client may ask for in one sign-in,
//     0 to 10; 2 by default.
//   - REQUIRE_PASSWORD: true for password then code; false by default.
//   - MAGIC_LINK_URL: the https page that finishes a sign-in by link;
//     unset for no links.
//   - EMAIL_FROM, SES_CONFIGURATION_SET: the SES sender and configuration
//     set.
//   - SMS_SENDER_ID, SMS_ORIGINATION_NUMBER: the SNS SMS attributes.
//   - SEND_THROTTLE_TABLE: the DynamoDB table of the per-user send limit.
//   - DECOY_KEY: at least 16 random bytes, in hex or base64, that key the
//     destinations shown for unknown users (see authflow.Config.DecoyKey).
//   - APP_NAME, APP_URL: the app's name and address in messages.
//
// Values are trimmed. The error names every wrong variable. ConfigFromEnv
// does not require what only create needs; [Config.CheckCreate] does.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{
		MagicLinkURL:  get(EnvMagicLinkURL),
		ThrottleTable: get(EnvThrottleTable),
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	flow, err := authflow.ConfigFromEnv(getenv)
	add(err)
	c.Flow = flow
	st, err := notify.SettingsFromEnv(getenv)
	add(err)
	c.Settings = st
	if c.ThrottleTable != "" {
		if err := throttle.CheckTableName(c.ThrottleTable); err != nil {
			add(fmt.Errorf("%s: %w", EnvThrottleTable, err))
		}
	}
	if m, err := message.ConfigFromEnv(getenv); err == nil {
		c.AppName, c.AppURL = m.AppName, m.AppURL
	} else if get("APP_NAME") != "" || get("APP_URL") != "" {
		// Without APP_NAME, only create fails (CheckCreate); a bad value
		// fails every function.
		add(err)
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// CheckCreate reports what create needs and c lacks: APP_NAME, and
// EMAIL_FROM when codes may go by email.
func (c Config) CheckCreate() error {
	var errs []error
	if c.AppName == "" {
		errs = append(errs, errors.New("APP_NAME is not set; set it to the name of your app as its users know it: messages show it"))
	}
	if c.Flow.Channel != authflow.ChannelSMS && c.EmailFrom == "" {
		errs = append(errs, fmt.Errorf("%s is not set; set it to an address or domain verified in SES, or set %s=sms", notify.EnvEmailFrom, EnvChannel))
	}
	return errors.Join(errs...)
}
