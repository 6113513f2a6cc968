package customsender

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"strings"

	"github.com/cognitrig/cognitrig/internal/appenv"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Message names, in a [message.Set], that the custom senders use besides
// the custom message trigger's (SignUp, ResendCode, ForgotPassword,
// UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser).
const (
	// SignInMessage is the sign-in code (MFA, or the EMAIL_OTP and
	// SMS_OTP of choice-based sign-in) of the Authentication sources: the
	// passwordless trigger's message, whose words fit both.
	SignInMessage = "SignIn"
	// AccountTakeOverMessage tells the user about a risky sign-in, for
	// CustomEmailSender_AccountTakeOverNotification. It shows no code.
	AccountTakeOverMessage = "AccountTakeOver"
)

// MaxSMS is the length limit of the text messages, in characters counted
// as package message counts them. SNS sends a text longer than one SMS
// (140 bytes) as several, up to 1,600 bytes in all; a temporary password
// with a long username may need two.
const MaxSMS = 800

// letter is what one trigger source sends.
type letter struct {
	name     string // the message name in the set
	code     bool   // the event carries a code, which the message shows
	username bool   // the message shows the username (AdminCreateUser)
}

// letterFor returns the letter of a custom sender trigger source, in
// either spelling.
func letterFor(src trigger.Source) (letter, bool) {
	_, reason, _ := strings.Cut(string(src.Canonical()), "_")
	switch reason {
	case "SignUp", "ResendCode", "ForgotPassword", "UpdateUserAttribute", "VerifyUserAttribute":
		return letter{name: reason, code: true}, true
	case "AdminCreateUser":
		return letter{name: reason, code: true, username: true}, true
	case "Authentication":
		return letter{name: SignInMessage, code: true}, true
	case "AccountTakeOverNotification":
		return letter{name: AccountTakeOverMessage}, true
	}
	return letter{}, false
}

// must lists the fields the bodies and the SMS of l must show (the
// subject need not).
func (l letter) must() []message.Field {
	var f []message.Field
	if l.code {
		f = append(f, message.CodeField)
	}
	if l.username {
		f = append(f, message.UsernameField)
	}
	return f
}

// Sender is the custom email sender and the custom SMS sender triggers:
// it decrypts the event's code, writes the message of the trigger source
// in the user's language, and sends it. Pass its methods to
// trigger.CustomEmailSender and trigger.CustomSMSSender. A Sender is safe
// for concurrent use.
type Sender struct {
	cfg   Config
	dec   Decrypter
	set   *message.Set
	email notify.EmailSender
	sms   notify.SMSSender
	sent  *recent
	// checked: New rendered the templates (checkTemplates), as it does
	// unless the tests verified them for cfg (see New).
	checked bool
}

// Option configures [New]. It is also a fromenv.Option of
// [Function.FromEnv] (emailsender.FromEnv, smssender.FromEnv), which
// gives it to New.
type Option func(*Sender)

// WithDecrypter decrypts the codes with d, such as a [KMSDecrypter].
func WithDecrypter(d Decrypter) Option { return func(s *Sender) { s.dec = d } }

// WithEmail sends email through e, such as sesnotify.New.
func WithEmail(e notify.EmailSender) Option { return func(s *Sender) { s.email = e } }

// WithSMS sends text messages through t, such as snsnotify.New.
func WithSMS(t notify.SMSSender) Option { return func(s *Sender) { s.sms = t } }

// WithMessages writes the messages from set instead of the templates of
// package message ([message.Defaults]). Every language of set needs the
// parts the senders use: for email, the subject, HTML body and text body
// of each message; for SMS, its SMS text.
func WithMessages(set *message.Set) Option { return func(s *Sender) { s.set = set } }

