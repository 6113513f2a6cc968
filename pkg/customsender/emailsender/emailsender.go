// Package emailsender is the custom email sender function of a user pool:
// it decrypts each code Cognito hands it and sends the message through
// Amazon SES v2 (package sesnotify), in the user's language. [FromEnv] is
// the build function of triggers/customemailsender; package customsender
// holds the sender itself and its options.
//
// It links the SES v2 client and not the SNS one: every imported package
// runs its initialization at each cold start, whether the function calls
// it or not (TestLinkedServices in triggers/conformance keeps it so).
package emailsender

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// function is the custom email sender function.
var function = customsender.Function{
	Name:    "emailsender.FromEnv",
	Channel: notify.ChannelEmail,
	Send: func(awscfg aws.Config, s notify.Settings) customsender.Option {
		return customsender.WithEmail(sesnotify.NewFromConfig(awscfg, s))
	},
}

// FromEnv builds the custom email sender function from its environment
// (see customsender.ConfigFromEnv and trigger.OptionsFromEnv) and opts;
// it is the build function of triggers/customemailsender, and lets a
// program embed the function, wrap it with its own middleware, or test it
// in-process. It refuses to start without KMS_KEY_ARN, APP_NAME or
// EMAIL_FROM, whatever opts give.
//
// It takes fromenv.WithTriggerOptions, awsenv.WithConfig and the options
// of customsender.New, such as customsender.WithDecrypter,
// customsender.WithEmail or customsender.WithMessages, and refuses the
// options of other packages. It decrypts and sends through the decrypter
// and sender opts give, and builds the KMS and SES clients it needs
// besides ([AWSOptions]) once, from awsenv.WithConfig or from the
// function's environment (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and
// the Lambda role's credentials). When opts give both, no AWS
// configuration is loaded. Building makes no network call.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	return function.FromEnv(getenv, opts...)
}

// AWSOptions returns the options of customsender.New that decrypt with
// KMS (a customsender.KMSDecrypter on cfg.KeyARN) and send through SES v2
// (sesnotify.NewFromConfig with cfg.Settings). It builds each client once,
// from awscfg; call it once per process, at start-up. It makes no network
// call.
func AWSOptions(awscfg aws.Config, cfg customsender.Config) ([]customsender.Option, error) {
	return function.AWSOptions(awscfg, cfg)
}
