package passwordless

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/otp"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// MessageName is the name of the sign-in message in a [message.Set]: the
// templates SignIn.subject.txt, SignIn.html, SignIn.txt (the email) and
// SignIn.sms.txt (the SMS) of every language.
const MessageName = "SignIn"

// Limiter limits how often one user may be sent a message. Allow records
// a send for key and returns nil, or an error: a [trigger.Denial] when the
// user has had too many messages lately (the end user sees its message),
// any other error when the limit could not be checked. *throttle.Table is
// one.
type Limiter interface {
	Allow(ctx context.Context, key string) error
}

// Auth is the passwordless sign-in: the handlers of define auth challenge,
// create auth challenge and verify auth challenge response over one
// [authflow.Flow]. Pass its methods to trigger.DefineAuthChallenge,
// trigger.CreateAuthChallenge and trigger.VerifyAuthChallenge. An Auth is
// safe for concurrent use.
type Auth struct {
	cfg     Config
	flow    *authflow.Flow
	set     *message.Set
	email   notify.EmailSender
	sms     notify.SMSSender
	limiter Limiter
	pace    *pacer
}

// Option configures [New].
type Option func(*Auth)

// WithEmail sends the codes of email rounds through s, such as
// awsnotify.NewSES.
func WithEmail(s notify.EmailSender) Option { return func(a *Auth) { a.email = s } }

// WithSMS sends the codes of SMS rounds through s, such as awsnotify.NewSNS.
func WithSMS(s notify.SMSSender) Option { return func(a *Auth) { a.sms = s } }

// WithLimiter limits the messages each user gets, such as a
// [throttle.Table]. Create asks it before every new code, for unknown users
// too, so that the limit does not tell them apart.
func WithLimiter(l Limiter) Option { return func(a *Auth) { a.limiter = l } }

// WithMessages writes the messages from set instead of the templates of
// package message ([message.Defaults]). Every language of set needs the
// four parts of [MessageName].
func WithMessages(set *message.Set) Option { return func(a *Auth) { a.set = set } }

// WithDecoyDelay sets how long a round that sends nothing (for an unknown
// user) waits before any real send has been timed; the time real sends
// take then replaces it. The default is [DefaultDecoyDelay]. 0 turns the
// delay off, which only tests should do.
func WithDecoyDelay(d time.Duration) Option { return func(a *Auth) { a.pace = newPacer(d) } }

// New returns the passwordless triggers of cfg. Define and Verify need no
// option. Create needs the senders of the configured channel: WithEmail
// for email, WithSMS for sms, both for auto (AWSOptions builds them). With
// a sender, New also checks the configuration that create needs
// (Config.CheckCreate) and renders every part of the sign-in message that
// create sends, in every language, with cfg's values (app name and
// address, link, code length, life), so that a broken template, or a value
// that makes a message too long, stops the function at start-up. The
// error names the configuration variable or the template file that is
// wrong.
//
// Without WithMessages, New loads only the sign-in message of package
// message's templates and renders each part once per language, for the
// user that makes it longest. The other branches of those templates (a
// user without a given name, ...) do not depend on cfg: this package's
// tests render them in every language, with every sample user, so that a
// broken template cannot ship. A set given WithMessages is rendered with
// every sample user.
func New(cfg Config, opts ...Option) (*Auth, error) {
	flow, err := authflow.New(cfg.Flow)
	if err != nil {
		return nil, err
	}
	a := &Auth{cfg: cfg, flow: flow, pace: newPacer(DefaultDecoyDelay)}
	for _, o := range opts {
		o(a)
	}
	if a.email == nil && a.sms == nil {
		return a, nil
	}
	if err := cfg.CheckCreate(); err != nil {
		return nil, err
	}
	ch := cfg.Flow.Channel
	if a.email == nil && ch != authflow.ChannelSMS || a.sms == nil && ch != authflow.ChannelEmail {
		return nil, fmt.Errorf("passwordless: %s=%s sends by %s; give New both WithEmail and WithSMS for auto, or the one the channel uses", authflow.EnvChannel, ch, map[authflow.Channel]string{
			authflow.ChannelEmail: "email", authflow.ChannelSMS: "SMS", authflow.ChannelAuto: "email and SMS"}[ch])
	}
	// The tests render the shipped templates with every sample user, not
	// a set given WithMessages.
	everySample := a.set != nil
	if a.set == nil {
		if a.set, err = message.Load(signInTemplates{message.Defaults()}); err != nil {
			return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
		}
	}
	if err := a.checkTemplates(everySample); err != nil {
		return nil, err
	}
	return a, nil
}

// Flow returns the decisions behind the triggers.
func (a *Auth) Flow() *authflow.Flow { return a.flow }

// Define is the define auth challenge handler.
func (a *Auth) Define(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
	return a.flow.HandleDefine(ctx, ev)
}

