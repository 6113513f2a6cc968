package passwordless_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// BenchmarkCreateAuth measures the create auth challenge function of
// triggers/createauth on a known user's first round: draw a code and a
// magic-link token, ask the send limits (the user's, then the pool's),
// render the English email (subject, HTML and text) and hand it to the
// sender. It is built as CreateFromEnv builds it (its invoke.env
// settings, plus a magic link and the send throttle table of a
// deployment), with in-process fakes in place of SES and DynamoDB and the
// deployed logger writing to io.Discard; the network is measured by make
// bench.
func BenchmarkCreateAuth(b *testing.B) {
	env := map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "MAGIC_LINK_URL": "https://app.example.com/sign-in", "SEND_THROTTLE_TABLE": "cognitrig-send-throttle", "DECOY_KEY": testDecoyKey}
	cfg, err := passwordless.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	sender, limiter := &benchSender{}, &benchLimiter{}
	auth, err := passwordless.New(cfg, passwordless.WithEmail(sender), passwordless.WithSMS(sender), passwordless.WithLimiter(limiter), passwordless.WithPoolLimiter(limiter))
	if err != nil {
		b.Fatal(err)
	}
	h := trigger.CreateAuthChallenge(auth.Create, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))
	payload := triggertest.Load(b, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json")
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()

	// Check once that the round sends: one email to the user, with a
	// link, after one question to each limit.
	if _, err := h.Invoke(ctx, payload); err != nil {
		b.Fatalf("Invoke: %v", err)
	}
	if sender.sent != 1 || limiter.asked != 1 || limiter.pool != 1 || sender.last.To != "jane.doe@example.com" || !strings.Contains(sender.last.HTML, "https://app.example.com/sign-in#") {
		b.Fatalf("after one invocation: %d emails (last to %q), %d user and %d pool limit checks", sender.sent, sender.last.To, limiter.asked, limiter.pool)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSender is an in-process notify.EmailSender and notify.SMSSender
// that keeps the last email; the benchmark's user gets codes by email.
type benchSender struct {
	sent int
	last notify.Email
}

func (s *benchSender) SendEmail(_ context.Context, m notify.Email) error {
	s.sent++
	s.last = m
	return nil
}

func (s *benchSender) SendSMS(context.Context, notify.SMS) error {
	return nil
}

// benchLimiter is a passwordless.Limiter and PoolLimiter that allows
// every send.
type benchLimiter struct{ asked, pool int }

func (l *benchLimiter) Allow(context.Context, string) error {
	l.asked++
	return nil
}

func (l *benchLimiter) AllowPool(context.Context, string) error {
	l.pool++
	return nil
}

func (l *benchLimiter) CheckPool(context.Context, string) error {
	l.pool++
	return nil
}
