package signup

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [FromEnv]: [WithTriggerOptions], [WithCognito],
// [WithAWSConfig], or a [LinkerOption] such as [WithProviderCacheTTL],
// which configures the Linker.
type EnvOption interface {
	applyEnv(*envOptions)
}

// envOptions is what the EnvOptions of one FromEnv call set.
type envOptions struct {
	trigger []trigger.Option
	api     CognitoAPI
	awscfg  *aws.Config
	linker  []LinkerOption
}

type envOptionFunc func(*envOptions)

func (f envOptionFunc) applyEnv(o *envOptions) { f(o) }

// applyEnv makes a LinkerOption an EnvOption: FromEnv gives it to
// NewLinker.
func (l LinkerOption) applyEnv(o *envOptions) { o.linker = append(o.linker, l) }

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.trigger = append(o.trigger, opts...) })
}

// WithCognito links federated users through api instead of an SDK client
// built from the environment: a test passes a fake, a program its own
// client. It is used only with LINK_FEDERATED_USERS=true.
func WithCognito(api CognitoAPI) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.api = api })
}

// WithAWSConfig builds the cognito-idp client from cfg instead of loading
// the configuration from the environment (awsenv.Load). [WithCognito]
// wins over it.
func WithAWSConfig(cfg aws.Config) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.awscfg = &cfg })
}

// FromEnv builds the pre sign-up function from its environment
// ([PolicyFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/presignup, and lets a program embed the function,
// wrap it with its own middleware, or test it in-process. It refuses a
// configuration that PolicyFromEnv refuses, naming the variable.
//
// With LINK_FEDERATED_USERS=true it links with the client of
// [WithCognito], or else a cognito-idp client built once from
// [WithAWSConfig] or from the function's environment (awsenv.Load:
// AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's credentials).
// Without it, no client is built and no AWS configuration is loaded.
// Building makes no network call.
func FromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	o := buildopt.ApplyEach(opts, EnvOption.applyEnv)
	policy, topts, err := buildopt.FromEnv(getenv, PolicyFromEnv, o.trigger)
	if err != nil {
		return nil, err
	}
	var linker *Linker
	if policy.LinkFederatedUsers {
		api, err := o.cognito(getenv)
		if err != nil {
			return nil, err
		}
		linker = NewLinker(api, o.linker...)
	}
	fn, err := Handler(policy, linker)
	if err != nil {
		return nil, err
	}
	return trigger.PreSignUp(fn, topts...), nil
}

// cognito returns the client of WithCognito, or builds one from the
// configuration of WithAWSConfig or of the environment.
func (o *envOptions) cognito(getenv func(string) string) (CognitoAPI, error) {
	if o.api != nil {
		return o.api, nil
	}
	api, err := awsbuild.Cognito(o.awscfg, getenv)
	if err != nil {
		return nil, fmt.Errorf("%s=true: %w", EnvLinkFederatedUsers, err)
	}
	return api, nil
}
