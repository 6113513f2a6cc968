package passwordlesscore

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

type session = []trigger.ChallengeResult

func TestDefinePasswordless(t *testing.T) {
	// Default configuration: 3 wrong answers, 2 resends.
	tests := []struct {
		name         string
		session      session
		md           map[string]string
		userNotFound bool
		want         Outcome
		reason       Reason
		wrong        int
		resends      int
	}{
		{name: "empty session starts a custom challenge",
			session: session{}, want: OutcomeChallenge, reason: ReasonStart},
		{name: "nil session starts a custom challenge",
			want: OutcomeChallenge, reason: ReasonStart},
		{name: "correct first answer issues tokens",
			session: session{custom(true, state(kindNew, 0))}, want: OutcomeIssue, reason: ReasonCorrect},
		{name: "wrong answer starts another round",
			session: session{custom(false, state(kindNew, 0))}, want: OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 1},
		{name: "second wrong answer starts another round",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0))},
			want:    OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 2},
		{name: "third wrong answer fails",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(false, state(kindRetry, 0))},
			want:    OutcomeFail, reason: ReasonTooManyAttempts},
		{name: "correct after two wrong answers issues tokens",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(true, state(kindRetry, 0))},
			want:    OutcomeIssue, reason: ReasonCorrect, wrong: 2},
		{name: "resend starts another round without a wrong answer",
			session: session{custom(false, state(kindNew, 0))}, md: resendMetadata,
			want: OutcomeChallenge, reason: ReasonResend, resends: 1},
		{name: "resend with a channel is a resend",
			session: session{custom(false, state(kindNew, 0))}, md: map[string]string{"action": "resend", "channel": "sms"},
			want: OutcomeChallenge, reason: ReasonResend, resends: 1},
		{name: "second resend is allowed",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1))}, md: resendMetadata,
			want: OutcomeChallenge, reason: ReasonResend, resends: 2},
		{name: "third resend fails",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1)), custom(false, state(kindResend, 2))}, md: resendMetadata,
			want: OutcomeFail, reason: ReasonTooManyResends},
		{name: "resends are not wrong answers",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1)), custom(false, state(kindResend, 2)), custom(false, state(kindRetry, 2))},
			want:    OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 2, resends: 2},
		{name: "wrong answers between resends count",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1)), custom(false, state(kindRetry, 1)), custom(false, state(kindResend, 2))},
			want:    OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 2, resends: 2},
		{name: "wrong answers around a resend add up",
			session: session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(false, state(kindResend, 1)), custom(false, state(kindRetry, 1))},
			want:    OutcomeFail, reason: ReasonTooManyAttempts},
		{name: "correct after a resend issues tokens",
			session: session{custom(false, state(kindNew, 0)), custom(true, state(kindResend, 1))},
			want:    OutcomeIssue, reason: ReasonCorrect, resends: 1},
		{name: "other actions are answers",
			session: session{custom(false, state(kindNew, 0))}, md: map[string]string{"action": "Resend"},
			want: OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 1},
		{name: "a correct resend is refused",
			session: session{custom(true, state(kindNew, 0))}, md: resendMetadata,
			want: OutcomeFail, reason: ReasonBadState},

		{name: "unknown user starts like a real one",
			session: session{}, userNotFound: true, want: OutcomeChallenge, reason: ReasonStart},
		{name: "unknown user's wrong answer starts another round",
			session: session{custom(false, decoyState(kindNew, 0))}, userNotFound: true,
			want: OutcomeChallenge, reason: ReasonWrongAnswer, wrong: 1},
		{name: "unknown user's resend starts another round",
			session: session{custom(false, decoyState(kindNew, 0))}, md: resendMetadata, userNotFound: true,
			want: OutcomeChallenge, reason: ReasonResend, resends: 1},
		{name: "unknown user is locked out like a real one",
			session: session{custom(false, decoyState(kindNew, 0)), custom(false, decoyState(kindRetry, 0)), custom(false, decoyState(kindRetry, 0))}, userNotFound: true,
			want: OutcomeFail, reason: ReasonTooManyAttempts},
		{name: "unknown user never gets tokens",
			session: session{custom(true, decoyState(kindNew, 0))}, userNotFound: true,
			want: OutcomeFail, reason: ReasonUserNotFound},
		{name: "unknown user never gets tokens, even with a live round",
			session: session{custom(true, state(kindNew, 0))}, userNotFound: true,
			want: OutcomeFail, reason: ReasonUserNotFound},
		{name: "decoy round never gets tokens",
			session: session{custom(true, decoyState(kindNew, 0))},
			want:    OutcomeFail, reason: ReasonNoDestination},

		{name: "password step without RequirePassword fails",
			session: session{srpA, pv}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
		{name: "SRP_A without RequirePassword fails",
			session: session{srpA}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
		{name: "custom challenge after a password step fails",
			session: session{srpA, pv, custom(true, state(kindNew, 0))}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
		{name: "MFA after the code fails",
			session: session{custom(false, state(kindNew, 0)), entry("SMS_MFA", true, "")}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
		{name: "empty challenge name fails",
			session: session{entry("", true, state(kindNew, 0))}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
		{name: "lower-case challenge name fails",
			session: session{entry("custom_challenge", true, state(kindNew, 0))}, want: OutcomeFail, reason: ReasonUnexpectedChallenge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, nil)
			ev := &trigger.DefineAuthChallengeEvent{}
			ev.Request.Session, ev.Request.ClientMetadata, ev.Request.UserNotFound = tt.session, tt.md, tt.userNotFound
			d := f.Define(ev)
			if d.Outcome != tt.want || d.Reason != tt.reason {
				t.Fatalf("got %v (%s, %v), want %v (%s)", d.Outcome, d.Reason, d.Err, tt.want, tt.reason)
			}
			if d.Outcome == OutcomeChallenge && d.Challenge != trigger.ChallengeCustom {
				t.Errorf("challenge %q, want %s", d.Challenge, trigger.ChallengeCustom)
			}
			if d.Outcome != OutcomeFail && (d.WrongAnswers != tt.wrong || d.Resends != tt.resends) {
				t.Errorf("counted %d wrong answers and %d resends, want %d and %d", d.WrongAnswers, d.Resends, tt.wrong, tt.resends)
			}
		})
	}
}

func TestDefineRequirePassword(t *testing.T) {
	tests := []struct {
		name      string
		session   session
		want      Outcome
		challenge string
		reason    Reason
	}{
		{"empty session fails: the password comes first", session{}, OutcomeFail, "", ReasonPasswordRequired},
		{"SRP_A asks for the password", session{srpA}, OutcomeChallenge, trigger.ChallengePasswordVerifier, ReasonPassword},
		{"failed SRP_A fails", session{srpAFailed}, OutcomeFail, "", ReasonPasswordFailed},
		{"correct password starts the code", session{srpA, pv}, OutcomeChallenge, trigger.ChallengeCustom, ReasonStart},
		{"wrong password fails", session{srpA, pvFailed}, OutcomeFail, "", ReasonPasswordFailed},
		{"password and code issue tokens", session{srpA, pv, custom(true, state(kindNew, 0))}, OutcomeIssue, "", ReasonCorrect},
		{"password and wrong code starts another round", session{srpA, pv, custom(false, state(kindNew, 0))}, OutcomeChallenge, trigger.ChallengeCustom, ReasonWrongAnswer},
		{"password and three wrong codes fail", session{srpA, pv, custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(false, state(kindRetry, 0))}, OutcomeFail, "", ReasonTooManyAttempts},
		{"code alone never issues tokens", session{custom(true, state(kindNew, 0))}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"password verifier without SRP_A fails", session{pv, custom(true, state(kindNew, 0))}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"ADMIN_NO_SRP_AUTH is not a password step here", session{entry("ADMIN_NO_SRP_AUTH", true, "")}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"ADMIN_NO_SRP_AUTH and a code fail", session{entry("ADMIN_NO_SRP_AUTH", true, ""), custom(true, state(kindNew, 0))}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"device challenge after SRP_A fails", session{srpA, entry("DEVICE_SRP_AUTH", true, "")}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"SRP_A twice fails", session{srpA, srpA, pv}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"password verifier twice fails", session{srpA, pv, pv, custom(true, state(kindNew, 0))}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"code before the password fails", session{custom(true, state(kindNew, 0)), srpA, pv}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"MFA between the codes fails", session{srpA, pv, custom(false, state(kindNew, 0)), entry("SMS_MFA", true, ""), custom(true, state(kindRetry, 0))}, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"correct code after a failed password fails", session{srpA, pvFailed, custom(true, state(kindNew, 0))}, OutcomeFail, "", ReasonPasswordFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, func(c *FlowConfig) { c.RequirePassword = true })
			ev := &trigger.DefineAuthChallengeEvent{}
			ev.Request.Session = tt.session
			d := f.Define(ev)
			if d.Outcome != tt.want || d.Challenge != tt.challenge || d.Reason != tt.reason {
				t.Fatalf("got %v %q (%s, %v), want %v %q (%s)", d.Outcome, d.Challenge, d.Reason, d.Err, tt.want, tt.challenge, tt.reason)
			}
		})
	}
}

