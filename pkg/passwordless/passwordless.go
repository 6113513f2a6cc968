package passwordless

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"strings"
	"time"

	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/metrics"
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
// user has had too many messages lately, any other error when the limit
// could not be checked (create then fails closed and sends nothing). The
// end user never sees a denial's own words: create answers every refused
// send with notify.RefusedMessage. *throttle.Table is one.
type Limiter interface {
	Allow(ctx context.Context, key string) error
}

// PoolLimiter limits the messages sent across all the users of a user
// pool, with the contract of [Limiter] for its errors. AllowPool records
// a send for the pool userPoolID; CheckPool records nothing, and refuses
// exactly when AllowPool would. Create asks AllowPool before a real send
// and CheckPool in a round that sends nothing (an unknown user), so that
// decoys cost nothing yet are refused like real sends. *throttle.Table is
// one.
type PoolLimiter interface {
	AllowPool(ctx context.Context, userPoolID string) error
	CheckPool(ctx context.Context, userPoolID string) error
}

// Auth is the passwordless sign-in: the handlers of define auth challenge,
// create auth challenge and verify auth challenge response over one flow
// of decisions, built from cfg.Flow. Pass its methods to
// trigger.DefineAuthChallenge, trigger.CreateAuthChallenge and
// trigger.VerifyAuthChallenge. An Auth is safe for concurrent use.
type Auth struct {
	cfg     Config
	flow    *core.Flow
	set     *message.Set
	email   notify.EmailSender
	sms     notify.SMSSender
	limiter Limiter
	pool    PoolLimiter
	pace    *pacer
	secrets SecretsManagerAPI
	keyed   *keyedFlow // create's flow when the decoy key is in a secret, else nil
	checked bool       // New rendered the sign-in message (checkTemplates)
}

// Option configures [New]. It is also a fromenv.Option of [CreateFromEnv],
// which gives it to New, and of [DefineFromEnv] and [VerifyFromEnv], which
// ignore it.
type Option func(*Auth)

// WithEmail sends the codes of email rounds through s, such as
// sesnotify.New.
func WithEmail(s notify.EmailSender) Option { return func(a *Auth) { a.email = s } }

// WithSMS sends the codes of SMS rounds through s, such as snsnotify.New.
func WithSMS(s notify.SMSSender) Option { return func(a *Auth) { a.sms = s } }

// WithLimiter limits the messages each user gets, such as a
// [throttle.Table]. Create asks it before every new code, for unknown users
// too, so that the limit does not tell them apart.
func WithLimiter(l Limiter) Option { return func(a *Auth) { a.limiter = l } }

// WithPoolLimiter limits the messages sent across all the users of the
// pool, such as a [throttle.Table]. Create asks it before every new code,
// after the Limiter.
func WithPoolLimiter(p PoolLimiter) Option { return func(a *Auth) { a.pool = p } }

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
// for email, WithSMS for sms, both for auto; unless
// cfg.AllowUnlimitedSends, both limits, WithLimiter and WithPoolLimiter;
// and with cfg.DecoyKeySecretARN, WithSecretsManager (AWSOptions builds
// them all). New reads no secret: create does, at its first invocation.
// With a sender, New also checks the configuration that create needs
// (Config.CheckCreate) and that every part of the sign-in message that
// create sends renders, in every language, with cfg's values (app name
// and address, link, code length, life), so that a broken template, or a
// value that makes a message too long, stops the function at start-up.
// The error names the configuration variable or the template file that
// is wrong.
//
// Without WithMessages, New loads only the sign-in message of package
// message's templates, which are embedded and cannot change after the
// build. This package's tests render them (TestGoldenVerified): every
// part, in every language, with every sample user, for every code length
// and life, with and without a magic link, with the shortest and the
// longest app name (MaxAppName UTF-16 code units, as Cognito counts),
// app address (200 bytes) and magic-link address (500 bytes), and they
// record the digest of the templates they rendered in verified.go. When
// the embedded templates have that digest and cfg is within those
// bounds, of characters Cognito accepts, New renders nothing: each
// template is parsed when first used, and create's messages are still
// checked as they are written. Otherwise (templates edited and the tests
// not run since, or a longer value) New renders each part once per
// language, for the user that makes it longest: the other branches of
// the templates do not depend on cfg. A set given WithMessages is
// rendered with every sample user.
func New(cfg Config, opts ...Option) (*Auth, error) {
	return build(cfg, message.Defaults(), opts)
}

