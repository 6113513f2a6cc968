package customsender

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EmailFromEnv builds the custom email sender function from its
// environment (see ConfigFromEnv and trigger.OptionsFromEnv), with KMS
// and SES clients built once from the function's environment (awsenv.Load:
// AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's credentials);
// building them makes no network call. It is the build function of
// triggers/customemailsender for trigger.Main.
func EmailFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	s, opts, err := fromEnv(getenv, notify.ChannelEmail)
	if err != nil {
		return nil, err
	}
	return trigger.CustomEmailSender(s.Email, opts...), nil
}

// SMSFromEnv builds the custom SMS sender function from its environment,
// with KMS and SNS clients; it is the build function of
// triggers/customsmssender.
func SMSFromEnv(getenv func(string) string) (*trigger.Handler, error) {
	s, opts, err := fromEnv(getenv, notify.ChannelSMS)
	if err != nil {
		return nil, err
	}
	return trigger.CustomSMSSender(s.SMS, opts...), nil
}

func fromEnv(getenv func(string) string, ch notify.Channel) (*Sender, []trigger.Option, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Check(ch); err != nil {
		return nil, nil, err
	}
	awscfg, err := awsenv.Load(getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("load the AWS SDK configuration: %w", err)
	}
	senders, err := AWSOptions(awscfg, cfg, ch)
	if err != nil {
		return nil, nil, err
	}
	s, err := New(cfg, senders...)
	if err != nil {
		return nil, nil, err
	}
	return s, opts, nil
}

// AWSOptions returns the options that decrypt with KMS (a [KMSDecrypter]
// on cfg.KeyARN) and send by channel ch: through SES v2 for
// notify.ChannelEmail, SNS for notify.ChannelSMS. It builds each SDK
// client, the Encryption SDK client and the keyring once, from awscfg;
// call it once per process, at start-up. It makes no network call.
func AWSOptions(awscfg aws.Config, cfg Config, ch notify.Channel) ([]Option, error) {
	dec, err := NewKMSDecrypter(kms.NewFromConfig(awscfg), cfg.KeyARN)
	if err != nil {
		return nil, err
	}
	opts := []Option{WithDecrypter(dec)}
	switch ch {
	case notify.ChannelEmail:
		opts = append(opts, WithEmail(awsnotify.NewSESFromConfig(awscfg, cfg.Settings)))
	case notify.ChannelSMS:
		opts = append(opts, WithSMS(awsnotify.NewSNSFromConfig(awscfg, cfg.Settings)))
	default:
		return nil, fmt.Errorf("customsender: unknown channel %q", ch)
	}
	return opts, nil
}
