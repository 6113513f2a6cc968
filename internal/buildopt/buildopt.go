// Package buildopt holds what the builders of the shipped functions
// (signup.FromEnv, claims.FromEnv, passwordless.DefineFromEnv, ...)
// share: applying their EnvOptions, and reading the handler's options and
// the function's configuration from the environment. It links no AWS SDK,
// so that package passwordlesscore may use it.
package buildopt

import (
	"errors"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Apply returns what the function options opts set, applied in order to a
// zero O.
func Apply[O any, F ~func(*O)](opts []F) O {
	var o O
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// ApplyEach returns what opts set, each applied in order to a zero O by
// apply, such as the method expression EnvOption.applyEnv of an option
// interface.
func ApplyEach[O, E any](opts []E, apply func(E, *O)) O {
	var o O
	for _, opt := range opts {
		apply(opt, &o)
	}
	return o
}

// FromEnv reads the function's configuration (configFromEnv) and the
// options of its trigger.Handler (trigger.OptionsFromEnv) from getenv,
// reporting the faults of both at once. The handler's options are those
// of the environment followed by extra, the caller's, so that the
// caller's win.
func FromEnv[C any](getenv func(string) string, configFromEnv func(func(string) string) (C, error), extra []trigger.Option) (C, []trigger.Option, error) {
	topts, err := trigger.OptionsFromEnv(getenv)
	cfg, cerr := configFromEnv(getenv)
	if err := errors.Join(err, cerr); err != nil {
		var zero C
		return zero, nil, err
	}
	return cfg, append(topts, extra...), nil
}