// build is New, with the template folder whose sign-in message it loads
// without WithMessages: package message's, or an edited one in tests.
func build(cfg Config, templates fs.FS, opts []Option) (*Auth, error) {
	flow, err := core.New(cfg.Flow)
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
	if a.email == nil && ch != ChannelSMS || a.sms == nil && ch != ChannelEmail {
		return nil, fmt.Errorf("passwordless: %s=%s sends by %s; give New both WithEmail and WithSMS for auto, or the one the channel uses", EnvChannel, ch, map[Channel]string{
			ChannelEmail: "email", ChannelSMS: "SMS", ChannelAuto: "email and SMS"}[ch])
	}
	if cfg.DecoyKeySecretARN != "" {
		if a.secrets == nil {
			return nil, fmt.Errorf("passwordless: %s=%s names the secret of the decoy key, and New was given no Secrets Manager client to read it; give it WithSecretsManager (AWSOptions builds one), or set %s instead",
				EnvDecoyKeySecretARN, cfg.DecoyKeySecretARN, EnvDecoyKey)
		}
		a.keyed = newKeyedFlow(a.secrets, cfg.DecoyKeySecretARN, cfg.Flow)
	}
	if !cfg.AllowUnlimitedSends && (a.limiter == nil || a.pool == nil) {
		return nil, fmt.Errorf("passwordless: create sends only within limits, and New was given no per-user or no pool-wide limiter; give it WithLimiter and WithPoolLimiter (AWSOptions builds both over %s), or set %s=true",
			EnvThrottleTable, EnvAllowUnlimitedSends)
	}
	// The tests render the shipped templates with every sample user, not
	// a set given WithMessages.
	everySample := a.set != nil
	if a.set == nil {
		set, verified, err := message.LoadMatching(signInTemplates{templates}, verifiedDigest)
		if err != nil {
			return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
		}
		a.set = set
		if verified && trusted(cfg) {
			return a, nil
		}
	}
	if err := a.checkTemplates(everySample); err != nil {
		return nil, err
	}
	a.checked = true
	return a, nil
}

// Define is the define auth challenge handler.
func (a *Auth) Define(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
	return a.flow.HandleDefine(ctx, ev)
}

// Verify is the verify auth challenge response handler.
func (a *Auth) Verify(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
	return a.flow.HandleVerify(ctx, ev)
}

