package passwordlesscore

import (
	"log/slog"

	"github.com/cognitrig/cognitrig/pkg/otp"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// VerifyDecision is the verdict of verify auth challenge response.
type VerifyDecision struct {
	// Correct reports whether the answer is correct.
	Correct bool
	// Reason is ReasonCorrect, ReasonWrongAnswer, ReasonExpired,
	// ReasonResend, ReasonUserNotFound, ReasonNoDestination or
	// ReasonBadState.
	Reason Reason
	// Err holds the detail of a ReasonBadState verdict, for the log; it
	// holds no secret.
	Err error
}

// Apply sets the verdict on r.
func (d VerifyDecision) Apply(r *trigger.VerifyAuthChallengeResponse) {
	r.SetAnswerCorrect(d.Correct)
}

// LogValue shows the verdict in a log line.
func (d VerifyDecision) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 3) // one allocation, whatever is set
	attrs = append(attrs, slog.Bool("correct", d.Correct), slog.String("reason", string(d.Reason)))
	if d.Err != nil {
		attrs = append(attrs, slog.String("detail", d.Err.Error()))
	}
	return slog.GroupValue(attrs...)
}

// Verify judges the client's answer to the current round. It never
// changes ev; apply the verdict with [VerifyDecision.Apply].
//
// The answer is correct only when the round state in the private challenge
// parameters reads, the round is no decoy, the user exists, the client did
// not ask for a resend, and the answer, trimmed of white space, is the
// round's code, or its token with FlowConfig.MagicLink, within FlowConfig.TTL of
// the time of issue. The comparison runs in constant time, and runs even
// when the verdict is already known, so that the time taken tells nothing.
func (f *Flow) Verify(ev *trigger.VerifyAuthChallengeEvent) VerifyDecision {
	req := &ev.Request
	r, err := parseRound(req.PrivateChallengeParameters[paramRound])
	if err != nil {
		return VerifyDecision{Reason: ReasonBadState, Err: err}
	}
	result := r.secret(f.cfg.MagicLink).Check(req.ChallengeAnswer, f.now(), f.cfg.TTL)
	switch {
	case req.UserNotFound:
		return VerifyDecision{Reason: ReasonUserNotFound}
	case r.decoy:
		return VerifyDecision{Reason: ReasonNoDestination}
	case resendRequested(req.ClientMetadata):
		return VerifyDecision{Reason: ReasonResend}
	case result == otp.ResultExpired:
		return VerifyDecision{Reason: ReasonExpired}
	case result != otp.ResultCorrect:
		return VerifyDecision{Reason: ReasonWrongAnswer}
	}
	return VerifyDecision{Correct: true, Reason: ReasonCorrect}
}
