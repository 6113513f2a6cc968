package passwordless

import "github.com/cognitrig/cognitrig/pkg/passwordlessenv"

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
