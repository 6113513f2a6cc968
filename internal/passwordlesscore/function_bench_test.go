package passwordlesscore

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// benchFunction builds a function as passwordlesscore.DefineFromEnv and
// VerifyFromEnv build the deployed ones (a Flow from FlowConfigFromEnv,
// HandleDefine or HandleVerify in the adapter), from the default
// configuration with the clock pinned to issued plus 30 seconds, and with
// the deployed logger (JSON at level Info) writing to io.Discard: each
// invocation formats its two log lines (the decision and the invocation)
// and prints nothing.
func benchFunction(b *testing.B, issued int64, build func(*Flow, trigger.Option) *trigger.Handler) *trigger.Handler {
	cfg, err := FlowConfigFromEnv(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	cfg.Now = func() time.Time { return time.Unix(issued+30, 0) }
	f, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return build(f, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))
}

// benchInvoke checks the function's answer once, then measures it on
// payload through the adapter, as Lambda invokes it.
func benchInvoke(b *testing.B, h *trigger.Handler, payload []byte, want string) {
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		b.Fatalf("Invoke: %v", err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(out)), ""), want) {
		b.Fatalf("the answer lacks %s:\n%s", want, out)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefineAuth measures the define auth challenge function of
// triggers/defineauth on the fixtures of a right and a wrong answer.
func BenchmarkDefineAuth(b *testing.B) {
	tests := []struct {
		name, fixture, want string
	}{
		{"otp-right-answer", "DefineAuthChallenge_Authentication.otp-right-answer.json", `"issueTokens":true`},
		{"otp-wrong-answer", "DefineAuthChallenge_Authentication.otp-wrong-answer.json", `"challengeName":"CUSTOM_CHALLENGE"`},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			h := benchFunction(b, 1700000000, func(f *Flow, o trigger.Option) *trigger.Handler {
				return trigger.DefineAuthChallenge(f.HandleDefine, o)
			})
			benchInvoke(b, h, triggertest.Load(b, eventsDir+"/defineauth/"+tt.fixture), tt.want)
		})
	}
}

// BenchmarkVerifyAuth measures the verify auth challenge response function
// of triggers/verifyauth on a correct code: the clock is pinned 30 seconds
// after the fixture's code was issued, so the code is compared, not
// refused as expired.
func BenchmarkVerifyAuth(b *testing.B) {
	h := benchFunction(b, 1700000000, func(f *Flow, o trigger.Option) *trigger.Handler {
		return trigger.VerifyAuthChallenge(f.HandleVerify, o)
	})
	benchInvoke(b, h, triggertest.Load(b, eventsDir+"/verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json"), `"answerCorrect":true`)
}
