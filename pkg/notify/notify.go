package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Email is one email message. HTML and Text are the two renderings of the
// same body; at least one must be set. Its fields may hold a secret (a
// code, a link) and personal data: it prints masked through fmt and
// log/slog, so read the fields only to send it.
type Email struct {
	To      string
	Subject string
	HTML    string
	Text    string
}

// String describes the email without its body and with To masked.
func (e Email) String() string { return "email to " + trigger.MaskEmail(e.To) }

// GoString is String, so that %#v does not print the body either.
func (e Email) GoString() string { return e.String() }

// LogValue shows the email in a log line without its body.
func (e Email) LogValue() slog.Value {
	return slog.GroupValue(slog.String("channel", string(ChannelEmail)), slog.String("to", trigger.MaskEmail(e.To)))
}

// SMS is one text message to a phone number in E.164 form ("+15555550123").
// Text may hold a secret; SMS prints masked through fmt and log/slog.
type SMS struct {
	To   string
	Text string
}

// String describes the SMS without its text and with To masked.
func (s SMS) String() string { return "sms to " + trigger.MaskPhone(s.To) }

// GoString is String, so that %#v does not print the text either.
func (s SMS) GoString() string { return s.String() }

// LogValue shows the SMS in a log line without its text.
func (s SMS) LogValue() slog.Value {
	return slog.GroupValue(slog.String("channel", string(ChannelSMS)), slog.String("to", trigger.MaskPhone(s.To)))
}

// EmailSender delivers an email. SendEmail returns nil once the provider
// has accepted the message, a [*Rejected] when it refuses it for good, and
// a [*Error] otherwise. It must honor ctx's deadline.
type EmailSender interface {
	SendEmail(ctx context.Context, m Email) error
}

// SMSSender delivers a text message, with the same contract as
// [EmailSender].
type SMSSender interface {
	SendSMS(ctx context.Context, m SMS) error
}

// Channel names how a message travels.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Rejected reports a message that the provider refused for good: retrying
// will not help. Error returns a generic message written for the end user;
// the fields carry the detail for the log. It unwraps to a trigger.Denial
// with that message, so a handler can return it as it is.
type Rejected struct {
	// Channel is the channel of the refused message.
	Channel Channel
	// Service is "ses" or "sns".
	Service string
	// Code is the provider's error code, such as "MessageRejected" or
	// "OptedOut".
	Code string
	// RequestID is the provider's request ID, "" when there was none.
	RequestID string
	// To is the destination, masked.
	To string
}

// Error returns the message for the end user.
func (r *Rejected) Error() string {
	if r.Channel == ChannelSMS {
		return "The text message could not be sent to your phone number. Check the number or use another sign-in method."
	}
	return "The email could not be sent to your address. Check the address or use another sign-in method."
}

// Unwrap returns a trigger.Denial with the message of Error.
func (r *Rejected) Unwrap() error { return trigger.Deny(r.Error()) }

// LogValue shows the detail of the refusal in a log line.
func (r *Rejected) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("channel", string(r.Channel)),
		slog.String("service", r.Service),
		slog.String("error_code", r.Code),
		slog.String("request_id", r.RequestID),
		slog.String("to", r.To),
	)
}

// RefusedMessage is what the end user is told when a code is not sent
// because a sending rule refused it: a send limit (per user or across the
// user pool, package throttle) or the SMS country allow-list ([Blocked]).
// It is the same for every rule, so that it tells nothing of which rule
// refused the send, of the rules themselves, or of whether the account
// exists.
const RefusedMessage = "We could not send you a code just now. Please try again later, or contact support if this keeps happening."

// Blocked reports a message that the sender did not send because the
// settings do not allow its destination: a phone number outside the
// countries of SMS_ALLOWED_CALLING_CODES ([Settings].SMSCountries).
// Nothing reached the provider, and retrying will not help. Error returns
// [RefusedMessage], which does not say why; it unwraps to a
// trigger.Denial with that message, so a handler can return it as it is.
// The fields carry the detail for the log.
type Blocked struct {
	// Channel is the channel of the refused message.
	Channel Channel
	// To is the destination, masked.
	To string
	// Rule names the setting that refused it, such as
	// "SMS_ALLOWED_CALLING_CODES".
	Rule string
}

// Error returns the message for the end user, RefusedMessage.
func (b *Blocked) Error() string { return RefusedMessage }

// Unwrap returns a trigger.Denial with the message of Error.
func (b *Blocked) Unwrap() error { return trigger.Deny(RefusedMessage) }

// LogValue shows the detail of the refusal in a log line.
func (b *Blocked) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("channel", string(b.Channel)),
		slog.String("to", b.To),
		slog.String("rule", b.Rule),
	)
}

// Error reports a message that could not be sent for a reason that is not
// the destination's: throttling or a 5xx that outlasted the retries or the
// deadline budget, a network error, a missing resource such as an unknown
// configuration set. It is an internal failure, meant for the log.
type Error struct {
	// Channel is the channel of the message.
	Channel Channel
	// Op is the operation, such as "ses SendEmail".
	Op string
	// To is the destination, masked.
	To string
	// Code is the provider's error code, "" when no answer came.
	Code string
	// Status is the HTTP status of the last answer, 0 when none came.
	Status int
	// RequestID is the provider's request ID of the last answer, or "".
	RequestID string
	// Attempts is the number of attempts made.
	Attempts int
	// Budget reports whether the retries stopped because the deadline
	// budget had too little time left for another attempt.
	Budget bool
	// Err is the underlying error when it carries no provider text: a
	// context error or a transport error. It is nil for a provider's
	// answer, whose message may repeat the destination.
	Err error
}

// Error describes the failure without the body or the full destination.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s to %s failed after %d attempt", e.Op, e.To, e.Attempts)
	if e.Attempts != 1 {
		b.WriteString("s")
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s (HTTP %d", e.Code, e.Status)
		if e.RequestID != "" {
			fmt.Fprintf(&b, ", request ID %s", e.RequestID)
		}
		b.WriteString(")")
	}
	if e.Budget {
		b.WriteString("; stopped retrying because the deadline budget was nearly spent, check the provider's quotas and throttling")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }
