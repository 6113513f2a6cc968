// Package notify delivers one message, an email through Amazon SES v2 or an
// SMS through Amazon SNS, for triggers that send codes or links themselves.
//
// # Interfaces
//
// Handlers depend on two small interfaces, [EmailSender] and [SMSSender],
// which take an [Email] or an [SMS] and return an error. Unit tests pass a
// fake; main passes [NewSES] or [NewSNS], which wrap the real aws-sdk-go-v2
// clients. Build each client once at start-up (awsenv.Load,
// sesv2.NewFromConfig, sns.NewFromConfig) and reuse it for every
// invocation: the constructors make no network calls.
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
// # Two kinds of failure
//
// A message that SES or SNS refuses for good (an unverified or suspended
// sender, a number that opted out or is outside the SMS sandbox, a malformed
// number, a missing permission) fails with a [*Rejected]. Its Error is a
// short, generic message for the end user, and it unwraps to a
// trigger.Denial, so a handler that returns it fails the request with that
// message. The detail (service, error code, request ID and the masked
// destination) is written to the log, at warn level, through
// trigger.Logger, and is available from Rejected's fields and LogValue.
//
// Anything else (throttling that outlasted the budget, a 5xx, a network
// error, a spent deadline) is a [*Error]: an internal failure whose text
// names the operation, the error code and the masked destination, for the
// log. The end user then sees the framework's generic internal error.
//
// Neither kind ever holds the message's body, which carries a one-time code,
// nor the full destination, nor the provider's free-text error message
// (which may repeat the destination).
package notify
