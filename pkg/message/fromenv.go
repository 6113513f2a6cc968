package message

import (
	"fmt"

	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// withMessages is the option of WithMessages.
type withMessages struct{ set *Set }

// WithMessages is an option of [FromEnv]: it writes the messages from
// set, such as a folder of your own loaded with [Load], instead of the
// templates this package ships ([LoadDefaults]). [NewCustomMessage] checks
// every template of set the trigger uses, so a broken one stops the start.
func WithMessages(set *Set) fromenv.Option {
	return fromenv.Own("message.WithMessages", withMessages{set})
}

// FromEnv builds the custom message function from its environment
// ([ConfigFromEnv] and trigger.OptionsFromEnv) and opts; it is the build
// function of triggers/custommessage, and lets a program embed the
// function, wrap it with its own middleware, or test it in-process. It
// refuses a configuration ConfigFromEnv refuses, naming the variable. It
// takes fromenv.WithTriggerOptions and [WithMessages], and refuses the
// options of other packages.
//
// Without [WithMessages] it loads the embedded templates with
// [LoadDefaults]: the tests of this package verified them, so they are
// neither parsed nor checked here but parsed on first use; if they changed
// since, without the tests run, they are parsed and checked here, and a
// broken one stops the start. It calls no AWS service.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	var set *Set
	b, err := buildopt.FromEnv("message.FromEnv", getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		v, ok := o.Value.(withMessages)
		if ok {
			set = v.set
		}
		return ok
	})
	if err != nil {
		return nil, err
	}
	if set == nil {
		if set, err = LoadDefaults(); err != nil {
			return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
		}
	}
	cm, err := NewCustomMessage(set, b.Config)
	if err != nil {
		return nil, err
	}
	return trigger.CustomMessage(cm.Handle, b.Trigger...), nil
}
