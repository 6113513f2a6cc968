package customsender

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// ApplyFromEnv makes an Option a fromenv.Option of [Function.FromEnv]
// (emailsender.FromEnv, smssender.FromEnv): it gives it to New, after the
// options it builds itself, so that it wins.
func (opt Option) ApplyFromEnv(s *fromenv.Settings) {
	fromenv.Own("customsender.Option", opt).ApplyFromEnv(s)
}

// Function is a custom sender function of one channel, which
// [Function.FromEnv] and [Function.AWSOptions] build. Packages emailsender
// (triggers/customemailsender) and smssender (triggers/customsmssender)
// define the two, with their build functions; use those. This package
// imports neither AWS sender, so that each function links only the client
// of its own channel, which its Send brings in.
type Function struct {
	// Name is the function's build function, as errors name it, such as
	// "emailsender.FromEnv".
	Name string
	// Channel is the channel the function sends on: notify.ChannelEmail
	// or notify.ChannelSMS.
	Channel notify.Channel
	// Send returns the option that sends on Channel over AWS, through a
	// client built from awscfg, with the settings s, such as
	// WithEmail(sesnotify.NewFromConfig(awscfg, s)). It makes no network
	// call.
	Send func(awscfg aws.Config, s notify.Settings) Option
}

// FromEnv builds the function f from its environment (see ConfigFromEnv
// and trigger.OptionsFromEnv) and opts. It refuses to start without
// KMS_KEY_ARN or APP_NAME, or without what f's channel needs
// ([Config.Check]), whatever opts give.
//
// It takes fromenv.WithTriggerOptions, awsenv.WithConfig and the options
// of [New], such as [WithDecrypter], [WithEmail], [WithSMS] or
// [WithMessages], and refuses the options of other packages. It decrypts
// and sends through the decrypter and sender opts give, and builds those
// it needs besides ([Function.AWSOptions]) once, from awsenv.WithConfig or
// from the function's environment (awsenv.Load: AWS_REGION,
// AWS_ENDPOINT_URL and the Lambda role's credentials). When opts give
// both, no AWS configuration is loaded. Building makes no network call.
func (f Function) FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	var given []Option
	b, err := buildopt.FromEnv(f.Name, getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		if v, ok := o.Value.(Option); ok {
			given = append(given, v)
			return true
		}
		return awsbuild.IsConfig(o)
	})
	if err != nil {
		return nil, err
	}
	cfg := b.Config
	if err := cfg.Check(f.Channel); err != nil {
		return nil, err
	}
	var built []Option
	if needsAWS(f.Channel, given) {
		awscfg, err := awsbuild.Config(b.Own, getenv)
		if err != nil {
			return nil, err
		}
		if built, err = f.AWSOptions(awscfg, cfg); err != nil {
			return nil, err
		}
	}
	sender, err := New(cfg, append(built, given...)...)
	if err != nil {
		return nil, err
	}
	if f.Channel == notify.ChannelEmail {
		return trigger.CustomEmailSender(sender.Email, b.Trigger...), nil
	}
	return trigger.CustomSMSSender(sender.SMS, b.Trigger...), nil
}

// needsAWS reports whether the function of channel ch needs a decrypter
// or a sender that the options given do not give, which
// Function.AWSOptions builds.
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
// on cfg.KeyARN) and send on f's channel through f.Send. It builds each
// SDK client, the Encryption SDK client and the keyring once, from awscfg;
// call it once per process, at start-up. It makes no network call.
func (f Function) AWSOptions(awscfg aws.Config, cfg Config) ([]Option, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	dec, err := NewKMSDecrypter(kms.NewFromConfig(awscfg), cfg.KeyARN)
	if err != nil {
		return nil, err
	}
	return []Option{WithDecrypter(dec), f.Send(awscfg, cfg.Settings)}, nil
}

// check reports a Function that its package defined wrong.
func (f Function) check() error {
	switch {
	case f.Channel != notify.ChannelEmail && f.Channel != notify.ChannelSMS:
		return fmt.Errorf("customsender: %s sends on the unknown channel %q; set Function.Channel to notify.ChannelEmail or notify.ChannelSMS", f.Name, f.Channel)
	case f.Send == nil:
		return fmt.Errorf("customsender: %s has no AWS sender; set Function.Send, as packages emailsender and smssender do", f.Name)
	}
	return nil
}
