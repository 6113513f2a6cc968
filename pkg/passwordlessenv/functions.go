package passwordlessenv

import (
	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// DefineFromEnv builds the define auth challenge function from its
// environment (trigger.OptionsFromEnv and ConfigFromEnv, the whole
// configuration the three functions share); it is the build function of
// triggers/defineauth for trigger.Main. The handler is
// authflow.Flow.HandleDefine.
func DefineFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	f, opts, err := fromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return trigger.DefineAuthChallenge(f.HandleDefine, opts...), nil
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment, as DefineFromEnv does; it is the build function of
// triggers/verifyauth. The handler is authflow.Flow.HandleVerify.
func VerifyFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	f, opts, err := fromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return trigger.VerifyAuthChallenge(f.HandleVerify, opts...), nil
}

// fromEnv reads and checks the configuration, and builds the flow.
func fromEnv(getenv func(string) string) (*authflow.Flow, []trigger.Option, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	f, err := authflow.New(cfg.Flow)
	if err != nil {
		return nil, nil, err
	}
	return f, opts, nil
}
