// Package notify is what a trigger needs to send one message itself: the
// message types ([Email], [SMS]), the two small interfaces that deliver
// them ([EmailSender], [SMSSender]), the kinds of failure a delivery
// returns ([Rejected], [Blocked], [Error]), and the settings every sending
// trigger reads from its environment ([Settings], [SettingsFromEnv]),
// among them the countries SMS may go to ([SMSCountries]).
//
// It links no AWS SDK, so that a function that only reads or checks these
// settings stays small. The senders of deployed functions are in packages
// github.com/cognitrig/cognitrig/pkg/notify/sesnotify (email through
// Amazon SES v2) and .../notify/snsnotify (SMS through Amazon SNS), apart
// so that a function links only the client it calls; what they share is
// in .../notify/awsnotify. Unit tests pass a fake.
//
// # Three kinds of failure
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
// A message that the settings forbid (an SMS to a country outside
// SMS_ALLOWED_CALLING_CODES) is refused by the sender before any call to
// the provider, with a [*Blocked]. It too unwraps to a trigger.Denial;
// its message is [RefusedMessage], the same neutral words as a refusal by
// a send limit, so that the end user learns nothing of the rule.
//
// Anything else (throttling that outlasted the budget, a 5xx, a network
// error, a spent deadline) is a [*Error]: an internal failure whose text
// names the operation, the error code and the masked destination, for the
// log. The end user then sees the framework's generic internal error.
//
// None of them ever holds the message's body, which carries a one-time
// code, nor the full destination, nor the provider's free-text error
// message (which may repeat the destination).
//
// # Countries
//
// SMS costs money per message, and SMS pumping fraud triggers codes to
// premium-rate numbers under many usernames. Settings.SMSCountries is an
// allow-list of country calling codes (SMS_ALLOWED_CALLING_CODES, such as
// 1,44,33; [ParseCallingCodes]), or every country
// (SMS_ALLOW_ALL_COUNTRIES=true, an explicit choice). With neither set,
// no SMS goes anywhere, and a trigger whose only channel is SMS refuses
// to start ([Settings.CheckSMS]). Setting both is refused as a
// contradiction.
package notify
