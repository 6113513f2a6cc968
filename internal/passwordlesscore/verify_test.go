package passwordlesscore

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestVerify(t *testing.T) {
	live := round{kind: kindNew, channel: ChannelEmail, issuedAt: t0.Unix(), code: "123456", token: testToken}
	decoy := live
	decoy.decoy = true
	eight := live
	eight.code = "12345678"
	tests := []struct {
		name         string
		state        string
		answer       string
		md           map[string]string
		magic        bool
		userNotFound bool
		at           time.Duration // after t0
		want         Reason
	}{
		{name: "code", state: live.encode(), answer: "123456", want: ReasonCorrect},
		{name: "code with white space", state: live.encode(), answer: "\t 123456 \n", want: ReasonCorrect},
		{name: "code just before expiry", state: live.encode(), answer: "123456", at: 3*time.Minute - time.Second, want: ReasonCorrect},
		{name: "code at expiry", state: live.encode(), answer: "123456", at: 3 * time.Minute, want: ReasonExpired},
		{name: "code long after", state: live.encode(), answer: "123456", at: time.Hour, want: ReasonExpired},
		{name: "code issued far in the future", state: live.encode(), answer: "123456", at: -time.Hour, want: ReasonExpired},
		{name: "wrong code", state: live.encode(), answer: "123457", want: ReasonWrongAnswer},
		{name: "wrong and late", state: live.encode(), answer: "000000", at: time.Hour, want: ReasonWrongAnswer},
		{name: "prefix of the code", state: eight.encode(), answer: "123456", want: ReasonWrongAnswer},
		{name: "code and more", state: live.encode(), answer: "1234567", want: ReasonWrongAnswer},
		{name: "inner space", state: live.encode(), answer: "123 456", want: ReasonWrongAnswer},
		{name: "empty answer", state: live.encode(), answer: "", want: ReasonWrongAnswer},
		{name: "the round state as the answer", state: live.encode(), answer: live.encode(), want: ReasonWrongAnswer},
		{name: "token with magic links", state: live.encode(), answer: testToken, magic: true, want: ReasonCorrect},
		{name: "token with white space", state: live.encode(), answer: " " + testToken + " ", magic: true, want: ReasonCorrect},
		{name: "token without magic links", state: live.encode(), answer: testToken, want: ReasonWrongAnswer},
		{name: "late token", state: live.encode(), answer: testToken, magic: true, at: time.Hour, want: ReasonExpired},
		{name: "code still works with magic links", state: live.encode(), answer: "123456", magic: true, want: ReasonCorrect},
		{name: "resend is never correct", state: live.encode(), answer: "123456", md: resendMetadata, want: ReasonResend},
		{name: "resend with a token is never correct", state: live.encode(), answer: testToken, md: resendMetadata, magic: true, want: ReasonResend},
		{name: "another action is judged", state: live.encode(), answer: "123456", md: map[string]string{"action": "check"}, want: ReasonCorrect},
		{name: "unknown user", state: live.encode(), answer: "123456", userNotFound: true, want: ReasonUserNotFound},
		{name: "decoy round", state: decoy.encode(), answer: "123456", want: ReasonNoDestination},
		{name: "no round state", state: "", answer: "123456", want: ReasonBadState},
		{name: "unreadable round state", state: "123456", answer: "123456", want: ReasonBadState},
		{name: "round state of another version", state: strings.Replace(live.encode(), "otp1", "otp2", 1), answer: "123456", want: ReasonBadState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, clk := newFlow(t, func(c *FlowConfig) { c.MagicLink = tt.magic })
			clk.Set(t0.Add(tt.at))
			ev := verifyEvent(tt.state, tt.answer, tt.md)
			ev.Request.UserNotFound = tt.userNotFound
			d := f.Verify(ev)
			if d.Reason != tt.want || d.Correct != (tt.want == ReasonCorrect) {
				t.Fatalf("got %v (%s, %v), want %s", d.Correct, d.Reason, d.Err, tt.want)
			}
			if (d.Err != nil) != (tt.want == ReasonBadState) {
				t.Errorf("detail %v for %s", d.Err, d.Reason)
			}
		})
	}
}

func TestVerifyWithoutPrivateParameters(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := verifyEvent("", "123456", nil)
	ev.Request.PrivateChallengeParameters = nil
	if d := f.Verify(ev); d.Correct || d.Reason != ReasonBadState {
		t.Errorf("got %v (%s), want a refusal", d.Correct, d.Reason)
	}
}

// TestVerifyOnFixtures: the fixtures carry private parameters of another
// create trigger ({"answer", "issuedAt"}), which must never be trusted.
func TestVerifyOnFixtures(t *testing.T) {
	for _, name := range []string{"VerifyAuthChallengeResponse_Authentication.json", "VerifyAuthChallenge_Authentication.json"} {
		t.Run(name, func(t *testing.T) {
			ev := triggertest.LoadEvent[trigger.VerifyAuthChallengeEvent](t, eventsDir+"/verifyauth/"+name)
			f, _ := newFlow(t, nil)
			d := f.Verify(ev)
			if d.Correct || d.Reason != ReasonBadState {
				t.Fatalf("got %v (%s), want a refusal for a foreign round state", d.Correct, d.Reason)
			}
			d.Apply(&ev.Response)
			if ev.Response.AnswerCorrect == nil || *ev.Response.AnswerCorrect {
				t.Errorf("applied verdict: %v", ev.Response.AnswerCorrect)
			}
		})
	}
}

func TestVerifyDoesNotChangeTheEvent(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := verifyEvent(state(kindNew, 0), "123456", nil)
	if d := f.Verify(ev); !d.Correct {
		t.Fatalf("got %s", d.Reason)
	}
	if ev.Response.AnswerCorrect != nil {
		t.Error("Verify set the response")
	}
}
