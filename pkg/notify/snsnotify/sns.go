package snsnotify

import (
	"context"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// snsService is what awsnotify classifies SNS's errors by.
var snsService = awsnotify.Service{
	Name:    "sns",
	Channel: notify.ChannelSMS,
	// the SNS error codes that refuse a message for good
	Rejections: map[string]bool{
		"InvalidParameter":      true, // a malformed phone number, among others
		"ParameterValueInvalid": true,
		"OptedOut":              true,
		"AuthorizationError":    true, // SMS sandbox: destination not verified; or no permission
		"VerificationException": true,
		"EndpointDisabled":      true,
	},
}

// Sender sends text messages through Amazon SNS. It is safe for
// concurrent use.
type Sender struct {
	// publish is the client's Publish method: see package
	// awsnotify's documentation for why the client itself is not kept.
	publish func(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
	opts    options
	attrs   map[string]types.MessageAttributeValue
	retryer *awsnotify.Retryer
}

var _ notify.SMSSender = (*Sender)(nil)

// New returns a [notify.SMSSender] that publishes transactional SMS
// through client, which the caller builds once and reuses. It makes no
// network call. Options: [WithCountries], [WithSenderID],
// [WithOriginationNumber], [WithRetry]. Without WithCountries the sender
// refuses every SMS (see SendSMS).
func New(client *sns.Client, opts ...Option) *Sender {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	attrs := map[string]types.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": stringAttr("Transactional"),
	}
	if o.senderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = stringAttr(o.senderID)
	}
	if o.originationNumber != "" {
		attrs["AWS.MM.SMS.OriginationNumber"] = stringAttr(o.originationNumber)
	}
	return &Sender{publish: client.Publish, opts: o, attrs: attrs, retryer: awsnotify.NewRetryer(o.retry)}
}

// NewFromConfig returns the SNS sender of s (its SMSCountries,
// SMSSenderID and SMSOriginationNumber) over a client built from awscfg.
// Build it once per process; it makes no network call.
func NewFromConfig(awscfg aws.Config, s notify.Settings) *Sender {
	return New(sns.NewFromConfig(awscfg), WithCountries(s.SMSCountries), WithSenderID(s.SMSSenderID), WithOriginationNumber(s.SMSOriginationNumber))
}

// SendSMS publishes m to its phone number, retrying within ctx's deadline.
// See [notify.SMSSender] for what it returns. A number that the sender's
// countries ([WithCountries]) do not allow is refused before any call to
// SNS with a [*notify.Blocked], whose detail (the masked number) is
// logged at warn level through trigger.Logger.
func (s *Sender) SendSMS(ctx context.Context, m notify.SMS) error {
	switch {
	case strings.TrimSpace(m.To) == "":
		return errInvalid("sms has no phone number; set SMS.To")
	case m.Text == "":
		return errInvalid("sms has no text; set SMS.Text")
	case !s.opts.countries.Allows(m.To):
		b := &notify.Blocked{Channel: notify.ChannelSMS, To: trigger.MaskPhone(m.To), Rule: notify.EnvSMSAllowedCallingCodes}
		trigger.Logger(ctx).LogAttrs(ctx, slog.LevelWarn, "message blocked: the phone number is outside the allowed countries", slog.Any("delivery", b))
		return b
	}
	in := &sns.PublishInput{
		PhoneNumber:       aws.String(m.To),
		Message:           aws.String(m.Text),
		MessageAttributes: s.attrs, // read-only, shared across calls
	}
	call := s.retryer.Call()
	_, err := s.publish(ctx, in, func(o *sns.Options) {
		o.Retryer = call
		o.RetryMaxAttempts = 0 // the retryer's own limit applies
	})
	if err != nil {
		return call.Classify(ctx, err, snsService, "Publish", trigger.MaskPhone(m.To))
	}
	return nil
}

func stringAttr(v string) types.MessageAttributeValue {
	return types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
}
