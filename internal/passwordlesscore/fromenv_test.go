package passwordlesscore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// Define and verify use the options they are given: the handler options
// after the environment's, so that the caller's logger wins over
// LOG_LEVEL, and the clock, which decides whether the sample code (sent at
// 1700000000) still lives; a wrong variable is refused whatever the
// options.
func TestFromEnvHonoursItsOptions(t *testing.T) {
	issued := time.Unix(1700000000, 0)
	tests := []struct {
		name        string
		env         map[string]string
		clock       time.Time // zero for none: time.Now
		wantCorrect bool
		wantErr     string
	}{
		{name: "the code lives by the clock", env: map[string]string{"LOG_LEVEL": "error"}, clock: issued.Add(time.Minute), wantCorrect: true},
		{name: "the code has expired by the clock", env: map[string]string{"LOG_LEVEL": "error"}, clock: issued.Add(time.Hour)},
		{name: "without a clock, time.Now", env: map[string]string{"LOG_LEVEL": "error"}},
		{name: "a wrong variable is refused", env: map[string]string{"OTP_TTL": "1h"}, clock: issued, wantErr: "OTP_TTL"},
	}
	for _, tt := range tests {
		for _, fn := range []string{"define", "verify"} {
			t.Run(fn+", "+tt.name, func(t *testing.T) {
				var log bytes.Buffer
				var ran int
				opts := []fromenv.Option{fromenv.WithTriggerOptions(
					trigger.WithLogger(trigger.NewLogger(&log, slog.LevelInfo)),
					trigger.WithMiddleware(func(next trigger.Next) trigger.Next {
						return func(ctx context.Context, ev trigger.Event) error { ran++; return next(ctx, ev) }
					}))}
				if !tt.clock.IsZero() {
					opts = append(opts, passwordlesscore.Clock(func() time.Time { return tt.clock }))
				}
				build, event := passwordlesscore.DefineFromEnv, "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json"
				if fn == "verify" {
					build, event = passwordlesscore.VerifyFromEnv, "verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json"
				}
				h, err := build(func(k string) string { return tt.env[k] }, opts...)
				if !buildtest.Built(t, err, tt.wantErr) {
					return
				}
				out, err := triggertest.Invoke(h, triggertest.Load(t, eventsDir+"/"+event))
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				if ran != 1 || !strings.Contains(log.String(), `"msg":"invocation"`) {
					t.Errorf("middleware ran %d times, log = %q; want one run and the invocation line at level info", ran, log.String())
				}
				if fn == "verify" {
					var ev trigger.VerifyAuthChallengeEvent
					if err := json.Unmarshal(out, &ev); err != nil {
						t.Fatal(err)
					}
					if got := ev.Response.AnswerCorrect != nil && *ev.Response.AnswerCorrect; got != tt.wantCorrect {
						t.Errorf("answerCorrect = %v, want %v", got, tt.wantCorrect)
					}
				}
			})
		}
	}
}
