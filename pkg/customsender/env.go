package customsender

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// ApplyFromEnv makes an Option a fromenv.Option of [EmailFromEnv] and
// [SMSFromEnv]: they give it to New, after the options they build
// themselves, so that it wins.
func (opt Option) ApplyFromEnv(s *fromenv.Settings) {
	fromenv.Own("customsender.Option", opt).ApplyFromEnv(s)
}

// EmailFromEnv builds the custom email sender function from its
// environment (see ConfigFromEnv and trigger.OptionsFromEnv) and opts; it
// is the build function of triggers/customemailsender, and lets a program
// embed the function, wrap it with its own middleware, or test it
// in-process. It refuses to start without KMS_KEY_ARN, APP_NAME or
// EMAIL_FROM, whatever opts give.
//
// It takes fromenv.WithTriggerOptions, awsenv.WithConfig and the options
// of [New], such as [WithDecrypter], [WithEmail], [WithSMS] or
// [WithMessages], and refuses the options of other packages. It decrypts
// and sends through the decrypter and sender opts give (WithDecrypter,
// WithEmail), and builds the KMS and SES clients it needs besides
// (AWSOptions) once, from awsenv.WithConfig or from the function's
// environment (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the Lambda
// role's credentials). When opts give both, no AWS configuration is
// loaded. Building makes no network call.
func EmailFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	s, topts, err := fromEnv("customsender.EmailFromEnv", getenv, notify.ChannelEmail, opts)
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
func SMSFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	s, topts, err := fromEnv("customsender.SMSFromEnv", getenv, notify.ChannelSMS, opts)
	if err != nil {
		return nil, err
	}
	return trigger.CustomSMSSender(s.SMS, topts...), nil
}

// fromEnv builds the sender of the function of channel ch, which builder
// builds, and the handler's options.
func fromEnv(builder string, getenv func(string) string, ch notify.Channel, opts []fromenv.Option) (*Sender, []trigger.Option, error) {
	var given []Option
	b, err := buildopt.FromEnv(builder, getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		if v, ok := o.Value.(Option); ok {
			given = append(given, v)
			return true
		}
		return awsbuild.IsConfig(o)
	})
	if err != nil {
		return nil, nil, err
	}
	cfg := b.Config
	if err := cfg.Check(ch); err != nil {
		return nil, nil, err
	}
	var built []Option
	if needsAWS(ch, given) {
		awscfg, err := awsbuild.Config(b.Own, getenv)
		if err != nil {
			return nil, nil, err
		}
		if built, err = AWSOptions(awscfg, cfg, ch); err != nil {
			return nil, nil, err
		}
	}
	sender, err := New(cfg, append(built, given...)...)
	if err != nil {
		return nil, nil, err
	}
	return sender, b.Trigger, nil
}

// needsAWS reports whether the function of channel ch needs a decrypter
// or a sender that the options given do not give, which AWSOptions builds.
func needsAWS(ch notify.Channel, given []Option) bool {
	s := &Sender{}
	for _, opt := range given {
		opt(s)
	}
	switch {
	case s.dec == nil:
		return true
	case ch == notify.ChannelEmail:
		return s.email == nil
	default:
		return s.sms == nil
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