// New returns the custom sender triggers of cfg. It needs a decrypter
// and at least one sender: WithEmail for Email, WithSMS for SMS
// (emailsender.AWSOptions and smssender.AWSOptions build them). Unless
// the tests verified them for cfg (below), it checks every message
// template the given senders use, in every language, so that a broken
// template, or an APP_NAME or APP_URL that makes a message too long,
// stops the function at start-up; the error names the variable or the
// file that is wrong.
//
// Without WithMessages, New uses package message's templates
// ([message.Defaults]), which are embedded and cannot change after the
// build. This package's tests render them as New would
// (TestGoldenVerified): every part both senders use, of every message,
// in every language, with every sample user, with the shortest and the
// longest APP_NAME ([message.MaxAppName] UTF-16 code units, as Cognito
// counts) and APP_URL (200 bytes), and they record the digest of the
// templates they rendered in verified.go. When the embedded templates
// have that digest and cfg's APP_NAME and APP_URL are within those
// bounds, of characters Cognito accepts, New renders nothing: each
// template is parsed when first used, and every message is still checked
// as it is written. Otherwise (templates edited and the tests not run
// since, or a longer value) New checks them at start-up. A set given
// WithMessages is always checked.
func New(cfg Config, opts ...Option) (*Sender, error) {
	return build(cfg, message.Defaults(), opts)
}

// build is New, with the template folder it loads without WithMessages:
// package message's, or an edited one in tests.
func build(cfg Config, templates fs.FS, opts []Option) (*Sender, error) {
	s := &Sender{cfg: cfg, sent: newRecent(recentSize)}
	for _, o := range opts {
		o(s)
	}
	switch {
	case s.dec == nil:
		return nil, errors.New("customsender: no decrypter; give New WithDecrypter (emailsender.AWSOptions and smssender.AWSOptions build one)")
	case s.email == nil && s.sms == nil:
		return nil, errors.New("customsender: no sender; give New WithEmail or WithSMS")
	case cfg.AppName == "":
		return nil, appenv.ErrNoName
	}
	verified := false
	if s.set == nil {
		set, matched, err := message.LoadMatching(templates, verifiedDigest)
		if err != nil {
			return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
		}
		s.set, verified = set, matched
	}
	s.set = s.set.WithLimit(message.SMS, MaxSMS)
	if verified && trusted(cfg) {
		return s, nil
	}
	if err := s.checkTemplates(); err != nil {
		return nil, err
	}
	s.checked = true
	return s, nil
}

// Email is the custom email sender handler.
func (s *Sender) Email(ctx context.Context, ev *trigger.CustomEmailSenderEvent) error {
	return s.deliver(ctx, notify.ChannelEmail, &ev.Header, &ev.Request)
}

// SMS is the custom SMS sender handler.
func (s *Sender) SMS(ctx context.Context, ev *trigger.CustomSMSSenderEvent) error {
	return s.deliver(ctx, notify.ChannelSMS, &ev.Header, &ev.Request)
}

// deliver decrypts, writes and sends the message of one event. An event
// whose code this process has sent already is skipped (see recent).
func (s *Sender) deliver(ctx context.Context, ch notify.Channel, hd *trigger.Header, req *trigger.CustomSenderRequest) error {
	l, ok := letterFor(hd.TriggerSource)
	if !ok {
		return fmt.Errorf("customsender: no message for trigger source %q", hd.TriggerSource)
	}
	attr := destination(ch)
	to := strings.TrimSpace(req.UserAttributes[attr])
	if to == "" {
		return fmt.Errorf("the user has no %s attribute: nothing to send the %s message to", attr, l.name)
	}
	log := trigger.Logger(ctx)
	if ch == notify.ChannelSMS && !s.cfg.SMSCountries.Allows(to) {
		// Refused for good: decrypting costs a KMS call, and an error
		// would only make Lambda retry the event twice.
		log.Warn("message not sent: the phone number is outside the allowed SMS countries",
			"message", l.name, "limit", "country", "to", trigger.MaskPhone(to))
		return nil
	}
	key := digest(string(req.Code))
	if l.code && s.sent.has(key) {
		log.Info("message already sent by this instance: the same event came again, not sent twice", "message", l.name)
		return nil
	}
	data := message.Data{User: req.UserAttributes, AppName: s.cfg.AppName, AppURL: s.cfg.AppURL}
	if l.code {
		if req.Code == "" {
			return fmt.Errorf("the %s event carries no code", hd.TriggerSource)
		}
		code, err := s.dec.Decrypt(ctx, string(req.Code), hd.UserPoolID)
		if err != nil {
			return err
		}
		if l.username {
			// Cognito HTML-escapes temporary passwords; Render escapes
			// them again where HTML needs it.
			code, data.Username = html.UnescapeString(code), hd.UserName
		}
		data.Code = code
	}
	lang := s.set.Language(req.UserAttributes["locale"])
	var err error
	switch ch {
	case notify.ChannelEmail:
		err = s.sendEmail(ctx, lang, l, data, to)
	default:
		err = s.sendSMS(ctx, lang, l, data, to)
	}
	if err != nil {
		return err
	}
	if l.code {
		s.sent.add(key)
		channel := metrics.ChannelSMS
		if ch == notify.ChannelEmail {
			channel = metrics.ChannelEmail
		}
		metrics.Count(ctx, metrics.CodesSent, metrics.Dim(metrics.DimChannel, channel))
	}
	log.Info("message sent", "message", l.name, "lang", lang, "channel", string(ch))
	return nil
}

