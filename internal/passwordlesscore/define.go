package passwordlesscore

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Outcome is what define auth challenge tells Cognito.
type Outcome uint8

// The outcomes. The zero Outcome fails the sign-in, so a decision left
// unset is safe.
const (
	// OutcomeFail ends the sign-in without tokens.
	OutcomeFail Outcome = iota
	// OutcomeChallenge asks for another challenge.
	OutcomeChallenge
	// OutcomeIssue ends the sign-in with tokens.
	OutcomeIssue
)

// String returns "fail", "challenge" or "issue".
func (o Outcome) String() string {
	switch o {
	case OutcomeChallenge:
		return "challenge"
	case OutcomeIssue:
		return "issue"
	}
	return "fail"
}

// DefineDecision is the decision of define auth challenge.
type DefineDecision struct {
	// Outcome is the one outcome to send.
	Outcome Outcome
	// Challenge names the next challenge when Outcome is OutcomeChallenge:
	// trigger.ChallengeCustom or trigger.ChallengePasswordVerifier.
	Challenge string
	// Reason says why, for the log.
	Reason Reason
	// WrongAnswers and Resends count the sign-in's wrong answers and
	// resends so far, the last answer's included (for the log).
	WrongAnswers, Resends int
	// Err holds the detail of a ReasonBadState or
	// ReasonUnexpectedChallenge decision, for the log; it holds no secret.
	Err error
}

// Apply sets the decision's one outcome on r.
func (d DefineDecision) Apply(r *trigger.DefineAuthChallengeResponse) {
	switch d.Outcome {
	case OutcomeIssue:
		r.Issue()
	case OutcomeChallenge:
		r.Challenge(d.Challenge)
	default:
		r.Fail()
	}
}

// LogValue shows the decision in a log line.
func (d DefineDecision) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 6) // one allocation, whatever is set
	attrs = append(attrs,
		slog.String("outcome", d.Outcome.String()),
		slog.String("reason", string(d.Reason)),
		slog.Int("wrong_answers", d.WrongAnswers),
		slog.Int("resends", d.Resends),
	)
	if d.Challenge != "" {
		attrs = append(attrs, slog.String("challenge", d.Challenge))
	}
	if d.Err != nil {
		attrs = append(attrs, slog.String("detail", d.Err.Error()))
	}
	return slog.GroupValue(attrs...)
}

func fail(reason Reason, err error) DefineDecision {
	return DefineDecision{Outcome: OutcomeFail, Reason: reason, Err: err}
}

func challenge(name string, reason Reason) DefineDecision {
	return DefineDecision{Outcome: OutcomeChallenge, Challenge: name, Reason: reason}
}

// Define decides the next step of a sign-in from the session so far, the
// client's metadata and userNotFound. It never changes ev; apply the
// decision with [DefineDecision.Apply].
//
// Tokens are issued only when the last session entry is a CUSTOM_CHALLENGE
// that verify found correct, every CUSTOM_CHALLENGE entry carries a valid
// round state consistent with the ones before it, the last round is not a
// decoy, the user exists, and, with FlowConfig.RequirePassword, the session
// starts with a successful SRP_A and PASSWORD_VERIFIER. Anything
// unexpected fails the sign-in.
func (f *Flow) Define(ev *trigger.DefineAuthChallengeEvent) DefineDecision {
	req := &ev.Request
	return f.define(req.Session, req.ClientMetadata, req.UserNotFound)
}

