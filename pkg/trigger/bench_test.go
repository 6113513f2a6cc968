package trigger_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// benchInvoke measures the whole adapter path: peek, decode, budget,
// middleware, handler, encode and the log line (to a discarding handler at
// level Info, so the line is formatted and written).
func benchInvoke(b *testing.B, h lambda.Handler, fixture string) {
	payload := triggertest.Load(b, fixture)
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDefineAuthChallenge(b *testing.B) {
	h := trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		if n := len(ev.Request.Session); n > 0 && ev.Request.Session[n-1].ChallengeResult {
			ev.Response.Issue()
			return nil
		}
		ev.Response.Challenge(trigger.ChallengeCustom)
		return nil
	}, quiet)
	benchInvoke(b, h, defineFixture)
}

func BenchmarkPreSignUp(b *testing.B) {
	h := trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
		ev.Response.AutoConfirmUser = trigger.Bool(true)
		return nil
	}, quiet)
	benchInvoke(b, h, preSignUpFixture)
}

// BenchmarkPreSignUpMetrics is BenchmarkPreSignUp with metrics on, written
// to a discarding writer: Duration and a metric of the handler's own.
func BenchmarkPreSignUpMetrics(b *testing.B) {
	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		metrics.Count(ctx, metrics.SignUpsAllowed)
		ev.Response.AutoConfirmUser = trigger.Bool(true)
		return nil
	}, quiet, trigger.WithMetricsWriter(io.Discard))
	benchInvoke(b, h, preSignUpFixture)
}

// BenchmarkDefineAuthChallengeMetrics is BenchmarkDefineAuthChallenge with
// metrics on, written to a discarding writer: Duration only.
func BenchmarkDefineAuthChallengeMetrics(b *testing.B) {
	h := trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		ev.Response.Challenge(trigger.ChallengeCustom)
		return nil
	}, quiet, trigger.WithMetricsWriter(io.Discard))
	benchInvoke(b, h, defineFixture)
}

// BenchmarkPlainAWSLambdaGoDefine is the reference: aws-lambda-go's own
// reflective handler on its own event type, without logging, budget or
// checks.
func BenchmarkPlainAWSLambdaGoDefine(b *testing.B) {
	h := lambda.NewHandler(func(_ context.Context, ev *events.CognitoEventUserPoolsDefineAuthChallenge) (*events.CognitoEventUserPoolsDefineAuthChallenge, error) {
		ev.Response.ChallengeName = trigger.ChallengeCustom
		return ev, nil
	})
	benchInvoke(b, h, defineFixture)
}

func BenchmarkRouterDefineAuthChallenge(b *testing.B) {
	benchInvoke(b, fuzzRouter(b), defineFixture)
}

// BenchmarkDefineAuthChallengeNoLogLine is BenchmarkDefineAuthChallenge
// with the log line turned off (level Error), to compare the adapter alone
// with the plain aws-lambda-go path, which writes no log.
func BenchmarkDefineAuthChallengeNoLogLine(b *testing.B) {
	h := trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		ev.Response.Challenge(trigger.ChallengeCustom)
		return nil
	}, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelError)))
	benchInvoke(b, h, defineFixture)
}
