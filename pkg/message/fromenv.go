package message

import (
	"fmt"

	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [FromEnv].
type EnvOption func(*envOptions)

// envOptions is what the EnvOptions of one FromEnv call set.
type envOptions struct {
	trigger []trigger.Option
	set     *Set
}

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return func(o *envOptions) { o.trigger = append(o.trigger, opts...) }
}

// WithMessages writes the messages from set, such as a folder of your own
// loaded with [Load], instead of the templates this package ships
// ([LoadDefaults]). [NewCustomMessage] checks every template of set the
// trigger uses, so a broken one stops the start.
func WithMessages(set *Set) EnvOption {
	return func(o *envOptions) { o.set = set }
}

// FromEnv builds the custom message function from its environment
// ([ConfigFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/custommessage, and lets a program embed the
// function, wrap it with its own middleware, or test it in-process. It
// refuses a configuration ConfigFromEnv refuses, naming the variable.
//
// Without [WithMessages] it loads the embedded templates with
// [LoadDefaults]: the tests of this package verified them, so they are
// neither parsed nor checked here but parsed on first use; if they changed
// since, without the tests run, they are parsed and checked here, and a
// broken one stops the start. It calls no AWS service.
func FromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	o := buildopt.Apply(opts)
	cfg, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, err
	}
	if o.set == nil {
		if o.set, err = LoadDefaults(); err != nil {
			return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
		}
	}
	cm, err := NewCustomMessage(o.set, cfg)
	if err != nil {
		return nil, err
	}
	return trigger.CustomMessage(cm.Handle, topts...), nil
}
