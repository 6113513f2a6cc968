package customsender

import (
	"errors"
	"strings"

	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
)

// The environment variables of the custom sender triggers, besides
// APP_NAME and APP_URL (read by message.ConfigFromEnv) and LOG_LEVEL and
// LOG_PERSONAL_DATA (trigger.OptionsFromEnv). They are a public contract:
// docs/customsenders.md lists them.
// EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER, SMS_ALLOWED_CALLING_CODES and
// SMS_ALLOW_ALL_COUNTRIES are notify.Settings.
const EnvKeyARN = "KMS_KEY_ARN"

// Config is the configuration of the custom email and SMS sender
// triggers.
type Config struct {
	// KeyARN is the ARN of the symmetric KMS key Cognito encrypts the
	// codes with: the user pool's LambdaConfig.KMSKeyID (KMS_KEY_ARN,
	// required).
	KeyARN string
	// AppName and AppURL are what messages call and link the app
	// (APP_NAME, required; APP_URL), as for the custom message trigger.
	AppName, AppURL string
	// Settings are how messages are sent (EMAIL_FROM,
	// SES_CONFIGURATION_SET, SMS_SENDER_ID, SMS_ORIGINATION_NUMBER) and
	// where SMS may go (SMS_ALLOWED_CALLING_CODES,
	// SMS_ALLOW_ALL_COUNTRIES); the email trigger requires EmailFrom, the
	// SMS trigger SMSCountries.
	notify.Settings
}

// ConfigFromEnv reads the configuration from the environment; call it
// from main with os.Getenv. KMS_KEY_ARN and APP_NAME are required;
// EMAIL_FROM only by the email trigger, SMS_ALLOWED_CALLING_CODES or
// SMS_ALLOW_ALL_COUNTRIES only by the SMS trigger ([Config.Check]). Values
// are trimmed; the error names every wrong variable.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{KeyARN: get(EnvKeyARN)}
	var errs []error
	if st, err := notify.SettingsFromEnv(getenv); err != nil {
		errs = append(errs, err)
	} else {
		c.Settings = st
	}
	if c.KeyARN == "" {
		errs = append(errs, envvar.Errorf(EnvKeyARN, "%s is not set; set it to the ARN of the KMS key in the user pool's LambdaConfig.KMSKeyID", EnvKeyARN))
	} else if _, err := ParseKeyARN(c.KeyARN); err != nil {
		errs = append(errs, envvar.Wrap(EnvKeyARN, err))
	}
	if m, err := message.ConfigFromEnv(getenv); err != nil {
		errs = append(errs, err)
	} else {
		c.AppName, c.AppURL = m.AppName, m.AppURL
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Check reports what the trigger of channel ch needs and c lacks: the
// email trigger needs EMAIL_FROM; the SMS trigger needs the countries its
// messages may go to, SMS_ALLOWED_CALLING_CODES or
// SMS_ALLOW_ALL_COUNTRIES=true (notify.Settings.CheckSMS), since without
// either it could send no SMS at all.
func (c Config) Check(ch notify.Channel) error {
	switch {
	case ch == notify.ChannelEmail && c.EmailFrom == "":
		return envvar.Errorf(notify.EnvEmailFrom, "%s is not set; set it to an address or domain verified in SES", notify.EnvEmailFrom)
	case ch == notify.ChannelSMS:
		return c.Settings.CheckSMS()
	}
	return nil
}
