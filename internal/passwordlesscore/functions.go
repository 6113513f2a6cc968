package passwordlesscore

import (
	"time"

	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [DefineFromEnv] and [VerifyFromEnv].
type EnvOption func(*envOptions)

// envOptions is what the EnvOptions of one build set.
type envOptions struct {
	trigger []trigger.Option
	now     func() time.Time
}

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return func(o *envOptions) { o.trigger = append(o.trigger, opts...) }
}

// WithClock makes now the clock of the flow (FlowConfig.Now), which
// decides whether a code has expired; time.Now by default. Give the three
// functions of one test the same clock.
func WithClock(now func() time.Time) EnvOption {
	return func(o *envOptions) { o.now = now }
}

// DefineFromEnv builds the define auth challenge function from its
// environment (trigger.OptionsFromEnv and ConfigFromEnv, the whole
// configuration the three functions share) and opts; it is the build
// function of triggers/defineauth, and lets a program embed the function,
// wrap it with its own middleware, or test it in-process. The handler is
// Flow.HandleDefine.
func DefineFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	f, topts, err := fromEnv(getenv, opts)
	if err != nil {
		return nil, err
	}
	return trigger.DefineAuthChallenge(f.HandleDefine, topts...), nil
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment and opts, as DefineFromEnv does; it is the build
// function of triggers/verifyauth. The handler is
// Flow.HandleVerify.
func VerifyFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	f, topts, err := fromEnv(getenv, opts)
	if err != nil {
		return nil, err
	}
	return trigger.VerifyAuthChallenge(f.HandleVerify, topts...), nil
}

// fromEnv reads and checks the configuration, and builds the flow and the
// handler's options.
func fromEnv(getenv func(string) string, opts []EnvOption) (*Flow, []trigger.Option, error) {
	o := buildopt.Apply(opts)
	cfg, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, nil, err
	}
	if o.now != nil {
		cfg.Flow.Now = o.now
	}
	f, err := New(cfg.Flow)
	if err != nil {
		return nil, nil, err
	}
	return f, topts, nil
}
