package claims

import (
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// FromEnv builds the pre token generation function from its environment
// (see [ConfigFromEnv] and trigger.OptionsFromEnv) and opts: a router that
// serves version 1 events and version 2 and 3 events, so the function
// works whichever LambdaVersion the pool's PreTokenGenerationConfig names.
// It is the build function of triggers/pretoken, and lets a program embed
// the function, wrap it with its own middleware, or test it in-process. It
// calls no AWS service.
//
// It takes fromenv.WithTriggerOptions, whose options both handlers of the
// router get, and refuses every other option.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Router, error) {
	b, err := buildopt.FromEnv("claims.FromEnv", getenv, ConfigFromEnv, opts, nil)
	if err != nil {
		return nil, err
	}
	c, err := New(b.Config)
	if err != nil {
		return nil, err
	}
	return trigger.NewRouter(trigger.PreTokenGeneration(c.HandleV1, b.Trigger...), trigger.PreTokenGenerationV2(c.HandleV2, b.Trigger...))
}