func TestDefineRefusesBadRoundStates(t *testing.T) {
	sms := round{kind: kindRetry, channel: ChannelSMS, issuedAt: t0.Unix(), code: "123456"}.encode()
	tests := []struct {
		name    string
		session session
		detail  string
	}{
		{"no metadata", session{custom(true, "")}, "session entry 1: round state: empty"},
		{"the fixtures' placeholder", session{custom(true, "CODE-1")}, "session entry 1: round state: 1 fields"},
		{"unknown version", session{custom(true, strings.Replace(state(kindNew, 0), "otp1", "otp9", 1))}, "unknown format or version"},
		{"first round is a retry", session{custom(true, state(kindRetry, 0))}, "the first round is of kind retry"},
		{"first round is a resend", session{custom(true, state(kindResend, 1))}, "the first round is of kind resend"},
		{"two new rounds", session{custom(false, state(kindNew, 0)), custom(true, state(kindNew, 0))}, "session entry 2: a new round after the first"},
		{"retry counts a resend", session{custom(false, state(kindNew, 0)), custom(true, state(kindRetry, 1))}, "a retry round changes the resend count"},
		{"resend skips a count", session{custom(false, state(kindNew, 0)), custom(true, state(kindResend, 2))}, "a resend round does not add one resend"},
		{"live after decoy", session{custom(false, decoyState(kindNew, 0)), custom(true, state(kindRetry, 0))}, "between decoy and live"},
		{"decoy after live", session{custom(false, state(kindNew, 0)), custom(false, decoyState(kindRetry, 0))}, "between decoy and live"},
		{"retry changes the channel", session{custom(false, state(kindNew, 0)), custom(true, sms)}, "a retry round changes the channel"},
		{"correct answer that did not end the sign-in", session{custom(true, state(kindNew, 0)), custom(false, state(kindRetry, 0))}, "session entry 1: a correct answer that did not end the sign-in"},
		{"bad state in an earlier round", session{custom(false, "x"), custom(true, state(kindRetry, 0))}, "session entry 1: round state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, md := range []map[string]string{nil, resendMetadata} {
				f, _ := newFlow(t, nil)
				ev := &trigger.DefineAuthChallengeEvent{}
				ev.Request.Session, ev.Request.ClientMetadata = tt.session, md
				d := f.Define(ev)
				if d.Outcome != OutcomeFail || d.Reason != ReasonBadState {
					t.Fatalf("got %v (%s), want a failure for a bad round state", d.Outcome, d.Reason)
				}
				if d.Err == nil || !strings.Contains(d.Err.Error(), tt.detail) {
					t.Errorf("detail %v, want it to contain %q", d.Err, tt.detail)
				}
				if d.Err != nil && strings.Contains(d.Err.Error(), "123456") {
					t.Errorf("detail %q repeats the code", d.Err)
				}
			}
		})
	}
}

