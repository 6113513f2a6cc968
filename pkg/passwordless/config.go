package passwordless

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/throttle"
)

// The environment variables of the three triggers, besides the
// notify.Settings ones (EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER). They are a public contract: the CDK construct
// sets them, and docs/passwordless.md lists them.
const (
	EnvChannel         = "OTP_CHANNEL"
	EnvLength          = "OTP_LENGTH"
	EnvTTL             = "OTP_TTL"
	EnvMaxAttempts     = "OTP_MAX_ATTEMPTS"
	EnvMaxResends      = "OTP_MAX_RESENDS"
	EnvMagicLinkURL    = "MAGIC_LINK_URL"
	EnvRequirePassword = "REQUIRE_PASSWORD"
	EnvThrottleTable   = "SEND_THROTTLE_TABLE"
	EnvDecoyKey        = "DECOY_KEY"
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
		Flow:          authflow.DefaultConfig(),
		MagicLinkURL:  get(EnvMagicLinkURL),
		ThrottleTable: get(EnvThrottleTable),
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	st, err := notify.SettingsFromEnv(getenv)
	add(err)
	c.Settings = st
	if v := get(EnvChannel); v != "" {
		ch, err := authflow.ParseChannel(strings.ToLower(v))
		if err != nil {
			err = fmt.Errorf("%s=%q is not a channel; use email, sms or auto", EnvChannel, v)
		}
		c.Flow.Channel = ch
		add(err)
	}
	add(intVar(get, EnvLength, &c.Flow.OTPLength, 6, 10, "digits"))
	add(intVar(get, EnvMaxAttempts, &c.Flow.MaxAttempts, 1, authflow.MaxAttemptsLimit, "wrong answers"))
	add(intVar(get, EnvMaxResends, &c.Flow.MaxResends, 0, authflow.MaxResendsLimit, "resends"))
	if v := get(EnvTTL); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			add(fmt.Errorf("%s=%q is not a duration; write one such as 3m or 90s", EnvTTL, v))
		case d < authflow.MinTTL || d > authflow.MaxTTL:
			add(fmt.Errorf("%s=%v is out of range; use %v to %v (Cognito's longest sign-in session)", EnvTTL, d, authflow.MinTTL, authflow.MaxTTL))
		default:
			c.Flow.TTL = d
		}
	}
	if v := get(EnvRequirePassword); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			add(fmt.Errorf("%s=%q is not true or false", EnvRequirePassword, v))
		}
		c.Flow.RequirePassword = b
	}
	if c.MagicLinkURL != "" {
		add(checkMagicLinkURL(c.MagicLinkURL))
		c.Flow.MagicLink = true
	}
	if v := get(EnvDecoyKey); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			add(fmt.Errorf("%s: %w", EnvDecoyKey, err))
		}
		c.Flow.DecoyKey = key
	}
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

// intVar parses the integer variable name into *dst, when it is set.
func intVar(get func(string) string, name string, dst *int, lo, hi int, what string) error {
	v := get(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("%s=%q is out of range; use %d to %d %s", name, v, lo, hi, what)
	}
	*dst = n
	return nil
}

// checkMagicLinkURL accepts an https address without a fragment, or an
// http one on the local machine (for development).
func checkMagicLinkURL(s string) error {
	u, err := url.Parse(s)
	local := u != nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("%s=%q is not an absolute address; use the page of your app that finishes a sign-in, such as https://app.example.com/sign-in", EnvMagicLinkURL, s)
	case u.Scheme != "https" && !(u.Scheme == "http" && local):
		return fmt.Errorf("%s=%q must use https (http only for localhost): the link carries a sign-in secret", EnvMagicLinkURL, s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return fmt.Errorf("%s=%q has a fragment (#...); the token goes there, so leave it out", EnvMagicLinkURL, s)
	case u.User != nil:
		return fmt.Errorf("%s has a user name or password in it; remove them", EnvMagicLinkURL)
	case strings.ContainsAny(s, " \"'<>\\") || !printable(s):
		return fmt.Errorf("%s=%q has characters an address cannot have; percent-encode them", EnvMagicLinkURL, s)
	}
	return nil
}

// decodeKey reads a key in hex or in standard or URL-safe base64.
func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil {
		return checkKey(b)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return checkKey(b)
		}
	}
	return nil, errors.New("not hex or base64; generate one with: openssl rand -hex 32")
}

func checkKey(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("has %d bytes; use at least 16 random bytes (openssl rand -hex 32)", len(b))
	}
	return b, nil
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}