func (f *Flow) define(session []trigger.ChallengeResult, md map[string]string, userNotFound bool) DefineDecision {
	custom := session
	if f.cfg.RequirePassword {
		// The password phase is exactly SRP_A, PASSWORD_VERIFIER, both
		// successful. Anything else (ADMIN_NO_SRP_AUTH, device or MFA
		// challenges, a custom challenge first) is refused: this flow
		// knows no other way to check a password.
		switch {
		case len(session) == 0:
			return fail(ReasonPasswordRequired, errors.New("the session is empty: with a password required, the client must start the sign-in with SRP_A"))
		case session[0].ChallengeName != trigger.ChallengeSRPA:
			return fail(ReasonUnexpectedChallenge, fmt.Errorf("session entry 1 is %s, want %s", clip(session[0].ChallengeName), trigger.ChallengeSRPA))
		case !session[0].ChallengeResult:
			return fail(ReasonPasswordFailed, nil)
		case len(session) == 1:
			return challenge(trigger.ChallengePasswordVerifier, ReasonPassword)
		case session[1].ChallengeName != trigger.ChallengePasswordVerifier:
			return fail(ReasonUnexpectedChallenge, fmt.Errorf("session entry 2 is %s, want %s", clip(session[1].ChallengeName), trigger.ChallengePasswordVerifier))
		case !session[1].ChallengeResult:
			return fail(ReasonPasswordFailed, nil)
		}
		custom = session[2:]
	}
	first := len(session) - len(custom) // index of the first custom round in session
	if len(custom) == 0 {
		return challenge(trigger.ChallengeCustom, ReasonStart)
	}

	// Walk the custom rounds: each must be a CUSTOM_CHALLENGE with a valid
	// round state that follows from the one before. An entry i>0 of kind
	// retry means answer i-1 was wrong; of kind resend, that it was a
	// request for a new code.
	var last round
	wrong := 0
	for i, e := range custom {
		pos := first + i + 1
		if e.ChallengeName != trigger.ChallengeCustom {
			return fail(ReasonUnexpectedChallenge, fmt.Errorf("session entry %d is %s, want %s", pos, clip(e.ChallengeName), trigger.ChallengeCustom))
		}
		r, err := parseRound(e.ChallengeMetadata)
		if err != nil {
			return fail(ReasonBadState, fmt.Errorf("session entry %d: %w", pos, err))
		}
		if err := r.follows(last, i == 0); err != nil {
			return fail(ReasonBadState, fmt.Errorf("session entry %d: %w", pos, err))
		}
		if i < len(custom)-1 && e.ChallengeResult {
			return fail(ReasonBadState, fmt.Errorf("session entry %d: a correct answer that did not end the sign-in", pos))
		}
		if r.kind == kindRetry {
			wrong++
		}
		last = r
	}

	resends := last.resends
	end := custom[len(custom)-1]
	resend := resendRequested(md)
	if end.ChallengeResult {
		switch {
		case resend:
			return fail(ReasonBadState, errors.New("a resend request was found correct; verify must refuse every resend"))
		case userNotFound:
			return fail(ReasonUserNotFound, nil)
		case last.decoy:
			return fail(ReasonNoDestination, nil)
		}
		// Even a correct answer gets no tokens after a history beyond the
		// limits (possible only when they were lowered since it began).
		if d, over := f.overLimits(wrong, resends, len(custom)); over {
			return d
		}
		return DefineDecision{Outcome: OutcomeIssue, Reason: ReasonCorrect, WrongAnswers: wrong, Resends: resends}
	}

	d := challenge(trigger.ChallengeCustom, ReasonWrongAnswer)
	if resend {
		resends++
		d.Reason = ReasonResend
	} else {
		wrong++
	}
	if fd, over := f.overLimits(wrong, resends, len(custom)+1); over {
		d = fd
	}
	d.WrongAnswers, d.Resends = wrong, resends
	return d
}

// overLimits returns a failing decision when a sign-in with wrong answers,
// resends and rounds is beyond the limits. Both limits hold whichever the
// last answer was, since the configuration may have been lowered since
// the earlier rounds. The bound on rounds is implied by the other two when
// the round states add up (at most MaxAttempts-1 wrong answers and
// MaxResends resends, one round each after the first); it is kept as a
// bound on the guesses that does not depend on them.
func (f *Flow) overLimits(wrong, resends, rounds int) (DefineDecision, bool) {
	switch {
	case resends > f.cfg.MaxResends:
		return fail(ReasonTooManyResends, nil), true
	case wrong >= f.cfg.MaxAttempts:
		return fail(ReasonTooManyAttempts, nil), true
	case rounds > f.cfg.MaxAttempts+f.cfg.MaxResends:
		return fail(ReasonTooManyRounds, fmt.Errorf("%d rounds, more than the limits allow", rounds)), true
	}
	return DefineDecision{}, false
}

// follows checks that r may follow prev, the round state of the session
// entry before it (none when first). The counters define relies on must
// add up: a first round is new, later ones are retries or resends, and
// only a resend adds to the resend count. A sign-in's rounds are all
// decoys or none. A channel changes only on a resend.
func (r round) follows(prev round, first bool) error {
	if first {
		if r.kind != kindNew {
			return fmt.Errorf("the first round is of kind %s, want new", r.kind)
		}
		return nil
	}
	switch {
	case r.kind == kindNew:
		return errors.New("a new round after the first")
	case r.kind == kindRetry && r.resends != prev.resends:
		return errors.New("a retry round changes the resend count")
	case r.kind == kindResend && r.resends != prev.resends+1:
		return errors.New("a resend round does not add one resend")
	case r.decoy != prev.decoy:
		return errors.New("a round changes between decoy and live")
	case r.kind == kindRetry && r.channel != prev.channel:
		return errors.New("a retry round changes the channel")
	}
	return nil
}

// clip shortens a challenge name from the session for an error message.
func clip(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("%q", s)
}
