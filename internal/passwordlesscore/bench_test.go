package passwordlesscore

import (
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// BenchmarkDefine decides the end of a three-round sign-in (two wrong
// answers, then a correct one): the walk over every round state.
func BenchmarkDefine(b *testing.B) {
	f, _ := newFlow(b, nil)
	ev := &trigger.DefineAuthChallengeEvent{}
	ev.Request.Session = session{custom(false, state(kindNew, 0)), custom(false, state(kindRetry, 0)), custom(true, state(kindRetry, 0))}
	b.ReportAllocs()
	for b.Loop() {
		if d := f.Define(ev); d.Outcome != OutcomeIssue {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkDefineStart decides the first round.
func BenchmarkDefineStart(b *testing.B) {
	f, _ := newFlow(b, nil)
	ev := &trigger.DefineAuthChallengeEvent{}
	b.ReportAllocs()
	for b.Loop() {
		if d := f.Define(ev); d.Outcome != OutcomeChallenge {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkCreateFirst draws a code and a token from crypto/rand.
func BenchmarkCreateFirst(b *testing.B) {
	f, _ := newFlow(b, func(c *FlowConfig) { c.MagicLink = true })
	ev := createEvent(nil, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Create(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateReuse reuses the code of the previous round.
func BenchmarkCreateReuse(b *testing.B) {
	f, _ := newFlow(b, nil)
	ev := createEvent(session{custom(false, state(kindNew, 0))}, nil)
	b.ReportAllocs()
	for b.Loop() {
		if d, err := f.Create(ev); err != nil || d.Reason != ReasonReuse {
			b.Fatal(err, d.Reason)
		}
	}
}

// BenchmarkVerify judges a correct code.
func BenchmarkVerify(b *testing.B) {
	f, _ := newFlow(b, func(c *FlowConfig) { c.MagicLink = true })
	ev := verifyEvent(round{kind: kindNew, channel: ChannelEmail, issuedAt: t0.Unix(), code: "123456", token: testToken}.encode(), " 123456\n", nil)
	b.ReportAllocs()
	for b.Loop() {
		if d := f.Verify(ev); !d.Correct {
			b.Fatal(d.Reason)
		}
	}
}

// BenchmarkVerifyUnknownUser judges an answer of an unknown user: it
// should cost what a real user's does.
func BenchmarkVerifyUnknownUser(b *testing.B) {
	f, _ := newFlow(b, func(c *FlowConfig) { c.MagicLink = true })
	ev := verifyEvent(round{kind: kindNew, channel: ChannelEmail, decoy: true, issuedAt: t0.Unix(), code: "123456", token: testToken}.encode(), " 123456\n", nil)
	ev.Request.UserNotFound = true
	b.ReportAllocs()
	for b.Loop() {
		if d := f.Verify(ev); d.Correct {
			b.Fatal("correct")
		}
	}
}

func BenchmarkParseRound(b *testing.B) {
	s := round{kind: kindResend, resends: 1, channel: ChannelSMS, issuedAt: t0.Unix(), code: "12345678", token: testToken}.encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseRound(s); err != nil {
			b.Fatal(err)
		}
	}
}
