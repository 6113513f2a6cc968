package signup

import (
	"fmt"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// withCognito is the option of WithCognito.
type withCognito struct{ api CognitoAPI }

// ApplyFromEnv makes a LinkerOption a fromenv.Option of [FromEnv], which
// gives it to NewLinker.
func (l LinkerOption) ApplyFromEnv(s *fromenv.Settings) {
	fromenv.Own("signup.LinkerOption", l).ApplyFromEnv(s)
}

// WithCognito is an option of [FromEnv]: it links federated users through
// api instead of an SDK client built from the environment: a test passes
// a fake, a program its own client. It is used only with
// LINK_FEDERATED_USERS=true. It wins over awsenv.WithConfig.
func WithCognito(api CognitoAPI) fromenv.Option {
	return fromenv.Own("signup.WithCognito", withCognito{api})
}

// FromEnv builds the pre sign-up function from its environment
// ([PolicyFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/presignup, and lets a program embed the function,
// wrap it with its own middleware, or test it in-process. It refuses a
// configuration that PolicyFromEnv refuses, naming the variable.
//
// It takes fromenv.WithTriggerOptions, [WithCognito], awsenv.WithConfig
// and a [LinkerOption] such as [WithProviderCacheTTL], which configures
// the Linker; it refuses the options of other packages.
//
// With LINK_FEDERATED_USERS=true it links with the client of
// [WithCognito], or else a cognito-idp client built once from
// awsenv.WithConfig or from the function's environment (awsenv.Load:
// AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's credentials).
// Without it, no client is built and no AWS configuration is loaded.
// Building makes no network call.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	var api CognitoAPI
	var linker []LinkerOption
	b, err := buildopt.FromEnv("signup.FromEnv", getenv, PolicyFromEnv, opts, func(o fromenv.Owned) bool {
		switch v := o.Value.(type) {
		case withCognito:
			api = v.api
		case LinkerOption:
			linker = append(linker, v)
		default:
			return awsbuild.IsConfig(o)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	var l *Linker
	if b.Config.LinkFederatedUsers {
		if api == nil {
			awscfg, err := awsbuild.Config(b.Own, getenv)
			if err != nil {
				return nil, fmt.Errorf("%s=true: %w", EnvLinkFederatedUsers, err)
			}
			api = cip.NewFromConfig(awscfg)
		}
		l = NewLinker(api, linker...)
	}
	fn, err := Handler(b.Config, l)
	if err != nil {
		return nil, err
	}
	return trigger.PreSignUp(fn, b.Trigger...), nil
}
