package passwordlesscore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/internal/appenv"
	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/internal/poollimit"
	"github.com/cognitrig/cognitrig/internal/tablename"
	"github.com/cognitrig/cognitrig/pkg/notify"
)

// The environment variables of the three functions, besides the
// notify.Settings ones (EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER, SMS_ALLOWED_CALLING_CODES,
// SMS_ALLOW_ALL_COUNTRIES). They are a public contract: the CDK construct
// sets them, and docs/passwordless.md lists them. Those of the flow are
// in flowenv.go.
const (
	// EnvThrottleTable names the DynamoDB table of the send limits, per
	// user and across the pool; create requires it unless
	// EnvAllowUnlimitedSends is true.
	EnvThrottleTable = "SEND_THROTTLE_TABLE"
	// EnvPoolSendLimit bounds the codes sent across all users of the
	// pool, as COUNT/WINDOW (such as 1000/1h; ParseSendLimit reads it).
	EnvPoolSendLimit = "POOL_SEND_LIMIT"
	// EnvAllowUnlimitedSends set to true runs create without the send
	// throttle table: no per-user and no pool-wide limit on sends.
	EnvAllowUnlimitedSends = "ALLOW_UNLIMITED_SENDS"
	// EnvAllowPredictableDecoys set to true runs create without a
	// DECOY_KEY: the destinations shown for unknown users can then be
	// computed by anyone, who can tell them from real users' by it.
	EnvAllowPredictableDecoys = "ALLOW_PREDICTABLE_DECOYS"
	EnvAppName                = appenv.EnvName
	EnvAppURL                 = appenv.EnvURL
)

// MaxAppName is the longest APP_NAME accepted, in characters, as for the
// custom message trigger (message.MaxAppName): the SMS, which shows it,
// must stay within 140 characters.
const MaxAppName = appenv.MaxName

// Config is the configuration of the passwordless functions. The three
// functions of one user pool must share it: define counts the attempts and
// resends that create and verify allow, and verify accepts magic-link
// tokens only when create sends them.
type Config struct {
	// Flow is the policy of the sign-in: code length and life, attempts,
	// resends, channel, password first, magic links and the decoy key.
	Flow FlowConfig

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

	// ThrottleTable is the DynamoDB table of the send limits, per user and
	// across the pool (SEND_THROTTLE_TABLE), or "" for none, which create
	// accepts only with AllowUnlimitedSends.
	ThrottleTable string

	// PoolSendLimit is the most codes create sends across all the users of
	// the pool in each window, counted in ThrottleTable (POOL_SEND_LIMIT;
	// DefaultPoolSendLimit when unset). The zero value means the default.
	PoolSendLimit SendLimit

	// AllowUnlimitedSends lets create send without ThrottleTable, so
	// without any limit on sends (ALLOW_UNLIMITED_SENDS=true). It is an
	// explicit choice: one attacker can then send codes without end.
	AllowUnlimitedSends bool

	// DecoyKeySecretARN is the ARN or name of the Secrets Manager secret
	// whose SecretString is the decoy key (DECOY_KEY_SECRET_ARN), in the
	// form of DECOY_KEY, or "" for none. Create then reads the key from
	// the secret at its first invocation, instead of taking it from
	// Flow.DecoyKey, so that the key is in neither the template nor the
	// function's configuration. It stands for a key wherever one is
	// required; it and Flow.DecoyKey exclude each other.
	DecoyKeySecretARN string

	// AllowPredictableDecoys lets create run without Flow.DecoyKey or
	// DecoyKeySecretARN (ALLOW_PREDICTABLE_DECOYS=true). It is an
	// explicit choice: the destination an unknown username is shown can
	// then be computed by anyone, who tells unknown usernames from real
	// ones by comparing.
	AllowPredictableDecoys bool
}

// SendLimit is a number of sends per window, as POOL_SEND_LIMIT writes it:
// COUNT/WINDOW, such as 1000/1h.
type SendLimit struct {
	// Count is the most sends in a window, 1 to MaxPoolSendCount.
	Count int
	// Window is the window's length, a whole number of seconds from
	// MinPoolSendWindow to MaxPoolSendWindow.
	Window time.Duration
}