func (s *Sender) sendEmail(ctx context.Context, lang string, l letter, d message.Data, to string) error {
	if s.email == nil {
		return errors.New("customsender: an email event but no email sender; build the function with WithEmail")
	}
	m := notify.Email{To: to}
	var err error
	if m.Subject, err = s.set.Render(lang, l.name, message.Subject, d); err != nil {
		return err
	}
	if m.HTML, err = s.set.Render(lang, l.name, message.Body, d, l.must()...); err != nil {
		return err
	}
	if m.Text, err = s.set.Render(lang, l.name, message.Text, d, l.must()...); err != nil {
		return err
	}
	return s.email.SendEmail(ctx, m)
}

func (s *Sender) sendSMS(ctx context.Context, lang string, l letter, d message.Data, to string) error {
	if s.sms == nil {
		return errors.New("customsender: an SMS event but no SMS sender; build the function with WithSMS")
	}
	text, err := s.set.Render(lang, l.name, message.SMS, d, l.must()...)
	if err != nil {
		return err
	}
	return s.sms.SendSMS(ctx, notify.SMS{To: to, Text: text})
}

// destination is the user attribute a channel sends to.
func destination(ch notify.Channel) string {
	if ch == notify.ChannelEmail {
		return "email"
	}
	return "phone_number"
}

// checkTemplates renders every part each sender uses, of every message
// its trigger sends, in every language, for a typical user, one with a
// long name and one without attributes.
func (s *Sender) checkTemplates() error {
	var errs []error
	check := func(kind trigger.Kind, parts ...message.Part) {
		done := map[string]bool{}
		for _, src := range trigger.Sources() {
			l, _ := letterFor(src)
			if src.Kind() != kind || done[l.name] {
				continue
			}
			done[l.name] = true
			samples := s.samples(l)
			for _, p := range parts {
				must := l.must()
				if p == message.Subject {
					must = nil
				}
				if err := s.set.Check(l.name, p, samples, must...); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	if s.email != nil {
		check(trigger.KindCustomEmailSender, message.Subject, message.Body, message.Text)
	}
	if s.sms != nil {
		check(trigger.KindCustomSMSSender, message.SMS)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("the custom sender messages cannot be written:\n%w", err)
	}
	return nil
}

// samples is the data checkTemplates renders l with. Of s.cfg, only
// AppName and AppURL reach them, which trusted bounds: a value of cfg
// added here needs a bound there, and in TestGoldenVerified.
func (s *Sender) samples(l letter) []message.Data {
	var out []message.Data
	for _, name := range []string{"Jane", "Maximilian-Alexander Wolfeschlegelsteinhausen", ""} {
		d := message.Data{AppName: s.cfg.AppName, AppURL: s.cfg.AppURL}
		if name != "" {
			d.User = map[string]string{"given_name": name, "email": "jane.doe@example.com", "phone_number": "+15555550123"}
		}
		if l.code {
			d.Code = "123456"
		}
		if l.username {
			// A temporary password with every kind of character Cognito
			// puts in one, and a username as long as a UUID.
			d.Code, d.Username = `a1B&<"'>^$*.[]{}()?!@#%/\,:;|_~=+-`, "0f1e2d3c-0000-4000-8000-00000000000e"
		}
		out = append(out, d)
	}
	return out
}
