package passwordless

import "github.com/cognitrig/cognitrig/pkg/passwordlessenv"

// The environment variables of the three functions, besides the
// notify.Settings ones (EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER): those of package passwordlessenv, which reads
// them, repeated here for the code that configures create. They are a
// public contract: the CDK construct sets them, and docs/passwordless.md
// lists them.
const (
	EnvChannel         = passwordlessenv.EnvChannel
	EnvLength          = passwordlessenv.EnvLength
	EnvTTL             = passwordlessenv.EnvTTL
	EnvMaxAttempts     = passwordlessenv.EnvMaxAttempts
	EnvMaxResends      = passwordlessenv.EnvMaxResends
	EnvMagicLinkURL    = passwordlessenv.EnvMagicLinkURL
	EnvRequirePassword = passwordlessenv.EnvRequirePassword
	EnvDecoyKey        = passwordlessenv.EnvDecoyKey
	EnvThrottleTable   = passwordlessenv.EnvThrottleTable
	EnvAppName         = passwordlessenv.EnvAppName
	EnvAppURL          = passwordlessenv.EnvAppURL
)

// Config is the configuration of the passwordless functions, which the
// three share: it is passwordlessenv.Config, which define and verify read
// without linking the AWS SDK or the templates. Its CheckCreate method
// reports what create needs besides.
type Config = passwordlessenv.Config

// ConfigFromEnv reads the configuration of the passwordless functions
// from the environment and checks it, naming every wrong variable: it is
// passwordlessenv.ConfigFromEnv, which documents the variables. It does
// not require what only create needs; Config.CheckCreate does.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	return passwordlessenv.ConfigFromEnv(getenv)
}
