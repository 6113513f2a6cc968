// Command createauth is the create auth challenge trigger of passwordless
// sign-in: it draws a one-time code (and a magic-link token) and sends it
// by email through Amazon SES v2 or by SMS through Amazon SNS, in the
// user's language. It reads the configuration of package passwordless
// (OTP_*, EMAIL_FROM, SMS_*, MAGIC_LINK_URL, SEND_THROTTLE_TABLE,
// APP_NAME, ...), which defineauth and verifyauth must share; see
// docs/passwordless.md.
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("createauth", newHandler) }

// newHandler builds the function and its SDK clients, once per process.
// Building them makes no network call.
func newHandler(getenv func(string) string) (*trigger.Handler, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := passwordless.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckCreate(); err != nil {
		return nil, err
	}
	awscfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return nil, fmt.Errorf("load the AWS SDK configuration: %w", err)
	}
	senders, err := passwordless.AWSOptions(awscfg, cfg)
	if err != nil {
		return nil, err
	}
	auth, err := passwordless.New(cfg, senders...)
	if err != nil {
		return nil, err
	}
	return trigger.CreateAuthChallenge(auth.Create, opts...), nil
}