func TestDefineOnFixtures(t *testing.T) {
	tests := []struct {
		fixture         string
		requirePassword bool
		want            Outcome
		challenge       string
		reason          Reason
	}{
		{"DefineAuthChallenge_Authentication.json", false, OutcomeChallenge, trigger.ChallengeCustom, ReasonStart},
		{"DefineAuthChallenge_Authentication.first-round.json", false, OutcomeChallenge, trigger.ChallengeCustom, ReasonStart},
		{"DefineAuthChallenge_Authentication.user-not-found.json", false, OutcomeChallenge, trigger.ChallengeCustom, ReasonStart},
		{"DefineAuthChallenge_Authentication.password-verified.json", false, OutcomeFail, "", ReasonUnexpectedChallenge},
		{"DefineAuthChallenge_Authentication.password-verified.json", true, OutcomeChallenge, trigger.ChallengeCustom, ReasonStart},
		{"DefineAuthChallenge_Authentication.first-round.json", true, OutcomeFail, "", ReasonPasswordRequired},
		// The fixtures' "CODE-1" metadata was not written by this package:
		// even a correct answer under it must not issue tokens.
		{"DefineAuthChallenge_Authentication.right-answer.json", false, OutcomeFail, "", ReasonBadState},
		{"DefineAuthChallenge_Authentication.wrong-answer.json", false, OutcomeFail, "", ReasonBadState},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			ev := triggertest.LoadEvent[trigger.DefineAuthChallengeEvent](t, eventsDir+"/defineauth/"+tt.fixture)
			f, _ := newFlow(t, func(c *FlowConfig) { c.RequirePassword = tt.requirePassword })
			d := f.Define(ev)
			if d.Outcome != tt.want || d.Challenge != tt.challenge || d.Reason != tt.reason {
				t.Fatalf("got %v %q (%s, %v), want %v %q (%s)", d.Outcome, d.Challenge, d.Reason, d.Err, tt.want, tt.challenge, tt.reason)
			}
		})
	}
}