// Verify is the verify auth challenge response handler.
func (a *Auth) Verify(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
	return a.flow.HandleVerify(ctx, ev)
}

// Create is the create auth challenge handler. In a round with a new
// code it asks the limiter, then sends the code (or, for an unknown user,
// waits about as long as a send takes) before it answers; a failed send
// fails the round. Errors the end user may see are the limiter's and
// notify's denials; the rest are internal.
func (a *Auth) Create(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
	d, err := a.flow.Create(ev)
	if err != nil {
		return err
	}
	log := trigger.Logger(ctx)
	if d.Fresh {
		if a.limiter != nil {
			if err := a.limiter.Allow(ctx, throttle.Key(ev.UserPoolID, ev.UserName)); err != nil {
				log.Warn("create auth challenge: send limit", "decision", d, "error", err)
				return err
			}
		}
		if d.Delivery != nil {
			start := time.Now()
			if err := a.send(ctx, ev.Request.UserAttributes, d.Delivery); err != nil {
				return err
			}
			a.pace.observe(d.Channel, time.Since(start))
		} else {
			a.pace.wait(ctx, d.Channel)
		}
	}
	if log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "create auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}

// send writes the message of d in the user's language and sends it.
func (a *Auth) send(ctx context.Context, attrs map[string]string, d *authflow.Delivery) error {
	lang := a.set.Language(attrs["locale"])
	data := message.Data{User: attrs, Code: d.Code, AppName: a.cfg.AppName, AppURL: a.cfg.AppURL, Minutes: minutes(a.cfg.Flow.TTL)}
	switch d.Channel {
	case authflow.ChannelEmail:
		if a.email == nil {
			return errors.New("passwordless: an email round but no email sender; build the function with WithEmail")
		}
		must := []message.Field{message.CodeField}
		if d.Token != "" {
			data.Link = a.cfg.MagicLinkURL + "#" + d.Token
			must = append(must, message.LinkField)
		}
		var m notify.Email
		var err error
		if m.Subject, err = a.set.Render(lang, MessageName, message.Subject, data, message.CodeField); err != nil {
			return err
		}
		if m.HTML, err = a.set.Render(lang, MessageName, message.Body, data, must...); err != nil {
			return err
		}
		if m.Text, err = a.set.Render(lang, MessageName, message.Text, data, must...); err != nil {
			return err
		}
		m.To = d.To
		return a.email.SendEmail(ctx, m)
	case authflow.ChannelSMS:
		if a.sms == nil {
			return errors.New("passwordless: an SMS round but no SMS sender; build the function with WithSMS")
		}
		text, err := a.set.Render(lang, MessageName, message.SMS, data, message.CodeField)
		if err != nil {
			return err
		}
		return a.sms.SendSMS(ctx, notify.SMS{To: d.To, Text: text})
	}
	return fmt.Errorf("passwordless: unknown channel %q", d.Channel)
}

// checkTemplates renders every part of the sign-in message that create
// sends, in every language, with the configuration's values: for the
// user whose long given name makes each part longest, and with
// everySample also for a typical user and one without a given name.
func (a *Auth) checkTemplates(everySample bool) error {
	names := []string{"Maximilian-Alexander Wolfeschlegelsteinhausen"}
	if everySample {
		names = append(names, "Jane", "")
	}
	var samples []message.Data
	for _, name := range names {
		samples = append(samples, message.Data{
			User:    map[string]string{"given_name": name, "email": "jane.doe@example.com", "phone_number": "+15555550123"},
			Code:    "0123456789"[:a.cfg.Flow.OTPLength],
			AppName: a.cfg.AppName, AppURL: a.cfg.AppURL,
			Minutes: minutes(a.cfg.Flow.TTL),
		})
	}
	var errs []error
	check := func(p message.Part, samples []message.Data, must ...message.Field) {
		if err := a.set.Check(MessageName, p, samples, must...); err != nil {
			errs = append(errs, err)
		}
	}
	if a.email != nil {
		withLink := samples
		must := []message.Field{message.CodeField}
		if a.cfg.Flow.MagicLink {
			withLink = nil
			for _, s := range samples {
				s.Link = a.cfg.MagicLinkURL + "#" + strings.Repeat("A", otp.TokenLength)
				withLink = append(withLink, s)
			}
			must = append(must, message.LinkField)
		}
		check(message.Subject, samples, message.CodeField)
		check(message.Body, withLink, must...)
		check(message.Text, withLink, must...)
	}
	if a.sms != nil {
		check(message.SMS, samples, message.CodeField)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("the %s message cannot be written:\n%w", MessageName, err)
	}
	return nil
}

// minutes is ttl in whole minutes, for messages; at least 1.
func minutes(ttl time.Duration) int {
	return max(1, int(ttl/time.Minute))
}
