package message

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cognitrig/cognitrig/internal/appenv"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// customMessageSources are the trigger sources of the custom message
// trigger. The template names of a source are its part after
// "CustomMessage_": SignUp, AdminCreateUser, and so on.
var customMessageSources = []trigger.Source{
	trigger.SourceCustomMessageSignUp,
	trigger.SourceCustomMessageAdminCreateUser,
	trigger.SourceCustomMessageResendCode,
	trigger.SourceCustomMessageForgotPassword,
	trigger.SourceCustomMessageUpdateUserAttribute,
	trigger.SourceCustomMessageVerifyUserAttribute,
	trigger.SourceCustomMessageAuthentication,
}

// TemplateName returns the name of the templates of a trigger source: the
// part after the first '_' ("CustomMessage_SignUp" gives "SignUp").
func TemplateName(s trigger.Source) string {
	_, name, _ := strings.Cut(string(s), "_")
	return name
}

// CustomMessage is the custom message trigger: it writes the SMS text and
// the email subject and body of every message Cognito sends, from a [Set],
// in the user's language. Pass its Handle method to
// [trigger.CustomMessage].
type CustomMessage struct {
	set *Set
	cfg Config
}

// NewCustomMessage checks cfg, and checks that every template the trigger
// will use exists in every language of set and renders within Cognito's
// rules with typical data. The error names each wrong variable or template
// file.
//
// The one exception is a set from [LoadDefaults] holding the templates
// this package's tests verified: the tests did this check for every
// configuration with an APP_NAME of at most MaxAppName UTF-16 code units
// and an APP_URL of at most 200 bytes, and the templates cannot change
// after the build, so NewCustomMessage skips it for such a configuration
// (see the package documentation).
func NewCustomMessage(set *Set, cfg Config) (*CustomMessage, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	c := &CustomMessage{set: set, cfg: cfg}
	if set.verified && cfg.verified() {
		return c, nil
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("templates not fit for the custom message trigger:\n%w", err)
	}
	return c, nil
}

// maxVerifiedURL is the longest APP_URL, in bytes, of the configurations
// with which the tests verify the default templates.
const maxVerifiedURL = 200

// verified reports whether the package's tests verify the default
// templates for the custom message trigger with a configuration like c
// (TestGoldenVerified): any sender and verification, an APP_NAME of at
// most MaxAppName UTF-16 code units (as Cognito counts; most emoji count
// two) and an APP_URL, if any, of at most maxVerifiedURL bytes. The tests
// render with the longest such values, made of the characters that
// escaping lengthens most, so that a shorter one cannot break a length
// limit that the longest kept.
func (c Config) verified() bool {
	return appenv.Units(c.AppName) <= MaxAppName && len(c.AppURL) <= maxVerifiedURL
}

// check renders every template the configuration uses in every language.
func (c *CustomMessage) check() error {
	var errs []error
	for _, src := range customMessageSources {
		name := TemplateName(src)
		samples := c.samples(src, false)
		must := required(src)
		errs = append(errs, c.set.Check(name, SMS, samples, must...))
		if c.cfg.EmailSendingAccount == CognitoDefault {
			continue
		}
		errs = append(errs,
			c.set.Check(name, Subject, samples),
			c.set.Check(name, Body, samples, must...))
		if c.usesLink(src) {
			// With a link, and without one when Cognito sends none.
			errs = append(errs,
				c.set.Check(name, Subject, c.samples(src, true)),
				c.set.Check(name, Body, c.samples(src, true), LinkField))
		}
	}
	return errors.Join(errs...)
}

// samples returns typical data for the source: a user with the usual
// attributes, and a user with none.
func (c *CustomMessage) samples(src trigger.Source, link bool) []Data {
	d := Data{
		Code:    "{####}",
		AppName: c.cfg.AppName,
		AppURL:  c.cfg.AppURL,
		User: map[string]string{
			"sub":                 "00000000-0000-4000-8000-000000000000",
			"cognito:user_status": "CONFIRMED",
			"email":               "alexandra.sample@example.com",
			"email_verified":      "true",
			"phone_number":        "+15555550100",
			"given_name":          "Alexandra",
			"family_name":         "Sample-Example",
			"name":                "Alexandra Sample-Example",
			"locale":              "en",
		},
	}
	if src == trigger.SourceCustomMessageAdminCreateUser {
		d.Username = "{username}"
	}
	if link {
		d.Link = "{##Click Here##}"
	}
	bare := d
	bare.User = nil
	return []Data{d, bare}
}

// required lists what a source's email body and SMS must show.
func required(src trigger.Source) []Field {
	if src == trigger.SourceCustomMessageAdminCreateUser {
		return []Field{UsernameField, CodeField}
	}
	return []Field{CodeField}
}