// The bounds of POOL_SEND_LIMIT, those of package throttle's PoolLimit.
const (
	MaxPoolSendCount  = poollimit.MaxCount
	MinPoolSendWindow = poollimit.MinWindow
	MaxPoolSendWindow = poollimit.MaxWindow
)

// DefaultPoolSendLimit returns the pool-wide send limit of create when
// POOL_SEND_LIMIT is unset: 1000 codes per hour.
func DefaultPoolSendLimit() SendLimit {
	return SendLimit{Count: poollimit.DefaultCount, Window: poollimit.DefaultWindow}
}

// String writes l as POOL_SEND_LIMIT does, as in "1000/1h0m0s".
func (l SendLimit) String() string { return strconv.Itoa(l.Count) + "/" + l.Window.String() }

// ParseSendLimit reads COUNT/WINDOW: COUNT is 1 to MaxPoolSendCount, in
// ASCII digits without sign or leading zero; WINDOW a Go duration (such
// as 1h, 30m, 1h30m) from MinPoolSendWindow to MaxPoolSendWindow, in
// whole seconds. It refuses anything else, saying what is wrong.
func ParseSendLimit(s string) (SendLimit, error) {
	count, window, ok := strings.Cut(s, "/")
	if !ok {
		return SendLimit{}, fmt.Errorf("%q is not COUNT/WINDOW; write the most codes per window, such as 1000/1h", s)
	}
	var l SendLimit
	if count == "" || count[0] == '0' || strings.Trim(count, "0123456789") != "" || len(count) > len(strconv.Itoa(MaxPoolSendCount)) {
		return SendLimit{}, fmt.Errorf("%q: the count %q is not a whole number from 1 to %d", s, count, MaxPoolSendCount)
	}
	l.Count, _ = strconv.Atoi(count)
	if l.Count > MaxPoolSendCount {
		return SendLimit{}, fmt.Errorf("%q: the count %d is more than %d", s, l.Count, MaxPoolSendCount)
	}
	d, err := time.ParseDuration(window)
	switch {
	case err != nil || strings.HasPrefix(window, "+"):
		return SendLimit{}, fmt.Errorf("%q: the window %q is not a duration; write one such as 1h or 30m", s, window)
	case d < MinPoolSendWindow || d > MaxPoolSendWindow:
		return SendLimit{}, fmt.Errorf("%q: the window %v is out of range; use %v to %v", s, d, MinPoolSendWindow, MaxPoolSendWindow)
	case d%time.Second != 0:
		return SendLimit{}, fmt.Errorf("%q: the window %v is not a whole number of seconds", s, d)
	}
	l.Window = d
	return l, nil
}

