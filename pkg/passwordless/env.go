package passwordless

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// CreateFromEnv builds the create auth challenge function from its
// environment (ConfigFromEnv, Config.CheckCreate and
// trigger.OptionsFromEnv). It refuses to start without
// SEND_THROTTLE_TABLE unless ALLOW_UNLIMITED_SENDS=true, and with
// OTP_CHANNEL=sms without the SMS countries. It builds the SES, SNS and
// DynamoDB clients once, from the function's environment (awsenv.Load:
// AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's credentials);
// building them makes no network call. It is the build function of
// triggers/createauth. Define and verify, which only decide, are built by
// package passwordlessenv (DefineFromEnv, VerifyFromEnv), and link no AWS
// SDK.
func CreateFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckCreate(); err != nil {
		return nil, err
	}
	awscfg, err := awsenv.Load(getenv)
	if err != nil {
		return nil, fmt.Errorf("load the AWS SDK configuration: %w", err)
	}
	senders, err := AWSOptions(awscfg, cfg)
	if err != nil {
		return nil, err
	}
	auth, err := New(cfg, senders...)
	if err != nil {
		return nil, err
	}
	return trigger.CreateAuthChallenge(auth.Create, opts...), nil
}
