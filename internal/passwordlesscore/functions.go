package passwordlesscore

import (
	"time"

	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Clock is the option passwordless.WithClock: now is the clock of the
// flow (FlowConfig.Now), which decides whether a code has expired. It is
// defined here, where define and verify find it, and spelled
// passwordless.WithClock for users.
type Clock func() time.Time

// ApplyFromEnv makes a Clock a fromenv.Option, owned by package
// passwordless.
func (c Clock) ApplyFromEnv(s *fromenv.Settings) {
	s.Own = append(s.Own, fromenv.Owned{Name: "passwordless.WithClock", Value: c})
}

// DefineFromEnv builds the define auth challenge function from its
// environment (trigger.OptionsFromEnv and ConfigFromEnv, the whole
// configuration the three functions share) and opts; it is the build
// function of triggers/defineauth, and lets a program embed the function,
// wrap it with its own middleware, or test it in-process. The handler is
// Flow.HandleDefine. It takes fromenv.WithTriggerOptions and a [Clock],
// and refuses other options, naming itself passwordless.DefineFromEnv,
// which is the same function to users.
func DefineFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	f, topts, err := fromEnv("passwordless.DefineFromEnv", getenv, opts)
	if err != nil {
		return nil, err
	}
	return trigger.DefineAuthChallenge(f.HandleDefine, topts...), nil
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment and opts, as DefineFromEnv does; it is the build
// function of triggers/verifyauth. The handler is Flow.HandleVerify.
func VerifyFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	f, topts, err := fromEnv("passwordless.VerifyFromEnv", getenv, opts)
	if err != nil {
		return nil, err
	}
	return trigger.VerifyAuthChallenge(f.HandleVerify, topts...), nil
}

// fromEnv reads and checks the options of builder and the configuration,
// and builds the flow and the handler's options.
func fromEnv(builder string, getenv func(string) string, opts []fromenv.Option) (*Flow, []trigger.Option, error) {
	var now Clock
	b, err := buildopt.FromEnv(builder, getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		c, ok := o.Value.(Clock)
		if ok {
			now = c
		}
		return ok
	})
	if err != nil {
		return nil, nil, err
	}
	if now != nil {
		b.Config.Flow.Now = now
	}
	f, err := New(b.Config.Flow)
	if err != nil {
		return nil, nil, err
	}
	return f, b.Trigger, nil
}
