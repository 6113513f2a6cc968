// Package passwordless is the passwordless sign-in of a user pool, ready to
// deploy: the define, create and verify auth challenge handlers that send
// a one-time code by email (Amazon SES v2) or SMS (Amazon SNS), optionally
// with a magic link, optionally after the password.
//
// The decisions (rounds, attempts, resends, expiry, unknown users) are
// package authflow's; this package adds what a deployed function needs
// around them:
//
//   - its configuration from the environment (ConfigFromEnv, package
//     passwordlessenv's), which the three functions share and which the
//     CDK construct sets;
//   - the message, written from the SignIn templates of package message in
//     the user's language (the locale attribute), with the magic link in
//     emails when MAGIC_LINK_URL is set;
//   - delivery through the senders of package notify (package awsnotify's
//     for SES and SNS), with retries inside the trigger's budget, and a
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
// triggers/createauth is a thin main over CreateFromEnv (New and
// AWSOptions). The configuration the three functions share is package
// passwordlessenv's (Config and ConfigFromEnv here are its own, repeated),
// and triggers/defineauth and triggers/verifyauth, which only decide, are
// built there (passwordlessenv.DefineFromEnv, VerifyFromEnv): they check
// the same variables, but link neither the AWS SDK nor the templates,
// which keeps them at about half create's size and their cold start a
// few milliseconds shorter. See docs/passwordless.md for the client side:
// InitiateAuth, RespondToAuthChallenge, resends and the magic link.
package passwordless
