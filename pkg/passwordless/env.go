package passwordless

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// DefineFromEnv builds the define auth challenge function from its
// environment (see ConfigFromEnv and trigger.OptionsFromEnv); it is the
// build function of triggers/defineauth for trigger.Main.
func DefineFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	auth, opts, err := fromEnv(getenv, false)
	if err != nil {
		return nil, err
	}
	return trigger.DefineAuthChallenge(auth.Define, opts...), nil
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment; it is the build function of triggers/verifyauth.
func VerifyFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	auth, opts, err := fromEnv(getenv, false)
	if err != nil {
		return nil, err
	}
	return trigger.VerifyAuthChallenge(auth.Verify, opts...), nil
}

// CreateFromEnv builds the create auth challenge function from its
// environment, with SES, SNS and DynamoDB clients built once from the
// function's environment (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the
// Lambda role's credentials); building them makes no network call. It is
// the build function of triggers/createauth.
func CreateFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	auth, opts, err := fromEnv(getenv, true)
	if err != nil {
		return nil, err
	}
	return trigger.CreateAuthChallenge(auth.Create, opts...), nil
}

// fromEnv reads the configuration and builds the triggers; with send, the
// senders too.
func fromEnv(getenv func(string) string, send bool) (*Auth, []trigger.Option, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	var senders []Option
	if send {
		if err := cfg.CheckCreate(); err != nil {
			return nil, nil, err
		}
		awscfg, err := awsenv.Load(getenv)
		if err != nil {
			return nil, nil, fmt.Errorf("load the AWS SDK configuration: %w", err)
		}
		if senders, err = AWSOptions(awscfg, cfg); err != nil {
			return nil, nil, err
		}
	}
	auth, err := New(cfg, senders...)
	if err != nil {
		return nil, nil, err
	}
	return auth, opts, nil
}
