package passwordless_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// CreateFromEnv uses the senders, limiters, clock and handler options it
// is given, and loads the AWS configuration only for what they leave out
// (the environment here has no AWS_REGION, so loading it fails); it still
// refuses, naming the variable, every configuration that the main
// refuses, whatever it is given.
func TestCreateFromEnvHonoursItsOptions(t *testing.T) {
	const (
		send    = "OTP_CHANNEL=email APP_NAME=Example EMAIL_FROM=no-reply@example.com DECOY_KEY=" + testDecoyKey
		limited = send + " SEND_THROTTLE_TABLE=" + throttleTable
	)
	issued := time.Unix(1700000000, 0)
	tests := []struct {
		name    string
		env     string // KEY=value pairs separated by spaces
		opts    func(out *outbox, l *limits) []fromenv.Option
		wantErr []string // what the build error names; none when it must start
		// buildOnly: the function starts, but its DynamoDB client points
		// nowhere, so it is not invoked.
		buildOnly bool
	}{
		{name: "fakes for every client, no AWS configuration loaded", env: limited,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithLimiter(l), passwordless.WithPoolLimiter(l)}
			}},
		{name: "a client left out loads the AWS configuration", env: limited,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithLimiter(l)}
			},
			wantErr: []string{"AWS_REGION"}},
		{name: "the AWS configuration given is used for what the options leave out", env: limited, buildOnly: true,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{awsenv.WithConfig(mototest.Config("http://127.0.0.1:9")), passwordless.WithEmail(out), passwordless.WithLimiter(l)}
			}},
		{name: "unlimited sends need no limiter", env: send + " ALLOW_UNLIMITED_SENDS=true",
			opts: func(out *outbox, _ *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out)}
			}},
		{name: "limiters do not stand in for SEND_THROTTLE_TABLE", env: send,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithLimiter(l), passwordless.WithPoolLimiter(l)}
			},
			wantErr: []string{"SEND_THROTTLE_TABLE is not set", "ALLOW_UNLIMITED_SENDS=true"}},
		{name: "no DECOY_KEY is refused with fakes", env: "OTP_CHANNEL=email APP_NAME=Example EMAIL_FROM=no-reply@example.com SEND_THROTTLE_TABLE=" + throttleTable,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithLimiter(l), passwordless.WithPoolLimiter(l)}
			},
			wantErr: []string{"DECOY_KEY is not set"}},
		{name: "the decoy key's secret is read through the client given", env: "OTP_CHANNEL=email APP_NAME=Example EMAIL_FROM=no-reply@example.com ALLOW_UNLIMITED_SENDS=true DECOY_KEY_SECRET_ARN=" + testKeySecret,
			opts: func(out *outbox, _ *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithSecretsManager(&fakeSecrets{value: secretKey})}
			}},
		{name: "the decoy key's secret without a client loads the AWS configuration", env: "OTP_CHANNEL=email APP_NAME=Example EMAIL_FROM=no-reply@example.com ALLOW_UNLIMITED_SENDS=true DECOY_KEY_SECRET_ARN=" + testKeySecret,
			opts: func(out *outbox, _ *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out)}
			},
			wantErr: []string{"AWS_REGION"}},
		{name: "DECOY_KEY and DECOY_KEY_SECRET_ARN together are refused", env: send + " ALLOW_UNLIMITED_SENDS=true DECOY_KEY_SECRET_ARN=" + testKeySecret,
			opts: func(out *outbox, _ *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithEmail(out), passwordless.WithSecretsManager(&fakeSecrets{value: secretKey})}
			},
			wantErr: []string{"DECOY_KEY and DECOY_KEY_SECRET_ARN are both set"}},
		{name: "OTP_CHANNEL=sms without SMS countries is refused with fakes", env: "OTP_CHANNEL=sms APP_NAME=Example DECOY_KEY=" + testDecoyKey + " SEND_THROTTLE_TABLE=" + throttleTable,
			opts: func(out *outbox, l *limits) []fromenv.Option {
				return []fromenv.Option{passwordless.WithSMS(out), passwordless.WithLimiter(l), passwordless.WithPoolLimiter(l)}
			},
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := buildtest.Env("LOG_LEVEL=error " + tt.env)
			out, l := &outbox{}, &limits{}
			var log bytes.Buffer
			var ran int
			opts := append(tt.opts(out, l),
				passwordless.WithClock(func() time.Time { return issued }),
				passwordless.WithDecoyDelay(0),
				fromenv.WithTriggerOptions(
					trigger.WithLogger(trigger.NewLogger(&log, slog.LevelInfo)),
					trigger.WithMiddleware(func(next trigger.Next) trigger.Next {
						return func(ctx context.Context, ev trigger.Event) error { ran++; return next(ctx, ev) }
					})))
			h, err := passwordless.CreateFromEnv(func(k string) string { return env[k] }, opts...)
			if !buildtest.Built(t, err, tt.wantErr...) {
				return
			}
			if tt.buildOnly {
				return
			}
			ev, err := triggertest.InvokeEvent[trigger.CreateAuthChallengeEvent](t, h, triggertest.Load(t, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if emails, _ := out.count(); emails != 1 {
				t.Errorf("the fake sender got %d emails, want 1", emails)
			}
			if round := ev.Response.PrivateChallengeParameters["round"]; !strings.Contains(round, ".1700000000.") {
				t.Errorf("the round was not issued at the clock's time (%d characters)", len(round))
			}
			if ran != 1 || !strings.Contains(log.String(), `"msg":"invocation"`) {
				t.Errorf("middleware ran %d times, log = %q; want one run and the invocation line at level info", ran, log.String())
			}
		})
	}
}
