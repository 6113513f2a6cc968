package awsnotify

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// SES sends email through Amazon SES v2. It is safe for concurrent use.
type SES struct {
	// sendEmail is the client's SendEmail method: see the package
	// documentation for why the client itself is not kept.
	sendEmail func(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
	from      string
	opts      options
	retryer   aws.RetryerV2
}

var _ notify.EmailSender = (*SES)(nil)

// NewSES returns a [notify.EmailSender] that sends from the address from
// (an identity verified in SES, optionally with a display name: "Example
// <no-reply@example.com>") through client, which the caller builds once
// and reuses. It makes no network call. Options: [WithConfigurationSet],
// [WithRetry].
func NewSES(client *sesv2.Client, from string, opts ...Option) *SES {
	o := buildOptions(opts)
	return &SES{sendEmail: client.SendEmail, from: from, opts: o, retryer: newRetryer(o.retry)}
}

// NewSESFromConfig returns the SES sender of s (its EmailFrom and
// ConfigurationSet) over a client built from awscfg. Build it once per
// process; it makes no network call.
func NewSESFromConfig(awscfg aws.Config, s notify.Settings) *SES {
	return NewSES(sesv2.NewFromConfig(awscfg), s.EmailFrom, WithConfigurationSet(s.ConfigurationSet))
}

// SendEmail sends m with its HTML and text parts, retrying within ctx's
// deadline. See [notify.EmailSender] for what it returns.
func (s *SES) SendEmail(ctx context.Context, m notify.Email) error {
	switch {
	case strings.TrimSpace(m.To) == "":
		return errInvalid("email has no recipient; set Email.To")
	case m.HTML == "" && m.Text == "":
		return errInvalid("email has no body; set Email.HTML or Email.Text")
	case s.from == "":
		return errInvalid("SES sender has no from address; pass one to NewSES")
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
	r := &budgetRetryer{RetryerV2: s.retryer, reserve: s.opts.retry.reserve()}
	_, err := s.sendEmail(ctx, in, func(o *sesv2.Options) {
		o.Retryer = r
		o.RetryMaxAttempts = 0 // the retryer's own limit applies
	})
	if err != nil {
		return classify(ctx, err, notify.ChannelEmail, "ses", "SendEmail", trigger.MaskEmail(m.To), r)
	}
	return nil
}

func utf8(s string) *types.Content {
	return &types.Content{Data: aws.String(s), Charset: aws.String("UTF-8")}
}
