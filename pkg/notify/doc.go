// Package notify is what a trigger needs to send one message itself: the
// message types ([Email], [SMS]), the two small interfaces that deliver
// them ([EmailSender], [SMSSender]), the two kinds of failure a delivery
// returns ([Rejected], [Error]), and the settings every sending trigger
// reads from its environment ([Settings], [SettingsFromEnv]).
//
// It links no AWS SDK, so that a function that only reads or checks these
// settings stays small. The senders of deployed functions, through Amazon
// SES v2 and Amazon SNS, are in package
// github.com/cognitrig/cognitrig/pkg/notify/awsnotify; unit tests pass a
// fake.
//
// # Two kinds of failure
//
// A message that the provider refuses for good (an unverified or suspended
// sender, a number that opted out or is outside the SMS sandbox, a malformed
// number, a missing permission) fails with a [*Rejected]. Its Error is a
// short, generic message for the end user, and it unwraps to a
// trigger.Denial, so a handler that returns it fails the request with that
// message. The detail (service, error code, request ID and the masked
// destination) is written to the log by the sender, and is available from
// Rejected's fields and LogValue.
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
