package customsender

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures [EmailFromEnv] and [SMSFromEnv]:
// [WithTriggerOptions], [WithAWSConfig], or an [Option] of [New], such as
// [WithDecrypter], [WithEmail], [WithSMS] or [WithMessages].
type EnvOption interface {
	applyEnv(*envOptions)
}

// envOptions is what the EnvOptions of one build set.
type envOptions struct {
	trigger []trigger.Option
	awscfg  *aws.Config
	sender  []Option
}

type envOptionFunc func(*envOptions)

func (f envOptionFunc) applyEnv(o *envOptions) { f(o) }

// applyEnv makes an Option an EnvOption: the build gives it to New, after
// the options it builds itself, so that it wins.
func (opt Option) applyEnv(o *envOptions) { o.sender = append(o.sender, opt) }

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.trigger = append(o.trigger, opts...) })
}

// WithAWSConfig builds the KMS, SES and SNS clients that no Option
// replaces from cfg, instead of loading the configuration from the
// environment (awsenv.Load).
func WithAWSConfig(cfg aws.Config) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.awscfg = &cfg })
}

// EmailFromEnv builds the custom email sender function from its
// environment (see ConfigFromEnv and trigger.OptionsFromEnv) and opts; it
// is the build function of triggers/customemailsender, and lets a program
// embed the function, wrap it with its own middleware, or test it
// in-process. It refuses to start without KMS_KEY_ARN, APP_NAME or
// EMAIL_FROM, whatever opts give.
//
// It decrypts and sends through the decrypter and sender opts give
// (WithDecrypter, WithEmail), and builds the KMS and SES clients it needs
// besides (AWSOptions) once, from [WithAWSConfig] or from the function's
// environment (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the Lambda
// role's credentials). When opts give both, no AWS configuration is
// loaded. Building makes no network call.
func EmailFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	s, topts, err := fromEnv(getenv, notify.ChannelEmail, opts)
	if err != nil {
		return nil, err
	}
	return trigger.CustomEmailSender(s.Email, topts...), nil
}

// SMSFromEnv builds the custom SMS sender function from its environment
// and opts, as EmailFromEnv does, with KMS and SNS clients; it is the
// build function of triggers/customsmssender. It refuses to start without
// SMS_ALLOWED_CALLING_CODES or SMS_ALLOW_ALL_COUNTRIES=true, whatever
// opts give: a sender given WithSMS too sends only to those countries.
func SMSFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	s, topts, err := fromEnv(getenv, notify.ChannelSMS, opts)
	if err != nil {
		return nil, err
	}
	return trigger.CustomSMSSender(s.SMS, topts...), nil
}

func fromEnv(getenv func(string) string, ch notify.Channel, opts []EnvOption) (*Sender, []trigger.Option, error) {
	o := buildopt.ApplyEach(opts, EnvOption.applyEnv)
	cfg, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Check(ch); err != nil {
		return nil, nil, err
	}
	var built []Option
	if o.needsAWS(ch) {
		awscfg, err := awsbuild.Config(o.awscfg, getenv)
		if err != nil {
			return nil, nil, err
		}
		if built, err = AWSOptions(awscfg, cfg, ch); err != nil {
			return nil, nil, err
		}
	}
	s, err := New(cfg, append(built, o.sender...)...)
	if err != nil {
		return nil, nil, err
	}
	return s, topts, nil
}

// needsAWS reports whether the function of channel ch needs a decrypter
// or a sender that the options do not give, which AWSOptions builds.
func (o *envOptions) needsAWS(ch notify.Channel) bool {
	given := &Sender{}
	for _, opt := range o.sender {
		opt(given)
	}
	switch {
	case given.dec == nil:
		return true
	case ch == notify.ChannelEmail:
		return given.email == nil
	default:
		return given.sms == nil
	}
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
