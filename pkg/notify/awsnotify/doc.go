// Package awsnotify sends the messages of package notify through AWS: an
// email through Amazon SES v2 ([SES]), an SMS through Amazon SNS ([SNS]).
// Both are the notify.EmailSender and notify.SMSSender of deployed
// functions; handlers depend on those interfaces, and on package notify
// alone, which links no AWS SDK.
//
// Build each sender once at start-up and reuse it for every invocation:
// [NewSESFromConfig] and [NewSNSFromConfig] build the SDK client from an
// aws.Config (awsenv.Load in a Lambda function) and the notify.Settings of
// the function; [NewSES] and [NewSNS] take a client you built. None makes
// a network call.
//
// # Retries within the budget
//
// A send is one SDK call that retries throttling, 5xx and connection errors
// (the SDK's own list, plus SNS's "Throttled"). The senders install their
// own retryer on every call, whatever the client was built with, because
// the SDK's default one can sleep for seconds between attempts while
// Cognito gives a trigger 5 in all. The retryer backs off briefly (up to
// half a second, with jitter) and asks for another attempt only while the
// context's deadline (the trigger's budget) leaves enough time for it: it
// stops with a clear error before the deadline instead of letting Cognito
// time out. Without a deadline only the attempt limit stops it. The retry
// quota (the SDK's token bucket) is kept per sender, so a process that meets
// a long outage stops retrying early.
//
// # Countries
//
// An SNS sender sends only to the phone numbers of its countries
// ([WithCountries]; NewSNSFromConfig passes notify.Settings.SMSCountries,
// read from SMS_ALLOWED_CALLING_CODES and SMS_ALLOW_ALL_COUNTRIES). Any
// other number is refused before SNS is called, with a *notify.Blocked
// (a generic denial, notify.RefusedMessage, for the end user; the masked
// number in the log at warn level). Without countries it sends no SMS at
// all: the safe default against SMS pumping fraud.
//
// # Kinds of failure
//
// A message that SES or SNS refuses for good (an unverified or suspended
// sender, a number that opted out or is outside the SMS sandbox, a malformed
// number, a missing permission) fails with a *notify.Rejected, whose Error
// is a short, generic message for the end user; the detail (service, error
// code, request ID and the masked destination) is written to the log, at
// warn level, through trigger.Logger. Anything else (throttling that
// outlasted the budget, a 5xx, a network error, a spent deadline) is a
// *notify.Error, an internal failure. Neither holds the message's body,
// the full destination, or the provider's free-text error message.
//
// # Binary size
//
// A sender keeps the one method of the SDK client it calls (SendEmail,
// Publish), not the client. A program that runs templates (text/template,
// html/template) makes the Go linker keep every exported method of every
// type that may reach an interface value, because a template can call
// methods by name; a sender, stored as a notify.EmailSender, would then
// carry the client's whole API: about 2.2 MB for SES v2 and SNS together.
package awsnotify

import "errors"

// errInvalid reports a message the caller built wrong; it is a programming
// error, never the end user's.
func errInvalid(what string) error {
	return errors.New("awsnotify: " + what)
}
