package sesnotify

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// sesService is what awsnotify classifies SES's errors by.
var sesService = awsnotify.Service{
	Name:    "ses",
	Channel: notify.ChannelEmail,
	// the SES v2 error codes that refuse a message for good
	Rejections: map[string]bool{
		"MessageRejected":                    true, // unverified address (sandbox), content refused
		"MailFromDomainNotVerifiedException": true,
		"AccountSuspendedException":          true,
		"SendingPausedException":             true,
	},
}

// Sender sends email through Amazon SES v2. It is safe for concurrent
// use.
type Sender struct {
	// sendEmail is the client's SendEmail method: see package
	// awsnotify's documentation for why the client itself is not kept.
	sendEmail func(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
	from      string
	opts      options
	retryer   *awsnotify.Retryer
}

var _ notify.EmailSender = (*Sender)(nil)

// New returns a [notify.EmailSender] that sends from the address from
// (an identity verified in SES, optionally with a display name: "Example
// <no-reply@example.com>") through client, which the caller builds once
// and reuses. It makes no network call. Options: [WithConfigurationSet],
// [WithRetry].
func New(client *sesv2.Client, from string, opts ...Option) *Sender {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return &Sender{sendEmail: client.SendEmail, from: from, opts: o, retryer: awsnotify.NewRetryer(o.retry)}
}

// NewFromConfig returns the SES sender of s (its EmailFrom and
// ConfigurationSet) over a client built from awscfg. Build it once per
// process; it makes no network call.
func NewFromConfig(awscfg aws.Config, s notify.Settings) *Sender {
	return New(sesv2.NewFromConfig(awscfg), s.EmailFrom, WithConfigurationSet(s.ConfigurationSet))
}

// SendEmail sends m with its HTML and text parts, retrying within ctx's
// deadline. See [notify.EmailSender] for what it returns.
func (s *Sender) SendEmail(ctx context.Context, m notify.Email) error {
	switch {
	case strings.TrimSpace(m.To) == "":
		return errInvalid("email has no recipient; set Email.To")
	case m.HTML == "" && m.Text == "":
		return errInvalid("email has no body; set Email.HTML or Email.Text")
	case s.from == "":
		return errInvalid("SES sender has no from address; pass one to New")
	}
	body := &types.Body{}
	if m.HTML != "" {
		body.Html = utf8(m.HTML)
	}
	if m.Text != "" {
		body.Text = utf8(m.Text)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.from),
		Destination:      &types.Destination{ToAddresses: []string{m.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: utf8(m.Subject),
			Body:    body,
		}},
	}
	if s.opts.configurationSet != "" {
		in.ConfigurationSetName = aws.String(s.opts.configurationSet)
	}
	call := s.retryer.Call()
	_, err := s.sendEmail(ctx, in, func(o *sesv2.Options) {
		o.Retryer = call
		o.RetryMaxAttempts = 0 // the retryer's own limit applies
	})
	if err != nil {
		return call.Classify(ctx, err, sesService, "SendEmail", trigger.MaskEmail(m.To))
	}
	return nil
}

func utf8(s string) *types.Content {
	return &types.Content{Data: aws.String(s), Charset: aws.String("UTF-8")}
}
