package passwordless_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// premiumPhone is a number of an international premium-rate range (+882)
// that SMS pumping fraud favours; no allow-list of the tests holds it.
const premiumPhone = "+88212345678"

// limits is a Limiter and PoolLimiter that refuses what its fields say,
// as throttle.Table refuses, and counts what it is asked.
type limits struct {
	mu                    sync.Mutex
	userFull, poolFull    bool
	users, allows, checks int
}

func (l *limits) Allow(_ context.Context, key string) error {
	return l.count(&l.users, &l.userFull, &throttle.Throttled{RetryAfter: 25 * time.Second, Limit: throttle.Limit{Count: 1, Per: 30 * time.Second}})
}

func (l *limits) AllowPool(_ context.Context, pool string) error {
	return l.count(&l.allows, &l.poolFull, poolRefusal)
}

func (l *limits) CheckPool(_ context.Context, pool string) error {
	return l.count(&l.checks, &l.poolFull, poolRefusal)
}

// poolRefusal is what the fake pool limit answers when it is full.
var poolRefusal = &throttle.Throttled{RetryAfter: 40 * time.Minute, Limit: throttle.Limit{Count: 1000, Per: time.Hour}, Pool: true}

// count records one call in *calls and returns refusal when *full.
func (l *limits) count(calls *int, full *bool, refusal *throttle.Throttled) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	*calls++
	if *full {
		return refusal
	}
	return nil
}

// blockingSMS is an SMS sender that, like snsnotify.Sender, refuses a number
// outside its countries with a *notify.Blocked.
type blockingSMS struct {
	*outbox
	countries notify.SMSCountries
}

func (b blockingSMS) SendSMS(ctx context.Context, m notify.SMS) error {
	if !b.countries.Allows(m.To) {
		return &notify.Blocked{Channel: notify.ChannelSMS, To: trigger.MaskPhone(m.To), Rule: notify.EnvSMSAllowedCallingCodes}
	}
	return b.outbox.SendSMS(ctx, m)
}

// limitedConfig is baseConfig with the send limits on.
func limitedConfig(c *triggertest.Clock) passwordless.Config {
	cfg := baseConfig(c)
	cfg.AllowUnlimitedSends, cfg.ThrottleTable = false, "cognitrig-send-throttle"
	return cfg
}

// Create sends only within limits: New refuses to build it without both
// limiters unless the configuration says, explicitly, that sends are
// unlimited.
func TestNewNeedsBothLimiters(t *testing.T) {
	out, lim := &outbox{}, &limits{}
	tests := []struct {
		name      string
		unlimited bool
		opts      []passwordless.Option
		ok        bool
	}{
		{name: "both limiters", opts: []passwordless.Option{passwordless.WithLimiter(lim), passwordless.WithPoolLimiter(lim)}, ok: true},
		{name: "no limiter is refused"},
		{name: "no pool limiter is refused", opts: []passwordless.Option{passwordless.WithLimiter(lim)}},
		{name: "no per-user limiter is refused", opts: []passwordless.Option{passwordless.WithPoolLimiter(lim)}},
		{name: "unlimited sends need none", unlimited: true, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := limitedConfig(triggertest.NewClock(time.Unix(1_800_000_000, 0)))
			if tt.unlimited {
				cfg.AllowUnlimitedSends, cfg.ThrottleTable = true, ""
			}
			_, err := passwordless.New(cfg, append([]passwordless.Option{passwordless.WithEmail(out), passwordless.WithSMS(out)}, tt.opts...)...)
			if tt.ok != (err == nil) {
				t.Fatalf("New = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && (!strings.Contains(err.Error(), "WithPoolLimiter") || !strings.Contains(err.Error(), "ALLOW_UNLIMITED_SENDS=true")) {
				t.Errorf("New = %q, want it to say what to give and the way out", err)
			}
		})
	}
}

