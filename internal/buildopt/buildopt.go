// Package buildopt holds what the builders of the shipped functions
// (signup.FromEnv, claims.FromEnv, passwordless.DefineFromEnv, ...)
// share: applying their options (package fromenv), refusing those they
// do not take, and reading the handler's options and the function's
// configuration from the environment. It links no AWS SDK, so that
// package passwordlesscore may use it.
package buildopt

import (
	"errors"

	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Built is what [FromEnv] read for one call of a builder.
type Built[C any] struct {
	// Config is the function's configuration.
	Config C
	// Trigger are the options of the trigger.Handler: those of the
	// environment, then those of fromenv.WithTriggerOptions, so that the
	// caller's win.
	Trigger []trigger.Option
	// Own are the owned options of the call, all of which the builder
	// took, for those who look for one (awsbuild.Config).
	Own []fromenv.Owned
}

// FromEnv applies opts, the options of a call of builder (named as a user
// spells it, such as "signup.FromEnv"), and gives take each owned option
// in order: it returns the error of fromenv.NotTaken for the first that
// take reports it does not take (a nil take takes none). It then reads
// the function's configuration (configFromEnv) and the options of its
// trigger.Handler (trigger.OptionsFromEnv) from getenv, reporting the
// faults of both at once.
func FromEnv[C any](builder string, getenv func(string) string, configFromEnv func(func(string) string) (C, error), opts []fromenv.Option, take func(fromenv.Owned) bool) (Built[C], error) {
	s := fromenv.Apply(opts)
	for _, o := range s.Own {
		if take == nil || !take(o) {
			return Built[C]{}, fromenv.NotTaken(builder, o)
		}
	}
	topts, err := trigger.OptionsFromEnv(getenv)
	cfg, cerr := configFromEnv(getenv)
	if err := errors.Join(err, cerr); err != nil {
		return Built[C]{}, err
	}
	return Built[C]{Config: cfg, Trigger: append(topts, s.TriggerOptions...), Own: s.Own}, nil
}
