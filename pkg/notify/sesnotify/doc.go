// Package sesnotify sends the email of package notify through Amazon SES
// v2: its [Sender] is the notify.EmailSender of deployed
// functions. Handlers depend on that interface, and on package notify
// alone, which links no AWS SDK; this package links the SES v2 client and
// no other service's, so a function that sends only email does not pay
// for the SNS client's initialization at each cold start (package
// snsnotify sends SMS).
//
// Build the sender once at start-up and reuse it for every invocation:
// [NewFromConfig] builds the SDK client from an aws.Config (awsenv.Load in
// a Lambda function) and the notify.Settings of the function; [New] takes
// a client you built. Neither makes a network call.
//
// A send retries within the context's deadline, and fails with a
// *notify.Rejected when SES refuses the message for good (an unverified
// or suspended sender, an address SES will not send to) or a
// *notify.Error otherwise: see package awsnotify, which holds the retry
// policy and the classification that sesnotify and snsnotify share.
package sesnotify

import "errors"

// errInvalid reports a message the caller built wrong; it is a programming
// error, never the end user's.
func errInvalid(what string) error {
	return errors.New("sesnotify: " + what)
}