// A send refused by the per-user limit, by the pool-wide limit or by the
// SMS countries looks the same to the end user, whether or not the user
// exists: one neutral message, nothing sent. The log says which limit
// refused it, with the destination masked.
func TestRefusedSendsLookTheSame(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		userFull bool // the per-user limit refuses
		poolFull bool // the pool-wide limit refuses
		unknown  bool
		attrs    map[string]string // the user's; nil for the default user with janePhone
		sms      notify.SMSSender  // nil: the outbox
		password bool
		limit    string // named by the log line
	}{
		{name: "per-user limit", userFull: true, limit: "user"},
		{name: "per-user limit, unknown user", userFull: true, unknown: true, limit: "user"},
		{name: "pool-wide limit", poolFull: true, limit: "pool"},
		{name: "pool-wide limit, unknown user", poolFull: true, unknown: true, limit: "pool"},
		{name: "country refused by the sender", attrs: map[string]string{"phone_number": "+447700900123"},
			sms: blockingSMS{&outbox{}, callingCodes("1")}, limit: "country"},
		{name: "country refused after the password", attrs: map[string]string{"phone_number": premiumPhone}, password: true, limit: "country"},
	}
	var shown []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := triggertest.NewClock(time.Unix(1_800_000_000, 0))
			cfg := limitedConfig(clk)
			cfg.Flow.RequirePassword = tt.password
			if tt.sms != nil {
				cfg.SMSCountries = callingCodes("1,44") // create lets it through; the sender refuses
			}
			out, log := &outbox{}, &syncio.Buffer{}
			var sms notify.SMSSender = out
			if tt.sms != nil {
				sms = tt.sms
			}
			lim := &limits{userFull: tt.userFull, poolFull: tt.poolFull}
			auth, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(sms),
				passwordless.WithLimiter(lim), passwordless.WithPoolLimiter(lim), passwordless.WithDecoyDelay(0))
			if err != nil {
				t.Fatal(err)
			}
			opt := trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))
			simOpts := []triggertest.CustomAuthOption{triggertest.WithClock(clk.Now)}
			switch {
			case tt.unknown:
				simOpts = append(simOpts, triggertest.WithUnknownUser("nobody@example.org"))
			case tt.attrs != nil:
				simOpts = append(simOpts, triggertest.WithUser(triggertest.DefaultUsername, tt.attrs))
			}
			if tt.password {
				simOpts = append(simOpts, triggertest.WithPasswordFirst())
			}
			sim := triggertest.NewCustomAuth(trigger.DefineAuthChallenge(auth.Define, opt), trigger.CreateAuthChallenge(auth.Create, opt),
				trigger.VerifyAuthChallenge(auth.Verify, opt), simOpts...)
			res, err := sim.Start(ctx)
			if tt.password {
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				res, err = sim.RespondPassword(ctx, true, nil)
			}
			expect(t, "the refused round", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
			var ce *triggertest.CognitoError
			errors.As(err, &ce)
			shown = append(shown, ce.Message)
			if !strings.Contains(ce.Message, notify.RefusedMessage) {
				t.Errorf("the end user sees %q, want RefusedMessage", ce.Message)
			}
			if e, x := out.count(); e+x != 0 {
				t.Errorf("sent %d emails and %d SMS", e, x)
			}
			line := log.String()
			if !strings.Contains(line, `"msg":"create auth challenge: send refused"`) || !strings.Contains(line, `"limit":"`+tt.limit+`"`) {
				t.Errorf("the log does not say the %s limit refused the send:\n%s", tt.limit, line)
			}
			for _, phone := range []string{janePhone, premiumPhone, "+447700900123"} {
				if strings.Contains(line, phone) {
					t.Error("the log holds a full phone number")
				}
			}
		})
	}
	for i := range shown {
		if shown[i] != shown[0] {
			t.Errorf("refusal %d (%s) shows %q, refusal 1 shows %q: the refusals differ", i+1, tests[i].name, shown[i], shown[0])
		}
	}
}

