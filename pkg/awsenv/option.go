package awsenv

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/fromenv"
)

// WithConfig is an option of the FromEnv builders that call AWS services
// (signup.FromEnv, groups.FromEnv, emailsender.FromEnv and
// smssender.FromEnv, passwordless.CreateFromEnv): they build the SDK
// clients that no option of their own package replaces from cfg, instead
// of loading the configuration from the environment with [Load]. The builders that call
// no AWS service refuse it, except passwordless.DefineFromEnv and
// VerifyFromEnv, which ignore it so that one list of options serves the
// three passwordless functions.
func WithConfig(cfg aws.Config) fromenv.Option {
	return fromenv.Own("awsenv.WithConfig", &cfg)
}
