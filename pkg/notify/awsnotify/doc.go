// Package awsnotify holds what the AWS senders of package notify share:
// the retry policy ([Retry], [Retryer]) that keeps a send within the
// trigger's deadline budget, and the classification of a failed call
// ([Call.Classify]) into a *notify.Rejected or a *notify.Error. The
// senders themselves are in package sesnotify (email through Amazon SES
// v2) and package snsnotify (SMS through Amazon SNS). This package links
// neither service's client, and neither sender package links the other's:
// every imported package runs its initialization at each cold start,
// whether the function calls it or not, so a function links only the
// client of the channel it sends on.
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
// # Kinds of failure
//
// A message that the service refuses for good (an unverified or suspended
// sender, a number that opted out or is outside the SMS sandbox, a malformed
// number, a missing permission: the codes of [Service.Rejections]) fails
// with a *notify.Rejected, whose Error is a short, generic message for the
// end user; the detail (service, error code, request ID and the masked
// destination) is written to the log, at warn level, through
// trigger.Logger. Anything else (throttling that outlasted the budget, a
// 5xx, a network error, a spent deadline) is a *notify.Error, an internal
// failure. Neither holds the message's body, the full destination, or the
// provider's free-text error message.
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
