package passwordless_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// Create counts a code handed to SES or SNS by channel, a send refused by
// a limit by scope, and a challenge served to an unknown user; nothing
// else, and nothing about the user.
func TestCreateCountsMetrics(t *testing.T) {
	const smsOnly = "+15555550142"
	tests := []struct {
		name     string
		event    string // under events/createauth
		attrs    map[string]string
		userFull bool
		poolFull bool
		sendFail bool
		// second: count the round after a wrong answer to the first,
		// which reuses its code.
		second  bool
		want    map[string]float64
		wantErr bool
	}{
		{name: "a code by email", event: "CreateAuthChallenge_Authentication.json",
			want: map[string]float64{metrics.CodesSent + "|channel=email": 1}},
		{name: "a code by SMS", event: "CreateAuthChallenge_Authentication.json", attrs: map[string]string{"phone_number": smsOnly},
			want: map[string]float64{metrics.CodesSent + "|channel=sms": 1}},
		{name: "the previous round's code again", event: "CreateAuthChallenge_Authentication.json", second: true,
			want: map[string]float64{}},
		{name: "an unknown user's second round", event: "CreateAuthChallenge_Authentication.user-not-found.json", second: true,
			want: map[string]float64{metrics.DecoysServed: 1}},
		{name: "an unknown user", event: "CreateAuthChallenge_Authentication.user-not-found.json",
			want: map[string]float64{metrics.DecoysServed: 1}},
		{name: "per-user limit", event: "CreateAuthChallenge_Authentication.json", userFull: true,
			want: map[string]float64{metrics.ThrottleHits + "|scope=user": 1}, wantErr: true},
		{name: "pool-wide limit", event: "CreateAuthChallenge_Authentication.json", poolFull: true,
			want: map[string]float64{metrics.ThrottleHits + "|scope=pool": 1}, wantErr: true},
		{name: "an unknown user over the pool-wide limit", event: "CreateAuthChallenge_Authentication.user-not-found.json", poolFull: true,
			want: map[string]float64{metrics.ThrottleHits + "|scope=pool": 1}, wantErr: true},
		{name: "a failed send", event: "CreateAuthChallenge_Authentication.json", sendFail: true,
			want: map[string]float64{}, wantErr: true},
		{name: "a number outside the SMS countries", event: "CreateAuthChallenge_Authentication.json", attrs: map[string]string{"phone_number": "+447700900123"},
			want: map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := triggertest.NewClock(time.Unix(1_700_000_100, 0))
			cfg := baseConfig(clock)
			cfg.AllowUnlimitedSends, cfg.ThrottleTable = false, throttleTable
			out := &outbox{}
			if tt.sendFail {
				out.fail = errors.New("SES is down")
			}
			l := &limits{userFull: tt.userFull, poolFull: tt.poolFull}
			auth, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out),
				passwordless.WithLimiter(l), passwordless.WithPoolLimiter(l), passwordless.WithDecoyDelay(0))
			if err != nil {
				t.Fatal(err)
			}
			ev := triggertest.LoadEvent[trigger.CreateAuthChallengeEvent](t, eventsDir+"/createauth/"+tt.event)
			if tt.attrs != nil {
				ev.Request.UserAttributes = tt.attrs
			}
			if tt.second {
				if err := auth.Create(context.Background(), ev); err != nil {
					t.Fatal(err)
				}
				ev.Request.Session = []trigger.ChallengeResult{{ChallengeName: trigger.ChallengeCustom, ChallengeMetadata: string(ev.Response.ChallengeMetadata)}}
				ev.Response = trigger.CreateAuthChallengeResponse{}
			}
			got := metricstest.Counted(t, func(ctx context.Context) {
				if err := auth.Create(ctx, ev); (err != nil) != tt.wantErr {
					t.Errorf("Create = %v, want an error: %v", err, tt.wantErr)
				}
			})
			if !maps.Equal(got, tt.want) {
				t.Errorf("counted %v, want %v", got, tt.want)
			}
		})
	}
}

// Through the trigger adapters, a sign-in writes the metrics of each step
// as EMF, and none of them holds the user's name, address or code.
func TestSignInWritesMetrics(t *testing.T) {
	ctx := context.Background()
	clock := triggertest.NewClock(time.Unix(1_800_000_000, 0))
	out := &outbox{}
	auth, err := passwordless.New(baseConfig(clock), passwordless.WithEmail(out), passwordless.WithSMS(out), passwordless.WithDecoyDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	emf := &syncio.Buffer{}
	log := &syncio.Buffer{}
	opts := []trigger.Option{trigger.WithLogger(trigger.NewLogger(log, nil)), trigger.WithMetricsWriter(emf)}
	sim := func(user triggertest.CustomAuthOption) *triggertest.CustomAuth {
		return triggertest.NewCustomAuth(
			trigger.DefineAuthChallenge(auth.Define, opts...),
			trigger.CreateAuthChallenge(auth.Create, opts...),
			trigger.VerifyAuthChallenge(auth.Verify, opts...),
			user, triggertest.WithClock(clock.Now))
	}
	const email = "jane.doe@example.com"
	real := sim(triggertest.WithUser("jane", map[string]string{"email": email}))
	res, err := real.Start(ctx)
	expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
	code := out.lastCode(t, passwordless.ChannelEmail)
	res, err = real.Respond(ctx, wrong(code), nil)
	expect(t, "wrong code", res, err, triggertest.OutcomeChallenge, "")
	res, err = real.Respond(ctx, code, nil)
	expect(t, "right code", res, err, triggertest.OutcomeTokens, "")

	unknown := sim(triggertest.WithUnknownUser("mallory"))
	res, err = unknown.Start(ctx)
	expect(t, "unknown user", res, err, triggertest.OutcomeChallenge, "")
	for i := range 3 {
		res, err = unknown.Respond(ctx, "000000", nil)
		if i < 2 {
			expect(t, "unknown user's guess", res, err, triggertest.OutcomeChallenge, "")
		}
	}
	expect(t, "unknown user's last guess", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)

	ms := metricstest.Check(t, []byte(emf.String()))
	for _, tc := range []struct {
		name string
		dims map[string]string
		want float64
	}{
		{metrics.CodesSent, map[string]string{metrics.DimChannel: metrics.ChannelEmail}, 1},
		{metrics.AnswersWrong, nil, 1},
		{metrics.AnswersRight, nil, 1},
		{metrics.AnswersExpired, nil, 0},
		{metrics.DecoysServed, nil, 3},
		{metrics.AnswersExhausted, nil, 0},
		{metrics.ThrottleHits, nil, 0},
	} {
		if got := metricstest.Total(ms, tc.name, tc.dims); got != tc.want {
			t.Errorf("%s %v = %v, want %v", tc.name, tc.dims, got, tc.want)
		}
	}
	for _, personal := range []string{email, "jane", "mallory", code} {
		if bytes.Contains([]byte(emf.String()), []byte(personal)) {
			t.Errorf("the metrics hold personal data (%d characters)", len(personal))
		}
	}
}
