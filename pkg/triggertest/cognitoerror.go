package triggertest

import "github.com/cognitrig/cognitrig/pkg/trigger"

// Exception is the name of an error the Cognito API returns to the client
// (the SDK's error code). Use one as the target of errors.Is to test the
// exception of a [*CognitoError]:
//
//	if errors.Is(err, triggertest.NotAuthorizedException) { … }
type Exception string

// The exceptions the simulator reproduces.
const (
	// NotAuthorizedException: the sign-in failed (define failed it, or
	// create returned no private challenge parameters), or the session is
	// expired or no longer valid.
	NotAuthorizedException Exception = "NotAuthorizedException"
	// UserLambdaValidationException: a trigger returned an error.
	UserLambdaValidationException Exception = "UserLambdaValidationException"
	// InvalidLambdaResponseException: a trigger returned something Cognito
	// cannot use.
	InvalidLambdaResponseException Exception = "InvalidLambdaResponseException"
	// UnexpectedLambdaException: a trigger did not answer in time.
	UnexpectedLambdaException Exception = "UnexpectedLambdaException"
)

// Error returns the exception's name.
func (e Exception) Error() string { return string(e) }

// CognitoError is an error of the Cognito API, as the client receives it,
// with the simulator's explanation of its cause.
type CognitoError struct {
	// Exception is the error's name, such as NotAuthorizedException.
	Exception Exception
	// Message is the message Cognito returns with it, such as "Incorrect
	// username or password.". For UserLambdaValidationException it carries
	// the trigger's error message, as Cognito shows it to the end user.
	Message string
	// Trigger is the trigger that caused the error, or "" when none did
	// (an expired or ended session).
	Trigger trigger.Kind
	// Reason says what the simulator saw, for the test's eyes; the client
	// does not receive it. It never repeats the values of an event.
	Reason string
}

// Error returns the exception, its message and, in parentheses, the
// simulator's reason.
func (e *CognitoError) Error() string {
	s := string(e.Exception) + ": " + e.Message
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Is reports whether target is the [Exception] of e, so that
// errors.Is(err, NotAuthorizedException) holds for a NotAuthorizedException.
func (e *CognitoError) Is(target error) bool {
	x, ok := target.(Exception)
	return ok && x == e.Exception
}

// invalidOutput is Cognito's answer to a trigger output it cannot use.
func invalidOutput(k trigger.Kind, reason string) *CognitoError {
	return &CognitoError{
		Exception: InvalidLambdaResponseException,
		Message:   "Unrecognizable lambda output",
		Trigger:   k,
		Reason:    reason,
	}
}
