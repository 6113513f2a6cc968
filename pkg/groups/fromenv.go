package groups

import (
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// withCognito is the option of WithCognito.
type withCognito struct{ api CognitoAPI }

// WithCognito is an option of [FromEnv]: it adds users to the group
// through api instead of an SDK client built from the environment: a test
// passes a fake, a program its own client. It wins over
// awsenv.WithConfig.
func WithCognito(api CognitoAPI) fromenv.Option {
	return fromenv.Own("groups.WithCognito", withCognito{api})
}

// FromEnv builds the post confirmation function from its environment
// ([ConfigFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/postconfirmation, and lets a program embed the
// function, wrap it with its own middleware, or test it in-process. It
// refuses to start without DEFAULT_GROUP, naming it.
//
// It takes fromenv.WithTriggerOptions, [WithCognito] and
// awsenv.WithConfig, and refuses the options of other packages. It adds
// users with the client of [WithCognito], or else a cognito-idp client
// built once from awsenv.WithConfig or from the function's environment
// (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's
// credentials). Building makes no network call.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	var api CognitoAPI
	b, err := buildopt.FromEnv("groups.FromEnv", getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		if v, ok := o.Value.(withCognito); ok {
			api = v.api
			return true
		}
		return awsbuild.IsConfig(o)
	})
	if err != nil {
		return nil, err
	}
	if api == nil {
		awscfg, err := awsbuild.Config(b.Own, getenv)
		if err != nil {
			return nil, err
		}
		api = cip.NewFromConfig(awscfg)
	}
	fn, err := Handler(b.Config, api)
	if err != nil {
		return nil, err
	}
	return trigger.PostConfirmation(fn, b.Trigger...), nil
}
