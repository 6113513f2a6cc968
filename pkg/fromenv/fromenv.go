// Package fromenv holds the options every FromEnv builder of cognitrig
// takes: signup.FromEnv, claims.FromEnv, groups.FromEnv, message.FromEnv,
// emailsender.FromEnv and smssender.FromEnv (of pkg/customsender), and
// passwordless.DefineFromEnv, CreateFromEnv and VerifyFromEnv, the build
// functions of the shipped Lambda functions.
//
// There is one option type, [Option], so that a program can keep one
// []fromenv.Option and pass it to several builders. [WithTriggerOptions]
// is taken by every builder; a package adds options only its own builders
// understand (signup.WithCognito, passwordless.WithClock,
// awsenv.WithConfig, ...) with [Own]. A builder refuses an option it does
// not take with the error of [NotTaken], so that a misplaced option is not
// silently ignored.
//
// The package links no AWS SDK, so that builders of functions that call no
// AWS service take its options without linking one.
package fromenv

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Option configures a FromEnv builder. [WithTriggerOptions] and [Own]
// return one; the packages of the builders have more.
type Option interface {
	// ApplyFromEnv records the option in s.
	ApplyFromEnv(s *Settings)
}

// Settings is what the options of one builder call set, applied in order
// by [Apply]. Builders read it; users do not build it.
type Settings struct {
	// TriggerOptions are the options of [WithTriggerOptions], in order.
	TriggerOptions []trigger.Option
	// Own are the options of [Own], in order, for the builders of the
	// package that owns each to read, and the others to refuse.
	Own []Owned
}

// Owned is an option only the builders of one package understand.
type Owned struct {
	// Name is the option as a user spells it, such as
	// "passwordless.WithClock", for error messages.
	Name string
	// Value is what the option holds; its type is the owning package's,
	// so that the package tells its options from those of others.
	Value any
}

// optionFunc makes a function an Option.
type optionFunc func(*Settings)

func (f optionFunc) ApplyFromEnv(s *Settings) { f(s) }

// WithTriggerOptions adds options of the trigger.Handler (of both handlers
// of claims.FromEnv's router), such as trigger.WithLogger,
// trigger.WithMiddleware or trigger.WithBudget. They come after those the
// environment sets (trigger.OptionsFromEnv), so that they win. Every
// builder takes it.
func WithTriggerOptions(opts ...trigger.Option) Option {
	return optionFunc(func(s *Settings) { s.TriggerOptions = append(s.TriggerOptions, opts...) })
}

// Own returns an option only the builders of the package that calls it
// understand: it adds Owned{name, v} to [Settings.Own]. name is the option
// as a user spells it; v should be of a type of that package, so that its
// builders find it by type. It is for the packages of builders, not for
// their users.
func Own(name string, v any) Option {
	return optionFunc(func(s *Settings) { s.Own = append(s.Own, Owned{Name: name, Value: v}) })
}

// Apply returns what opts set, applied in order.
func Apply(opts []Option) Settings {
	var s Settings
	for _, opt := range opts {
		opt.ApplyFromEnv(&s)
	}
	return s
}

// NotTaken returns the error a builder, named as a user spells it (such as
// "signup.FromEnv"), returns for an option o it does not take.
func NotTaken(builder string, o Owned) error {
	return fmt.Errorf("%s does not take %s: leave it out of the options of %s, and give it only to the builders its documentation names", builder, o.Name, builder)
}
