package groups

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [FromEnv].
type EnvOption func(*envOptions)

// envOptions is what the EnvOptions of one FromEnv call set.
type envOptions struct {
	trigger []trigger.Option
	api     CognitoAPI
	awscfg  *aws.Config
}

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return func(o *envOptions) { o.trigger = append(o.trigger, opts...) }
}

// WithCognito adds users to the group through api instead of an SDK
// client built from the environment: a test passes a fake, a program its
// own client.
func WithCognito(api CognitoAPI) EnvOption {
	return func(o *envOptions) { o.api = api }
}

// WithAWSConfig builds the cognito-idp client from cfg instead of loading
// the configuration from the environment (awsenv.Load). [WithCognito]
// wins over it.
func WithAWSConfig(cfg aws.Config) EnvOption {
	return func(o *envOptions) { o.awscfg = &cfg }
}

// FromEnv builds the post confirmation function from its environment
// ([ConfigFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/postconfirmation, and lets a program embed the
// function, wrap it with its own middleware, or test it in-process. It
// refuses to start without DEFAULT_GROUP, naming it.
//
// It adds users with the client of [WithCognito], or else a cognito-idp
// client built once from [WithAWSConfig] or from the function's
// environment (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the Lambda
// role's credentials). Building makes no network call.
func FromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	o := buildopt.Apply(opts)
	c, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, err
	}
	api, err := o.cognito(getenv)
	if err != nil {
		return nil, err
	}
	fn, err := Handler(c, api)
	if err != nil {
		return nil, err
	}
	return trigger.PostConfirmation(fn, topts...), nil
}

// cognito returns the client of WithCognito, or builds one from the
// configuration of WithAWSConfig or of the environment.
func (o *envOptions) cognito(getenv func(string) string) (CognitoAPI, error) {
	if o.api != nil {
		return o.api, nil
	}
	return awsbuild.Cognito(o.awscfg, getenv)
}