// ConfigFromEnv reads the configuration of the passwordless functions
// from the environment; call it from main with os.Getenv. The variables
// and their defaults:
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
//   - SMS_ALLOWED_CALLING_CODES, SMS_ALLOW_ALL_COUNTRIES: the countries
//     SMS may go to (notify.SettingsFromEnv); none when neither is set.
//   - SEND_THROTTLE_TABLE: the DynamoDB table of the send limits, per
//     user and across the pool; create requires it unless
//     ALLOW_UNLIMITED_SENDS=true.
//   - POOL_SEND_LIMIT: the most codes sent across the pool's users per
//     window, COUNT/WINDOW (ParseSendLimit); 1000/1h by default.
//   - ALLOW_UNLIMITED_SENDS: true lets create run without
//     SEND_THROTTLE_TABLE, with no limit on sends; false by default.
//     Setting it with SEND_THROTTLE_TABLE or POOL_SEND_LIMIT is refused.
//   - DECOY_KEY: at least 16 random bytes, in hex or base64, that key the
//     destinations shown for unknown users (see FlowConfig.DecoyKey);
//     create requires it or DECOY_KEY_SECRET_ARN unless
//     ALLOW_PREDICTABLE_DECOYS=true, which is refused next to a key.
//   - DECOY_KEY_SECRET_ARN: the ARN or name of a Secrets Manager secret
//     whose SecretString is the decoy key, in the form of DECOY_KEY, which
//     create reads at its first invocation; refused next to DECOY_KEY.
//   - APP_NAME, APP_URL: the app's name (one line, at most MaxAppName
//     characters) and its http or https address, in messages.
//
// Values are trimmed. The error names every wrong variable, and both
// variables of a contradiction. ConfigFromEnv does not require what only
// create needs; [Config.CheckCreate] does.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{
		MagicLinkURL:      get(EnvMagicLinkURL),
		ThrottleTable:     get(EnvThrottleTable),
		PoolSendLimit:     DefaultPoolSendLimit(),
		DecoyKeySecretARN: get(EnvDecoyKeySecretARN),
		AppName:           get(EnvAppName),
		AppURL:            get(EnvAppURL),
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
	flow, err := FlowConfigFromEnv(getenv)
	add(err)
	c.Flow = flow
	if c.ThrottleTable != "" {
		if err := tablename.Check(c.ThrottleTable); err != nil {
			add(envvar.Errorf(EnvThrottleTable, "%s: %w", EnvThrottleTable, err))
		}
	}
	poolLimit := get(EnvPoolSendLimit)
	if poolLimit != "" {
		l, err := ParseSendLimit(poolLimit)
		if err != nil {
			add(envvar.Errorf(EnvPoolSendLimit, "%s=%w", EnvPoolSendLimit, err))
		}
		c.PoolSendLimit = l
	}
	if c.DecoyKeySecretARN != "" {
		if err := CheckSecretID(c.DecoyKeySecretARN); err != nil {
			add(envvar.Errorf(EnvDecoyKeySecretARN, "%s=%w", EnvDecoyKeySecretARN, err))
		}
		if get(EnvDecoyKey) != "" {
			add(envvar.Wrap(EnvDecoyKey, envvar.Errorf(EnvDecoyKeySecretARN, "%s and %s are both set: the key comes either from the function's configuration or from the secret; unset %s to keep the key out of the configuration",
				EnvDecoyKey, EnvDecoyKeySecretARN, EnvDecoyKey)))
		}
	}
	add(boolVar(get, EnvAllowUnlimitedSends, &c.AllowUnlimitedSends))
	add(boolVar(get, EnvAllowPredictableDecoys, &c.AllowPredictableDecoys))
	if c.AllowPredictableDecoys && c.DecoyKeySecretARN != "" {
		add(envvar.Wrap(EnvAllowPredictableDecoys, envvar.Errorf(EnvDecoyKeySecretARN, "%s=true and %s contradict each other: the key in the secret makes the decoys unpredictable; unset %s",
			EnvAllowPredictableDecoys, EnvDecoyKeySecretARN, EnvAllowPredictableDecoys)))
	}
	if c.AllowPredictableDecoys && get(EnvDecoyKey) != "" {
		add(envvar.Wrap(EnvAllowPredictableDecoys, envvar.Errorf(EnvDecoyKey, "%s=true and %s contradict each other: the key makes the decoys unpredictable; unset %s",
			EnvAllowPredictableDecoys, EnvDecoyKey, EnvAllowPredictableDecoys)))
	}
	if c.AllowUnlimitedSends && c.ThrottleTable != "" {
		add(envvar.Wrap(EnvAllowUnlimitedSends, envvar.Errorf(EnvThrottleTable, "%s=true and %s=%q contradict each other: the table limits sends, the switch turns every limit off; unset %s to keep the limits",
			EnvAllowUnlimitedSends, EnvThrottleTable, c.ThrottleTable, EnvAllowUnlimitedSends)))
	}
	if c.AllowUnlimitedSends && poolLimit != "" {
		add(envvar.Wrap(EnvAllowUnlimitedSends, envvar.Errorf(EnvPoolSendLimit, "%s=true and %s=%q contradict each other: the switch turns every limit off, the pool's included; unset one of them",
			EnvAllowUnlimitedSends, EnvPoolSendLimit, poolLimit)))
	}
	add(appenv.CheckName(c.AppName))
	if u, err := appenv.NormalizeURL(c.AppURL); err != nil {
		add(err)
	} else {
		c.AppURL = u
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// CheckCreate reports what create needs and c lacks: APP_NAME; EMAIL_FROM
// when codes may go by email; DECOY_KEY or DECOY_KEY_SECRET_ARN (one of
// them, a valid one) unless ALLOW_PREDICTABLE_DECOYS=true;
// SEND_THROTTLE_TABLE, the send limits, unless ALLOW_UNLIMITED_SENDS=true; and with OTP_CHANNEL=sms, the countries SMS
// may go to (notify.Settings.CheckSMS). With OTP_CHANNEL=auto no country
// is required: a phone number outside them is no destination for a code.
func (c Config) CheckCreate() error {
	var errs []error
	if c.AppName == "" {
		errs = append(errs, appenv.ErrNoName)
	}
	if c.Flow.Channel != ChannelSMS && c.EmailFrom == "" {
		errs = append(errs, envvar.Wrap(notify.EnvEmailFrom, envvar.Errorf(EnvChannel, "%s is not set; set it to an address or domain verified in SES, or set %s=sms", notify.EnvEmailFrom, EnvChannel)))
	}
	switch {
	case len(c.Flow.DecoyKey) > 0 && c.DecoyKeySecretARN != "":
		errs = append(errs, envvar.Wrap(EnvDecoyKey, envvar.Errorf(EnvDecoyKeySecretARN, "%s and %s are both set: the key comes either from the function's configuration or from the secret; unset %s",
			EnvDecoyKey, EnvDecoyKeySecretARN, EnvDecoyKey)))
	case c.DecoyKeySecretARN != "":
		if err := CheckSecretID(c.DecoyKeySecretARN); err != nil {
			errs = append(errs, envvar.Errorf(EnvDecoyKeySecretARN, "%s=%w", EnvDecoyKeySecretARN, err))
		}
	case len(c.Flow.DecoyKey) == 0 && !c.AllowPredictableDecoys:
		errs = append(errs, envvar.Wrap(EnvDecoyKey, envvar.Wrap(EnvDecoyKeySecretARN, envvar.Errorf(EnvAllowPredictableDecoys, "%s is not set, nor %s; create shows unknown users a masked destination derived from the username, and without a secret key anyone can compute it and so tell unknown usernames from real ones: set %s to the ARN of a Secrets Manager secret that holds 32 random bytes in hex (openssl rand -hex 32), or %s to such a key, the same for every deployment; or set %s=true to accept that",
			EnvDecoyKey, EnvDecoyKeySecretARN, EnvDecoyKeySecretARN, EnvDecoyKey, EnvAllowPredictableDecoys))))
	}
	if c.ThrottleTable == "" && !c.AllowUnlimitedSends {
		errs = append(errs, envvar.Wrap(EnvThrottleTable, envvar.Errorf(EnvAllowUnlimitedSends, "%s is not set; create limits the codes it sends, per user and across the user pool, in that DynamoDB table (partition key pk of type String, Time to Live on expires): set it to the table's name, or set %s=true to send without any limit",
			EnvThrottleTable, EnvAllowUnlimitedSends)))
	}
	if c.Flow.Channel == ChannelSMS {
		if err := c.Settings.CheckSMS(); err != nil {
			errs = append(errs, envvar.Errorf(EnvChannel, "%s=sms: %w", EnvChannel, err))
		}
	}
	return errors.Join(errs...)
}

// boolVar parses the boolean variable name into *dst, when it is set.
func boolVar(get func(string) string, name string, dst *bool) error {
	v := get(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return envvar.Errorf(name, "%s=%q is not true or false", name, v)
	}
	*dst = b
	return nil
}
