package claims

import (
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [FromEnv].
type EnvOption func(*envOptions)

// envOptions is what the EnvOptions of one FromEnv call set.
type envOptions struct {
	trigger []trigger.Option
}

// WithTriggerOptions adds options of both handlers of the router, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return func(o *envOptions) { o.trigger = append(o.trigger, opts...) }
}

// FromEnv builds the pre token generation function from its environment
// (see [ConfigFromEnv] and trigger.OptionsFromEnv) and opts: a router that
// serves version 1 events and version 2 and 3 events, so the function
// works whichever LambdaVersion the pool's PreTokenGenerationConfig names.
// It is the build function of triggers/pretoken, and lets a program embed
// the function, wrap it with its own middleware, or test it in-process. It
// calls no AWS service.
func FromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Router, error) {
	o := buildopt.Apply(opts)
	cfg, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, err
	}
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return trigger.NewRouter(trigger.PreTokenGeneration(c.HandleV1, topts...), trigger.PreTokenGenerationV2(c.HandleV2, topts...))
}
