// Package passwordless is the passwordless sign-in of a user pool, ready to
// deploy: the define, create and verify auth challenge functions that send
// a one-time code by email (Amazon SES v2) or SMS (Amazon SNS), optionally
// with a magic link, optionally after the password. It is the one package
// to import for it.
//
// # Building the functions
//
// [DefineFromEnv], [CreateFromEnv] and [VerifyFromEnv] build the three
// functions from their environment, as triggers/defineauth,
// triggers/createauth and triggers/verifyauth do, and let a program embed
// them, wrap them with its own middleware, or test them in-process. They
// take the same options (fromenv.Option, so that one list serves the
// three): fromenv.WithTriggerOptions and [WithClock] for all three; for
// create, which sends, awsenv.WithConfig and the options of [New]
// ([WithEmail], [WithSMS], [WithLimiter], [WithPoolLimiter],
// [WithMessages], [WithDecoyDelay]), which define and verify ignore. They
// refuse the options of other packages. [New] builds the
// three handlers ([Auth]) from a [Config] instead, and [AWSOptions] the
// SES and SNS senders and the DynamoDB limiters a Config asks for.
//
// # Configuration
//
// The three functions of one user pool share one [Config], read from the
// environment and checked by [ConfigFromEnv]; the Env constants name the
// variables, and docs/passwordless.md describes each. Every function
// checks the whole configuration at start-up, so that a wrong value stops
// each of them with the same message naming the variable, whichever
// function a deployment starts first; create checks what it needs besides
// (Config.CheckCreate). The policy of the sign-in, [FlowConfig], is its
// Flow field: code length and life, attempts, resends, [Channel], password
// first, magic links and the decoy key.
//
// # What create adds to the decisions
//
// The decisions (rounds, attempts, resends, expiry, unknown users) are
// pure functions of the event and the clock. Create adds what a deployed
// function needs around them:
//
//   - the message, written from the SignIn templates of package message in
//     the user's language (the locale attribute), with the magic link in
//     emails when MAGIC_LINK_URL is set;
//   - delivery through the senders of package notify (packages sesnotify
//     and snsnotify for SES and SNS), with retries inside the trigger's budget, and a
//     clear, generic failure for the end user when SES or SNS refuses the
//     destination;
//   - send limits, on unless the configuration turns them off explicitly
//     (ALLOW_UNLIMITED_SENDS=true): per user (a Limiter) and across the
//     user pool (a PoolLimiter), both the DynamoDB throttle.Table of
//     SEND_THROTTLE_TABLE, asked before every new code; and SMS only to
//     the countries of SMS_ALLOWED_CALLING_CODES, a number outside them
//     being no destination. Every refused send shows the end user the
//     same neutral message, notify.RefusedMessage;
//   - for unknown users, whose rounds send nothing, a pause about as long
//     as a real send takes (measured by the process), so that the time a
//     call takes does not tell whether the user exists.
//
// # Size of the shipped functions
//
// The configuration, the decisions and the define and verify builders
// live in an SDK-free core inside this module (internal/passwordlesscore),
// which this package exposes: [Config], [FlowConfig], [Channel] and
// [SendLimit] are its types. triggers/defineauth and triggers/verifyauth,
// which only decide, are built from that core directly: they check the
// same variables, but link neither the AWS SDK nor the templates, which
// keeps them at about half create's size and their cold start a few
// milliseconds shorter. A program that imports this package links the SDK
// whichever function it builds.
//
// See docs/passwordless.md for the client side: InitiateAuth,
// RespondToAuthChallenge, resends ([MetadataAction], [ActionResend]) and
// the magic link.
package passwordless
