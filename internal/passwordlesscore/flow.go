package passwordlesscore

import (
	"fmt"
	"slices"
	"time"
)

// Client metadata a client sends with RespondToAuthChallenge. A client
// asks for a new code by answering the challenge (with any ANSWER) with
// ClientMetadata {"action": "resend"}, optionally with "channel": "email"
// or "sms" to switch channels.
const (
	// MetadataAction is the client metadata key of a request.
	MetadataAction = "action"
	// ActionResend is the value of MetadataAction that asks for a new
	// code. It is compared exactly.
	ActionResend = "resend"
	// MetadataChannel is the client metadata key of the channel a resend
	// asks for: "email" or "sms".
	MetadataChannel = "channel"
)

// Public challenge parameters: what create tells the client. They are a
// public contract with client apps.
const (
	// ParamChannel is the channel of the code: "email" or "sms".
	ParamChannel = "channel"
	// ParamDestination is the masked address or number the code went to,
	// such as "j***@e***.com" or "+*********23".
	ParamDestination = "destination"
	// ParamCodeLength is the number of digits of the code, in decimal.
	ParamCodeLength = "codeLength"
)

// paramRound is the private challenge parameter that carries the round
// state to verify.
const paramRound = "round"

// Flow makes the decisions of the three custom-auth triggers under one
// [FlowConfig]. Its methods are pure functions of the event and the clock: they
// read the event, never change it, and return a decision that the caller
// applies to the event's response. A Flow is safe for concurrent use.
type Flow struct {
	cfg FlowConfig
	now func() time.Time
}

// New returns the Flow of cfg, or an error naming each field of cfg that
// is out of range. New keeps copies of cfg's slices.
func New(cfg FlowConfig) (*Flow, error) {
	if err := cfg.Check(); err != nil {
		// "authflow: " is the prefix of the flow's errors since it was
		// package authflow; logs and alerts may match on it.
		return nil, fmt.Errorf("authflow: %w", err)
	}
	cfg.DecoyKey = slices.Clone(cfg.DecoyKey)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Flow{cfg: cfg, now: now}, nil
}

// Config returns the configuration of the flow.
func (f *Flow) Config() FlowConfig {
	c := f.cfg
	c.DecoyKey = slices.Clone(c.DecoyKey)
	return c
}

// Reason says why a trigger decided what it did. It is written for logs,
// never shown to the end user, and never holds a secret.
type Reason string

// The reasons of the decisions.
const (
	// ReasonStart: define starts the first CUSTOM_CHALLENGE; create draws
	// the first code.
	ReasonStart Reason = "start"
	// ReasonPassword: define asks for PASSWORD_VERIFIER after SRP_A.
	ReasonPassword Reason = "password"
	// ReasonCorrect: the answer is the current code or token; define
	// issues tokens.
	ReasonCorrect Reason = "correct"
	// ReasonWrongAnswer: the answer is wrong; define starts another round,
	// in which create reuses the code.
	ReasonWrongAnswer Reason = "wrong_answer"
	// ReasonResend: the client asked for a new code; define starts another
	// round, in which create draws and sends one.
	ReasonResend Reason = "resend"
	// ReasonReuse: create reuses the code of the previous round.
	ReasonReuse Reason = "reuse"
	// ReasonExpired: the code has expired; verify refuses it, and create
	// draws and sends a new one.
	ReasonExpired Reason = "expired"
	// ReasonTooManyAttempts: define fails the sign-in after
	// FlowConfig.MaxAttempts wrong answers.
	ReasonTooManyAttempts Reason = "too_many_attempts"
	// ReasonTooManyResends: define fails the sign-in when the client asks
	// for more than FlowConfig.MaxResends new codes.
	ReasonTooManyResends Reason = "too_many_resends"
	// ReasonTooManyRounds: define fails a session with more rounds than
	// the limits allow, whatever its round states say.
	ReasonTooManyRounds Reason = "too_many_rounds"
	// ReasonUnexpectedChallenge: the session holds a challenge this flow
	// does not allow; define fails the sign-in.
	ReasonUnexpectedChallenge Reason = "unexpected_challenge"
	// ReasonPasswordRequired: FlowConfig.RequirePassword is set but the
	// client did not start with SRP_A; define fails the sign-in.
	ReasonPasswordRequired Reason = "password_required"
	// ReasonPasswordFailed: a password step failed; define fails the
	// sign-in.
	ReasonPasswordFailed Reason = "password_failed"
	// ReasonBadState: a round state is missing, unparsable or inconsistent
	// with the session; define fails the sign-in and verify refuses the
	// answer. The decision's Err says what is wrong.
	ReasonBadState Reason = "bad_round_state"
	// ReasonUserNotFound: the user does not exist (userNotFound); the
	// sign-in can never succeed.
	ReasonUserNotFound Reason = "user_not_found"
	// ReasonNoDestination: the user has no email or phone number that the
	// configuration allows; create shows a decoy and sends nothing, and
	// the sign-in can never succeed.
	ReasonNoDestination Reason = "no_destination"
)

// resendRequested reports whether the client metadata asks for a new code.
func resendRequested(md map[string]string) bool {
	return md[MetadataAction] == ActionResend
}
