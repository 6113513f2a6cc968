package awsnotify

import "github.com/cognitrig/cognitrig/pkg/notify"

// Option configures [NewSES] or [NewSNS]. An option that belongs to the
// other service is ignored.
type Option func(*options)

type options struct {
	retry             Retry
	configurationSet  string
	senderID          string
	originationNumber string
	countries         notify.SMSCountries
}

func buildOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	o.retry = o.retry.withDefaults()
	return o
}

// WithRetry sets the retry policy of a sender (SES and SNS).
func WithRetry(r Retry) Option { return func(o *options) { o.retry = r } }

// WithConfigurationSet sends SES email with the named configuration set
// (SES only). "" sends without one.
func WithConfigurationSet(name string) Option {
	return func(o *options) { o.configurationSet = name }
}

// WithSenderID sets the AWS.SNS.SMS.SenderID attribute (SNS only): the
// alphanumeric sender shown where the destination country supports it.
func WithSenderID(id string) Option { return func(o *options) { o.senderID = id } }

// WithOriginationNumber sets the AWS.MM.SMS.OriginationNumber attribute
// (SNS only): the number or short code to send from, in E.164 form. US
// destinations need one.
func WithOriginationNumber(number string) Option {
	return func(o *options) { o.originationNumber = number }
}

// WithCountries sets the phone numbers the sender may send to (SNS only):
// see notify.SMSCountries. Without it an SNS sender sends no SMS at all;
// NewSNSFromConfig passes the Settings' SMSCountries.
func WithCountries(c notify.SMSCountries) Option {
	return func(o *options) { o.countries = c }
}
