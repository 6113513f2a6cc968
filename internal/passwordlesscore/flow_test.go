package passwordlesscore

import (
	"maps"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// signIn plays Cognito's side of one sign-in over a Flow, in process and
// without JSON: define, create, verify and the session, as
// pkg/triggertest's simulator does through the handlers. It records what
// the client sees and what create asked to send.
type signIn struct {
	tb           testing.TB
	f            *Flow
	userName     string
	attrs        map[string]string
	userNotFound bool

	session  []trigger.ChallengeResult
	private  map[string]string
	metadata string
	public   map[string]string // what the client sees
	sent     []Delivery
	outcome  Outcome // of the last define
	reason   Reason
}

func newSignIn(tb testing.TB, f *Flow) *signIn {
	return &signIn{tb: tb, f: f, userName: "0f1e2d3c-0000-4000-8000-00000000000a", attrs: jane()}
}

// start plays InitiateAuth with the given session (nil, or [SRP_A]).
func (s *signIn) start(session ...trigger.ChallengeResult) Outcome {
	s.session = session
	return s.next(nil)
}

// next runs define, and create when define asks for a custom challenge.
func (s *signIn) next(md map[string]string) Outcome {
	s.tb.Helper()
	dev := &trigger.DefineAuthChallengeEvent{}
	dev.UserName = s.userName
	dev.Request.UserAttributes, dev.Request.Session, dev.Request.ClientMetadata, dev.Request.UserNotFound = s.attrs, s.session, md, s.userNotFound
	d := s.f.Define(dev)
	s.outcome, s.reason = d.Outcome, d.Reason
	if d.Outcome != OutcomeChallenge || d.Challenge != trigger.ChallengeCustom {
		s.private, s.metadata, s.public = nil, "", nil
		return d.Outcome
	}
	cev := createEvent(s.session, md)
	cev.UserName, cev.Request.UserAttributes, cev.Request.UserNotFound = s.userName, s.attrs, s.userNotFound
	c, err := s.f.Create(cev)
	if err != nil {
		s.tb.Fatalf("Create: %v", err)
	}
	c.Apply(&cev.Response)
	s.private, s.metadata, s.public = cev.Response.PrivateChallengeParameters, string(cev.Response.ChallengeMetadata), cev.Response.PublicChallengeParameters
	if c.Delivery != nil {
		s.sent = append(s.sent, *c.Delivery)
	}
	return d.Outcome
}

// password plays the PASSWORD_VERIFIER step, with Cognito's verdict.
func (s *signIn) password(ok bool) Outcome {
	s.session = append(s.session, entry(trigger.ChallengePasswordVerifier, ok, ""))
	return s.next(nil)
}

// answer plays RespondToAuthChallenge on the current custom challenge.
func (s *signIn) answer(answer string, md map[string]string) Outcome {
	s.tb.Helper()
	if s.private == nil {
		s.tb.Fatal("answer without a current custom challenge")
	}
	vev := verifyEvent("", answer, md)
	vev.Request.PrivateChallengeParameters, vev.Request.UserAttributes, vev.Request.UserNotFound = s.private, s.attrs, s.userNotFound
	v := s.f.Verify(vev)
	s.session = append(s.session, custom(v.Correct, s.metadata))
	return s.next(md)
}

// lastCode returns the code of the last message sent.
func (s *signIn) lastCode() string {
	s.tb.Helper()
	if len(s.sent) == 0 {
		s.tb.Fatal("nothing was sent")
	}
	return s.sent[len(s.sent)-1].Code
}

func (s *signIn) expect(got, want Outcome) {
	s.tb.Helper()
	if got != want {
		s.tb.Fatalf("got %v (%s), want %v", got, s.reason, want)
	}
}

// wrongCode is never a code of the default length.
const wrongCode = "0000000"

func TestFlowSuccessFirstTry(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.expect(s.start(), OutcomeChallenge)
	want := map[string]string{ParamChannel: "email", ParamDestination: "j***@e***.com", ParamCodeLength: "6"}
	if !maps.Equal(s.public, want) {
		t.Errorf("client sees %v, want %v", s.public, want)
	}
	s.expect(s.answer(s.lastCode(), nil), OutcomeIssue)
	if len(s.sent) != 1 {
		t.Errorf("%d messages sent, want 1", len(s.sent))
	}
}

func TestFlowSuccessAfterTwoWrongAnswers(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	code := s.lastCode()
	s.expect(s.answer(wrongCode, nil), OutcomeChallenge)
	s.expect(s.answer("not a code", nil), OutcomeChallenge)
	s.expect(s.answer(code, nil), OutcomeIssue)
	if len(s.sent) != 1 {
		t.Errorf("%d messages sent, want 1: wrong answers reuse the code", len(s.sent))
	}
}

func TestFlowLockoutAfterThreeWrongAnswers(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	s.expect(s.answer(wrongCode, nil), OutcomeChallenge)
	s.expect(s.answer(wrongCode, nil), OutcomeChallenge)
	s.expect(s.answer(wrongCode, nil), OutcomeFail)
	if s.reason != ReasonTooManyAttempts {
		t.Errorf("reason %s", s.reason)
	}
}

func TestFlowExpiredCode(t *testing.T) {
	f, clk := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	old := s.lastCode()
	clk.Advance(3*time.Minute + time.Second)
	// The right code, too late: a wrong answer, and a new code is sent.
	s.expect(s.answer(old, nil), OutcomeChallenge)
	if len(s.sent) != 2 {
		t.Fatalf("%d messages sent, want a new code after expiry", len(s.sent))
	}
	fresh := s.lastCode()
	if fresh != old {
		s.expect(s.answer(old, nil), OutcomeChallenge) // the old code is dead
	}
	s.expect(s.answer(fresh, nil), OutcomeIssue)
}

func TestFlowResendSwitchesChannel(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	first := s.lastCode()
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	if len(s.sent) != 2 || s.sent[1].Channel != ChannelEmail || !s.sent[1].Resend {
		t.Fatalf("after a resend: sent %d, last %v", len(s.sent), s.sent[len(s.sent)-1])
	}
	second := s.lastCode()
	s.expect(s.answer(first, map[string]string{"action": "resend", "channel": "sms"}), OutcomeChallenge)
	last := s.sent[len(s.sent)-1]
	if last.Channel != ChannelSMS || last.To != "+15555550123" || s.public[ParamChannel] != "sms" || s.public[ParamDestination] != "+*********23" {
		t.Fatalf("after a resend to sms: %v, client sees %v", last, s.public)
	}
	for _, old := range []string{first, second} {
		if old != last.Code {
			s.expect(s.answer(old, nil), OutcomeChallenge) // replaced codes are dead
		}
	}
	s.expect(s.answer(last.Code, nil), OutcomeIssue)
}

func TestFlowTooManyResends(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	s.expect(s.answer("", resendMetadata), OutcomeFail)
	if s.reason != ReasonTooManyResends || len(s.sent) != 3 {
		t.Errorf("reason %s, %d messages sent; want too many resends after 3 messages", s.reason, len(s.sent))
	}
}

func TestFlowResendsDoNotUseAttempts(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	s.expect(s.answer(wrongCode, nil), OutcomeChallenge)
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	s.expect(s.answer(wrongCode, nil), OutcomeChallenge)
	s.expect(s.answer(s.lastCode(), nil), OutcomeIssue)
}

func TestFlowCodeWithAResendIsNoAnswer(t *testing.T) {
	f, _ := newFlow(t, nil)
	s := newSignIn(t, f)
	s.start()
	s.expect(s.answer(s.lastCode(), resendMetadata), OutcomeChallenge)
	if s.reason != ReasonResend || len(s.sent) != 2 {
		t.Fatalf("reason %s, %d messages sent; want a resend", s.reason, len(s.sent))
	}
	s.expect(s.answer(s.lastCode(), resendMetadata), OutcomeChallenge)
	s.expect(s.answer(s.lastCode(), resendMetadata), OutcomeFail)
	if s.reason != ReasonTooManyResends {
		t.Errorf("reason %s", s.reason)
	}
}

func TestFlowUnknownUser(t *testing.T) {
	f, clk := newFlow(t, nil)
	s := newSignIn(t, f)
	s.userName, s.attrs, s.userNotFound = "nobody@example.com", map[string]string{}, true
	s.expect(s.start(), OutcomeChallenge)
	if s.public[ParamDestination] != "n***@e***.com" || s.public[ParamChannel] != "email" || s.public[ParamCodeLength] != "6" {
		t.Errorf("client sees %v", s.public)
	}
	// Even the code create drew is refused.
	r, err := parseRound(s.metadata)
	if err != nil {
		t.Fatal(err)
	}
	s.expect(s.answer(r.code, nil), OutcomeChallenge)
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	clk.Advance(time.Hour)
	s.expect(s.answer(r.code, nil), OutcomeChallenge)
	s.expect(s.answer(r.code, nil), OutcomeFail)
	if len(s.sent) != 0 {
		t.Errorf("%d messages sent for an unknown user", len(s.sent))
	}
}

func TestFlowPasswordThenCode(t *testing.T) {
	f, _ := newFlow(t, func(c *FlowConfig) { c.RequirePassword = true })
	t.Run("both factors", func(t *testing.T) {
		s := newSignIn(t, f)
		s.expect(s.start(srpA), OutcomeChallenge)
		if s.private != nil {
			t.Fatal("a custom challenge before the password")
		}
		s.expect(s.password(true), OutcomeChallenge)
		s.expect(s.answer(s.lastCode(), nil), OutcomeIssue)
	})
	t.Run("wrong password", func(t *testing.T) {
		s := newSignIn(t, f)
		s.start(srpA)
		s.expect(s.password(false), OutcomeFail)
		if len(s.sent) != 0 {
			t.Error("a code was sent after a wrong password")
		}
	})
	t.Run("code without password", func(t *testing.T) {
		s := newSignIn(t, f)
		s.expect(s.start(), OutcomeFail)
	})
}

func TestFlowMagicLink(t *testing.T) {
	f, _ := newFlow(t, func(c *FlowConfig) { c.MagicLink = true })
	s := newSignIn(t, f)
	s.start()
	tok := s.sent[0].Token
	if tok == "" {
		t.Fatal("no token sent")
	}
	if s.public[ParamCodeLength] != "6" || len(s.public) != 3 {
		t.Errorf("client sees %v", s.public)
	}
	s.expect(s.answer(tok, nil), OutcomeIssue)

	// A resend replaces the token too.
	s = newSignIn(t, f)
	s.start()
	old := s.sent[0].Token
	s.expect(s.answer("", resendMetadata), OutcomeChallenge)
	s.expect(s.answer(old, nil), OutcomeChallenge)
	s.expect(s.answer(s.sent[1].Token, nil), OutcomeIssue)
}
