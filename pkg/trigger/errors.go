package trigger

import (
	"errors"
	"strings"
)

// Denial is an error whose message is written for the end user. Cognito
// shows it to them, after a prefix of its own ("PreSignUp failed with error
// <message>."). Keep it short and free of internals, codes and other users'
// data.
type Denial struct {
	message string
}

// Deny returns a [Denial] with the given message for the end user. A
// handler returns it (it may be wrapped) to refuse an operation.
func Deny(message string) error {
	message = strings.TrimSpace(message)
	if message == "" {
		message = "The request was refused."
	}
	return &Denial{message: message}
}

// Error returns the message meant for the end user.
func (d *Denial) Error() string { return d.message }

// InternalError is what the end user sees in place of any error that is not
// a [Denial]: a generic message with the Lambda request ID, which finds the
// detailed log line. Its detail stays in the log.
type InternalError struct {
	// RequestID is the Lambda request ID of the failed invocation.
	RequestID string
}

// Error returns the generic message.
func (e *InternalError) Error() string {
	if e.RequestID == "" {
		return "internal error, please try again later"
	}
	return "internal error, please try again later (reference " + e.RequestID + ")"
}

// InvalidEventError reports a payload that is not a well-formed event for
// the handler: bad JSON, a missing request, a wrong field type, or a
// triggerSource of another trigger. Its message names what is wrong and
// never repeats the payload's values.
type InvalidEventError struct {
	// Kind is the trigger the handler serves ("" for a router).
	Kind Kind
	// Reason says what is wrong with the event.
	Reason string
}

// Error describes the problem.
func (e *InvalidEventError) Error() string {
	if e.Kind == "" {
		return "invalid trigger event: " + e.Reason
	}
	return "invalid " + string(e.Kind) + " event: " + e.Reason
}

// publicError turns err into what the end user may see: the Denial's own
// message, the InvalidEventError as it is, or an InternalError.
func publicError(err error, requestID string) error {
	if d, ok := errors.AsType[*Denial](err); ok {
		return d
	}
	if ie, ok := errors.AsType[*InvalidEventError](err); ok {
		return ie
	}
	return &InternalError{RequestID: requestID}
}

// panicError marks an internal error that was a recovered panic.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return "handler panicked" }