// Create is the create auth challenge handler. In a round with a new
// code it asks the limiter, then the pool limiter, then sends the code
// (or, for an unknown user, waits about as long as a send takes) before it
// answers; a failed send fails the round.
//
// With Config.DecoyKeySecretARN, the first invocation reads the decoy key
// from that secret before anything else, whoever signs in, within the
// invocation's deadline, and the process keeps it: one GetSecretValue per
// process. Reading it at the first invocation of a real user too, not only
// when an unknown user first needs a decoy, keeps that read's time from
// telling unknown users apart. Until the key has been read, every
// invocation fails with an internal error that names the secret and the
// SDK's error (never the value), whoever signs in, and the next one reads
// again: create never falls back to predictable decoys, and real users do
// not get codes while unknown ones fail, which would tell them apart.
//
// A phone number that SMS may not go to (outside cfg.SMSCountries) is no
// destination: the round goes by email when the user has one, and is
// otherwise the decoy of a user without a destination, as for an unknown
// user. A send refused by the per-user limit, the pool-wide limit or the
// SMS countries fails the round with the same neutral denial,
// notify.RefusedMessage, whichever refused it and whether or not the user
// exists; the log line says which (limit=user, pool or country), with the
// destination masked. Other errors the end user may see are notify's
// rejections; the rest are internal.
//
// It counts metrics (package metrics): CodesSent (channel email or sms)
// for each message SES or SNS accepted, ThrottleHits (scope user or pool)
// for each send a limit refused, and DecoysServed for each challenge
// served to an unknown user. Nothing about the user goes into them.
func (a *Auth) Create(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
	flow := a.flow
	if a.keyed != nil {
		f, err := a.keyed.get(ctx)
		if err != nil {
			return err
		}
		flow = f
	}
	log := trigger.Logger(ctx)
	view, blockedPhone := a.withoutBlockedPhone(ev)
	d, err := flow.Create(view)
	if err != nil {
		if _, denied := errors.AsType[*trigger.Denial](err); denied && blockedPhone != "" {
			// A user who passed the password but whose only number is
			// outside the countries: refused as any other send.
			return a.refuse(ctx, limitCountry, slog.String("to", blockedPhone), err)
		}
		return err
	}
	if blockedPhone != "" && d.Fresh && d.Decoy == core.ReasonNoDestination {
		log.LogAttrs(ctx, slog.LevelWarn, "create auth challenge: no code sent, the phone number is outside the allowed SMS countries",
			slog.String("limit", limitCountry), slog.String("to", blockedPhone), slog.Any("decision", d))
	}
	if d.Fresh {
		if a.limiter != nil {
			if err := a.limiter.Allow(ctx, throttle.Key(ev.UserPoolID, ev.UserName)); err != nil {
				return a.refuse(ctx, limitUser, slog.Any("decision", d), err)
			}
		}
		if a.pool != nil {
			check := a.pool.CheckPool
			if d.Delivery != nil {
				check = a.pool.AllowPool
			}
			if err := check(ctx, ev.UserPoolID); err != nil {
				return a.refuse(ctx, limitPool, slog.Any("decision", d), err)
			}
		}
		if d.Delivery != nil {
			start := time.Now()
			if err := a.send(ctx, ev.Request.UserAttributes, d.Delivery); err != nil {
				if _, blocked := errors.AsType[*notify.Blocked](err); blocked {
					return a.refuse(ctx, limitCountry, slog.Any("decision", d), err)
				}
				return err
			}
			a.pace.observe(d.Channel, time.Since(start))
			metrics.Count(ctx, metrics.CodesSent, metrics.Dim(metrics.DimChannel, channelMetric(d.Channel)))
		} else {
			a.pace.wait(ctx, d.Channel)
		}
	}
	if d.Decoy == core.ReasonUserNotFound {
		metrics.Count(ctx, metrics.DecoysServed)
	}
	if log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "create auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}

// channelMetric is the value of the channel dimension of
// metrics.CodesSent for a round's channel.
func channelMetric(ch Channel) string {
	if ch == ChannelSMS {
		return metrics.ChannelSMS
	}
	return metrics.ChannelEmail
}

// The limits that refuse a send, as the log names them.
const (
	limitUser    = "user"
	limitPool    = "pool"
	limitCountry = "country"
)

// refuse ends a round whose send was refused, or could not be checked.
// A denial (by a limiter or the SMS countries) is logged at warn level,
// naming the limit, and becomes the neutral notify.RefusedMessage; any
// other error is an internal failure, returned with the limit named.
func (a *Auth) refuse(ctx context.Context, limit string, what slog.Attr, err error) error {
	if _, denied := errors.AsType[*trigger.Denial](err); !denied {
		return fmt.Errorf("passwordless: check the %s send limit: %w", limit, err)
	}
	switch limit {
	case limitUser:
		metrics.Count(ctx, metrics.ThrottleHits, metrics.Dim(metrics.DimScope, metrics.ScopeUser))
	case limitPool:
		metrics.Count(ctx, metrics.ThrottleHits, metrics.Dim(metrics.DimScope, metrics.ScopePool))
	}
	trigger.Logger(ctx).LogAttrs(ctx, slog.LevelWarn, "create auth challenge: send refused",
		slog.String("limit", limit), what, slog.Any("detail", err))
	return trigger.Deny(notify.RefusedMessage)
}

// withoutBlockedPhone returns ev, or, when the user's phone_number is one
// SMS may not go to, a copy of ev whose attributes lack it, and the
// number masked. Create decides on the copy, so that such a number is no
// destination; ev itself is never changed.
func (a *Auth) withoutBlockedPhone(ev *trigger.CreateAuthChallengeEvent) (*trigger.CreateAuthChallengeEvent, string) {
	if a.cfg.Flow.Channel == ChannelEmail {
		return ev, ""
	}
	phone := strings.TrimSpace(ev.Request.UserAttributes[attrPhone])
	if phone == "" || a.cfg.SMSCountries.Allows(phone) {
		return ev, ""
	}
	view := *ev
	view.Request.UserAttributes = maps.Clone(ev.Request.UserAttributes)
	delete(view.Request.UserAttributes, attrPhone)
	return &view, trigger.MaskPhone(phone)
}

// attrPhone is the user attribute SMS go to.
const attrPhone = "phone_number"

// send writes the message of d in the user's language and sends it.
func (a *Auth) send(ctx context.Context, attrs map[string]string, d *core.Delivery) error {
	lang := a.set.Language(attrs["locale"])
	data := message.Data{User: attrs, Code: d.Code, AppName: a.cfg.AppName, AppURL: a.cfg.AppURL, Minutes: minutes(a.cfg.Flow.TTL)}
	switch d.Channel {
	case ChannelEmail:
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
	case ChannelSMS:
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