func TestDefineWithOtherLimits(t *testing.T) {
	t.Run("one attempt", func(t *testing.T) {
		f, _ := newFlow(t, func(c *FlowConfig) { c.MaxAttempts = 1 })
		ev := &trigger.DefineAuthChallengeEvent{}
		ev.Request.Session = session{custom(false, state(kindNew, 0))}
		if d := f.Define(ev); d.Outcome != OutcomeFail || d.Reason != ReasonTooManyAttempts {
			t.Errorf("got %v (%s), want a failure after one wrong answer", d.Outcome, d.Reason)
		}
	})
	t.Run("no resends", func(t *testing.T) {
		f, _ := newFlow(t, func(c *FlowConfig) { c.MaxResends = 0 })
		ev := &trigger.DefineAuthChallengeEvent{}
		ev.Request.Session, ev.Request.ClientMetadata = session{custom(false, state(kindNew, 0))}, resendMetadata
		if d := f.Define(ev); d.Outcome != OutcomeFail || d.Reason != ReasonTooManyResends {
			t.Errorf("got %v (%s), want a failure on the first resend", d.Outcome, d.Reason)
		}
	})
}

// TestDefineAfterLoweredLimits: a sign-in that began under higher limits
// is held to the current ones, even on a correct answer.
func TestDefineAfterLoweredLimits(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*FlowConfig)
		session session
		md      map[string]string
		reason  Reason
	}{
		{"correct answer after too many wrong ones", func(c *FlowConfig) { c.MaxAttempts = 1 },
			session{custom(false, state(kindNew, 0)), custom(true, state(kindRetry, 0))}, nil, ReasonTooManyAttempts},
		{"correct answer after too many resends", func(c *FlowConfig) { c.MaxResends = 0 },
			session{custom(false, state(kindNew, 0)), custom(true, state(kindResend, 1))}, nil, ReasonTooManyResends},
		{"resend after too many wrong answers", func(c *FlowConfig) { c.MaxAttempts = 1 },
			session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0))}, resendMetadata, ReasonTooManyAttempts},
		{"wrong answer after too many resends", func(c *FlowConfig) { c.MaxResends = 0 },
			session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1))}, nil, ReasonTooManyResends},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, tt.mod)
			ev := &trigger.DefineAuthChallengeEvent{}
			ev.Request.Session, ev.Request.ClientMetadata = tt.session, tt.md
			if d := f.Define(ev); d.Outcome != OutcomeFail || d.Reason != tt.reason {
				t.Errorf("got %v (%s), want a failure (%s)", d.Outcome, d.Reason, tt.reason)
			}
		})
	}
}

func TestDefineDoesNotChangeTheEvent(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := &trigger.DefineAuthChallengeEvent{}
	ev.Request.Session = session{custom(true, state(kindNew, 0))}
	_ = f.Define(ev)
	if ev.Response.ChallengeName != "" || ev.Response.IssueTokens != nil || ev.Response.FailAuthentication != nil {
		t.Errorf("Define set the response: %+v", ev.Response)
	}
}

func TestDefineDecisionApply(t *testing.T) {
	tests := []struct {
		d                   DefineDecision
		name                string
		issue, failAuthFlag bool
	}{
		{DefineDecision{Outcome: OutcomeIssue}, "", true, false},
		{DefineDecision{Outcome: OutcomeFail}, "", false, true},
		{DefineDecision{}, "", false, true},
		{DefineDecision{Outcome: OutcomeChallenge, Challenge: trigger.ChallengeCustom}, trigger.ChallengeCustom, false, false},
		{DefineDecision{Outcome: OutcomeChallenge, Challenge: trigger.ChallengePasswordVerifier}, trigger.ChallengePasswordVerifier, false, false},
	}
	for _, tt := range tests {
		var r trigger.DefineAuthChallengeResponse
		tt.d.Apply(&r)
		if string(r.ChallengeName) != tt.name || r.IssueTokens == nil || *r.IssueTokens != tt.issue || r.FailAuthentication == nil || *r.FailAuthentication != tt.failAuthFlag {
			t.Errorf("%v applied: got %+v", tt.d.Outcome, r)
		}
	}
}
