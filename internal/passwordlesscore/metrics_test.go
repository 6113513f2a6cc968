package passwordlesscore

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Verify counts the verdict on a real round's answer, and nothing for an
// answer that is not one: a resend request, a decoy round, an unreadable
// state.
func TestVerifyCountsAnswers(t *testing.T) {
	live := round{kind: kindNew, channel: ChannelEmail, issuedAt: t0.Unix(), code: "123456"}
	decoy := live
	decoy.decoy = true
	tests := []struct {
		name         string
		state        string
		answer       string
		md           map[string]string
		userNotFound bool
		at           time.Duration
		want         map[string]float64
	}{
		{name: "right answer", state: live.encode(), answer: "123456", want: map[string]float64{metrics.AnswersRight: 1}},
		{name: "wrong answer", state: live.encode(), answer: "654321", want: map[string]float64{metrics.AnswersWrong: 1}},
		{name: "expired answer", state: live.encode(), answer: "123456", at: time.Hour, want: map[string]float64{metrics.AnswersExpired: 1}},
		{name: "resend request", state: live.encode(), answer: "123456", md: resendMetadata, want: map[string]float64{}},
		{name: "unknown user", state: live.encode(), answer: "123456", userNotFound: true, want: map[string]float64{}},
		{name: "decoy round", state: decoy.encode(), answer: "123456", want: map[string]float64{}},
		{name: "unreadable round state", state: "x", answer: "123456", want: map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, clk := newFlow(t, nil)
			clk.Set(t0.Add(tt.at))
			ev := verifyEvent(tt.state, tt.answer, tt.md)
			ev.Request.UserNotFound = tt.userNotFound
			got := metricstest.Counted(t, func(ctx context.Context) {
				if err := f.HandleVerify(ctx, ev); err != nil {
					t.Fatal(err)
				}
			})
			if !maps.Equal(got, tt.want) {
				t.Errorf("counted %v, want %v", got, tt.want)
			}
		})
	}
}

// Define counts AnswersExhausted when a real user's wrong answers use up
// the attempts, and nothing else.
func TestDefineCountsExhaustedAttempts(t *testing.T) {
	threeWrong := session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(false, state(kindRetry, 0))}
	tests := []struct {
		name         string
		session      session
		md           map[string]string
		userNotFound bool
		want         map[string]float64
	}{
		{name: "attempts used up", session: threeWrong, want: map[string]float64{metrics.AnswersExhausted: 1}},
		{name: "attempts used up by an unknown user", session: threeWrong, userNotFound: true, want: map[string]float64{}},
		{name: "a wrong answer with attempts left", session: session{custom(false, state(kindNew, 0))}, want: map[string]float64{}},
		{name: "resends used up", session: session{custom(false, state(kindNew, 0)), custom(false, state(kindResend, 1)), custom(false, state(kindResend, 2))},
			md: resendMetadata, want: map[string]float64{}},
		{name: "right answer", session: session{custom(true, state(kindNew, 0))}, want: map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, nil)
			ev := &trigger.DefineAuthChallengeEvent{}
			ev.Request.Session, ev.Request.ClientMetadata, ev.Request.UserNotFound = tt.session, tt.md, tt.userNotFound
			got := metricstest.Counted(t, func(ctx context.Context) {
				if err := f.HandleDefine(ctx, ev); err != nil {
					t.Fatal(err)
				}
			})
			if !maps.Equal(got, tt.want) {
				t.Errorf("counted %v, want %v", got, tt.want)
			}
		})
	}
}
