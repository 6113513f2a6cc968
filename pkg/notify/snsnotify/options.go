package snsnotify

import (
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
)

// Option configures [New].
type Option func(*options)

type options struct {
	retry             awsnotify.Retry
	senderID          string
	originationNumber string
	countries         notify.SMSCountries
}

// WithRetry sets the retry policy of the sender.
func WithRetry(r awsnotify.Retry) Option { return func(o *options) { o.retry = r } }

// WithSenderID sets the AWS.SNS.SMS.SenderID attribute: the alphanumeric
// sender shown where the destination country supports it.
func WithSenderID(id string) Option { return func(o *options) { o.senderID = id } }

// WithOriginationNumber sets the AWS.MM.SMS.OriginationNumber attribute:
// the number or short code to send from, in E.164 form. US destinations
// need one.
func WithOriginationNumber(number string) Option {
	return func(o *options) { o.originationNumber = number }
}

// WithCountries sets the phone numbers the sender may send to: see
// notify.SMSCountries. Without it the sender sends no SMS at all;
// NewFromConfig passes the Settings' SMSCountries.
func WithCountries(c notify.SMSCountries) Option {
	return func(o *options) { o.countries = c }
}
