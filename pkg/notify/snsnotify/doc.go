// Package snsnotify sends the text messages of package notify through
// Amazon SNS: its [Sender] is the notify.SMSSender of deployed functions.
// Handlers depend on that interface, and on package notify alone, which
// links no AWS SDK; this package links the SNS client and no other
// service's, so a function that sends only SMS does not pay for the SES
// client's initialization at each cold start (package sesnotify sends
// email).
//
// Build the sender once at start-up and reuse it for every invocation:
// [NewFromConfig] builds the SDK client from an aws.Config (awsenv.Load in
// a Lambda function) and the notify.Settings of the function; [New] takes
// a client you built. Neither makes a network call.
//
// # Countries
//
// A sender sends only to the phone numbers of its countries
// ([WithCountries]; NewFromConfig passes notify.Settings.SMSCountries,
// read from SMS_ALLOWED_CALLING_CODES and SMS_ALLOW_ALL_COUNTRIES). Any
// other number is refused before SNS is called, with a *notify.Blocked
// (a generic denial, notify.RefusedMessage, for the end user; the masked
// number in the log at warn level). Without countries it sends no SMS at
// all: the safe default against SMS pumping fraud.
//
// # Failures
//
// A send retries within the context's deadline, and fails with a
// *notify.Rejected when SNS refuses the message for good (a number that
// opted out or is outside the SMS sandbox, a malformed number, a missing
// permission) or a *notify.Error otherwise: see package awsnotify, which
// holds the retry policy and the classification that sesnotify and
// snsnotify share.
package snsnotify

import "errors"

// errInvalid reports a message the caller built wrong; it is a programming
// error, never the end user's.
func errInvalid(what string) error {
	return errors.New("snsnotify: " + what)
}
