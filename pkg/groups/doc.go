// Package groups puts every newly confirmed user of a user pool into a
// default group, from a post confirmation trigger.
//
// [Handler] adds the user named by a PostConfirmation_ConfirmSignUp event
// to the group [Config] names, with AdminAddUserToGroup through the small
// [CognitoAPI] interface, which the SDK's *cognitoidentityprovider.Client
// implements. PostConfirmation_ConfirmForgotPassword events, which
// confirm a password reset rather than a new user, pass through without a
// call. The call is idempotent: a retried invocation, or a user already
// in the group, gives the same answer.
//
// A group that does not exist is a configuration error: the log line
// names the group and the pool, and the user sees Cognito's generic
// internal error. [FromEnv] builds the function of
// triggers/postconfirmation from DEFAULT_GROUP, and refuses to start
// without it. See docs/postconfirmation.md.
package groups