// usesLink reports whether the source's email carries the verification
// link rather than the code.
func (c *CustomMessage) usesLink(src trigger.Source) bool {
	return c.cfg.Verification == VerifyByLink &&
		(src == trigger.SourceCustomMessageSignUp || src == trigger.SourceCustomMessageResendCode)
}

// Handle sets the response of a custom message event. It never returns an
// error: a message it cannot render within Cognito's rules (for a user
// whose name is 2,000 characters long, say) is left null, so that Cognito
// sends its own, and the reason is logged without the user's data. The SMS
// and the email stand or fall separately; the email subject and body
// together.
//
// It counts, in the metrics of the invocation, MessagesRendered when it
// wrote a message, and MessageFallbacks by reason for each message left to
// Cognito, written in the fallback language, or written without the link
// (see package metrics).
func (c *CustomMessage) Handle(ctx context.Context, ev *trigger.CustomMessageEvent) error {
	if c.handle(ctx, ev) {
		metrics.Count(ctx, metrics.MessagesRendered)
	}
	return nil
}

// handle sets the response and reports whether it wrote a message.
func (c *CustomMessage) handle(ctx context.Context, ev *trigger.CustomMessageEvent) (wrote bool) {
	src := ev.TriggerSource
	name := TemplateName(src)
	req := &ev.Request
	locale := req.UserAttributes["locale"]
	lang := c.set.Language(locale)
	if lang == Fallback && strings.TrimSpace(locale) != "" && !sameLanguage(locale, Fallback) {
		metrics.Count(ctx, metrics.MessageFallbacks, metrics.Dim(metrics.DimReason, metrics.ReasonLanguage))
	}
	d := Data{
		User:     req.UserAttributes,
		Code:     string(req.CodeParameter),
		Username: string(req.UsernameParameter),
		AppName:  c.cfg.AppName,
		AppURL:   c.cfg.AppURL,
	}
	must := required(src)

	if sms, err := c.set.Render(lang, name, SMS, d, must...); err != nil {
		leftToCognito(ctx, "sms", lang, err)
	} else {
		ev.Response.SMSMessage = trigger.String(sms)
		wrote = true
	}

	if c.cfg.EmailSendingAccount == CognitoDefault {
		return wrote
	}
	if c.usesLink(src) {
		if req.LinkParameter != "" {
			d.Link = string(req.LinkParameter)
			must = []Field{LinkField}
		} else {
			trigger.Logger(ctx).Warn("VERIFICATION=link but Cognito sent no linkParameter: the email shows the code; check that the user pool verifies email with a link",
				slog.String("lang", lang))
			metrics.Count(ctx, metrics.MessageFallbacks, metrics.Dim(metrics.DimReason, metrics.ReasonNoLink))
		}
	}
	subject, err := c.set.Render(lang, name, Subject, d)
	if err == nil {
		var body string
		if body, err = c.set.Render(lang, name, Body, d, must...); err == nil {
			ev.Response.EmailSubject = trigger.String(subject)
			ev.Response.EmailMessage = trigger.String(body)
			return true
		}
	}
	leftToCognito(ctx, "email", lang, err)
	return wrote
}

// sameLanguage reports whether locale is of the language lang: its primary
// subtag ("en" of "en-GB", "en_GB.UTF-8") is lang, in any case.
func sameLanguage(locale, lang string) bool {
	primary, _, _ := strings.Cut(strings.TrimSpace(locale), "-")
	primary, _, _ = strings.Cut(primary, "_")
	primary, _, _ = strings.Cut(primary, ".")
	return strings.EqualFold(primary, lang)
}

// leftToCognito logs why a message was left for Cognito to write. Render's
// errors carry no user data.
func leftToCognito(ctx context.Context, channel, lang string, err error) {
	trigger.Logger(ctx).Warn("custom "+channel+" not set, Cognito sends its default message",
		slog.String("lang", lang), slog.String("reason", err.Error()))
	metrics.Count(ctx, metrics.MessageFallbacks, metrics.Dim(metrics.DimReason, fallbackReason(err)))
}

// fallbackReason returns the reason dimension of MessageFallbacks for an
// error of render.
func fallbackReason(err error) string {
	switch {
	case errors.Is(err, ErrNoTemplate):
		return metrics.ReasonNoTemplate
	case errors.Is(err, ErrMissingValue):
		return metrics.ReasonMissingValue
	case errors.Is(err, ErrNotShown):
		return metrics.ReasonNotShown
	case errors.Is(err, ErrLimit):
		return metrics.ReasonTooLong
	case errors.Is(err, ErrCharacter):
		return metrics.ReasonBadCharacter
	}
	return metrics.ReasonTemplateFailed
}
