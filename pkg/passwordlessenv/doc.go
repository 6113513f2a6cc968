// Package passwordlessenv is the configuration that the three passwordless
// sign-in functions (triggers/defineauth, triggers/createauth and
// triggers/verifyauth) share, read from their environment and checked
// ([ConfigFromEnv]), and the two of them that need nothing more: define
// and verify, which only decide ([DefineFromEnv], [VerifyFromEnv]).
//
// Every function checks the whole configuration at start-up, so that a
// wrong value stops each of them with the same message naming the
// variable, whichever function a deployment starts first. Only create
// sends, so only it needs a sender and an app name ([Config.CheckCreate]);
// it is built by package passwordless, which adds the message templates
// and the AWS SDK clients.
//
// This package links neither the AWS SDK nor the templates (text/template,
// html/template): define and verify stay about as small as an
// aws-lambda-go function, and start as fast. A test keeps it so.
package passwordlessenv