// A phone number outside the SMS countries is no destination: the code
// goes by email when the user has one; otherwise the round is the decoy
// of a user without a destination, which looks like an unknown user's and
// sends nothing. The limits are still asked, but a decoy spends none of
// the pool's sends.
func TestPhoneOutsideTheCountriesIsNoDestination(t *testing.T) {
	ctx := context.Background()
	const username = "phone-user"
	tests := []struct {
		name      string
		channel   passwordless.Channel
		countries notify.SMSCountries
		attrs     map[string]string
		resendSMS bool   // ask for a resend by SMS after the first round
		want      string // "email", "sms" or "decoy"
	}{
		{name: "SMS to +882 is refused by default", channel: passwordless.ChannelAuto, attrs: map[string]string{"phone_number": premiumPhone}, want: "decoy"},
		{name: "SMS to +1 is refused by default", channel: passwordless.ChannelAuto, attrs: map[string]string{"phone_number": janePhone}, want: "decoy"},
		{name: "SMS to +882 is refused by a list without it", channel: passwordless.ChannelSMS, countries: callingCodes("1,44"), attrs: map[string]string{"phone_number": premiumPhone}, want: "decoy"},
		{name: "SMS to a listed country is sent", channel: passwordless.ChannelSMS, countries: callingCodes("1,44"), attrs: map[string]string{"phone_number": "+447700900123"}, want: "sms"},
		{name: "SMS to every country", channel: passwordless.ChannelAuto, countries: notify.AllCountries(), attrs: map[string]string{"phone_number": premiumPhone}, want: "sms"},
		{name: "auto sends the code by email instead", channel: passwordless.ChannelAuto,
			attrs: map[string]string{"email": "jane@example.org", "phone_number": premiumPhone}, want: "email"},
		{name: "a resend by SMS to a refused number stays on email", channel: passwordless.ChannelAuto, countries: callingCodes("1"),
			attrs: map[string]string{"email": "jane@example.org", "phone_number": premiumPhone}, resendSMS: true, want: "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := func(unknown bool) (*triggertest.Result, *outbox, *limits, string) {
				clk := triggertest.NewClock(time.Unix(1_800_000_000, 0))
				cfg := limitedConfig(clk)
				cfg.Flow.Channel, cfg.SMSCountries = tt.channel, tt.countries
				out, lim, log := &outbox{}, &limits{}, &syncio.Buffer{}
				auth, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out),
					passwordless.WithLimiter(lim), passwordless.WithPoolLimiter(lim), passwordless.WithDecoyDelay(0))
				if err != nil {
					t.Fatal(err)
				}
				user := triggertest.WithUser(username, tt.attrs)
				if unknown {
					user = triggertest.WithUnknownUser(username)
				}
				opt := trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))
				sim := triggertest.NewCustomAuth(trigger.DefineAuthChallenge(auth.Define, opt), trigger.CreateAuthChallenge(auth.Create, opt),
					trigger.VerifyAuthChallenge(auth.Verify, opt), user, triggertest.WithClock(clk.Now))
				res, err := sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				if tt.resendSMS {
					res, err = sim.Respond(ctx, "", map[string]string{passwordless.MetadataAction: passwordless.ActionResend, passwordless.MetadataChannel: "sms"})
					expect(t, "resend by SMS", res, err, triggertest.OutcomeChallenge, "")
				}
				t.Cleanup(func() { assertNoSecrets(t, log.String(), out.secrets()) })
				return res, out, lim, log.String()
			}
			res, out, lim, log := run(false)
			emails, texts := out.count()
			switch tt.want {
			case "email":
				if res.Parameters[passwordless.ParamChannel] != "email" || emails == 0 || texts != 0 {
					t.Errorf("channel %s, %d emails, %d SMS; want the code by email", res.Parameters[passwordless.ParamChannel], emails, texts)
				}
			case "sms":
				if res.Parameters[passwordless.ParamChannel] != "sms" || texts != 1 {
					t.Errorf("channel %s, %d SMS; want the code by SMS", res.Parameters[passwordless.ParamChannel], texts)
				}
			case "decoy":
				if emails+texts != 0 {
					t.Errorf("sent %d emails and %d SMS, want nothing", emails, texts)
				}
				unknown, _, _, _ := run(true)
				if !maps.Equal(res.Parameters, unknown.Parameters) {
					t.Errorf("the client sees %v, an unknown user %v: they must look alike", res.Parameters, unknown.Parameters)
				}
				if lim.users != 1 || lim.checks != 1 || lim.allows != 0 {
					t.Errorf("limits asked: user %d, pool check %d, pool send %d; want 1, 1, 0", lim.users, lim.checks, lim.allows)
				}
				if !strings.Contains(log, `"limit":"country"`) || !strings.Contains(log, trigger.MaskPhone(tt.attrs["phone_number"])) {
					t.Errorf("the log does not say the country refused the SMS, with the number masked:\n%s", log)
				}
				if strings.Contains(log, tt.attrs["phone_number"]) {
					t.Error("the log holds the full phone number")
				}
			}
			if tt.want != "decoy" && (lim.users != 1+btoi(tt.resendSMS) || lim.allows != 1+btoi(tt.resendSMS) || lim.checks != 0) {
				t.Errorf("limits asked: user %d, pool send %d, pool check %d; want one of each per code sent", lim.users, lim.allows, lim.checks)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
