package passwordless_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

var resend = map[string]string{passwordless.MetadataAction: passwordless.ActionResend}

// wrong returns an answer of the code's form that is not code.
func wrong(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// expect checks the outcome of a simulated call, and the exception when
// it failed.
func expect(t *testing.T, step string, res *triggertest.Result, err error, want triggertest.Outcome, exc triggertest.Exception) {
	t.Helper()
	if res.Outcome != want {
		t.Fatalf("%s: outcome %v (error %v), want %v", step, res.Outcome, err, want)
	}
	if exc == "" {
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return
	}
	var ce *triggertest.CognitoError
	if !errors.As(err, &ce) || ce.Exception != exc {
		t.Fatalf("%s: error %v, want %s", step, err, exc)
	}
}

// The flows a client goes through, each driven through the Cognito
// simulator, with the handlers behind the adapter.
func TestFlows(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		mod     func(*passwordless.Config)
		simOpts []triggertest.CustomAuthOption
		run     func(t *testing.T, s *setup)
	}{
		{name: "right code on the first try", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			want := map[string]string{"channel": "email", "destination": "j***@e***.com", "codeLength": "6"}
			for k, v := range want {
				if res.Parameters[k] != v {
					t.Errorf("public parameter %s = %q, want %q", k, res.Parameters[k], v)
				}
			}
			if len(res.Parameters) != len(want) {
				t.Errorf("public parameters have %d keys, want %d", len(res.Parameters), len(want))
			}
			res, err = s.sim.Respond(ctx, s.out.lastCode(t, passwordless.ChannelEmail), nil)
			expect(t, "answer", res, err, triggertest.OutcomeTokens, "")
			if e, x := s.out.count(); e != 1 || x != 0 {
				t.Errorf("sent %d emails and %d SMS, want 1 email", e, x)
			}
		}},
		{name: "right code after two wrong answers, sent once", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			code := s.out.lastCode(t, passwordless.ChannelEmail)
			for range 2 {
				res, err = s.sim.Respond(ctx, wrong(code), nil)
				expect(t, "wrong answer", res, err, triggertest.OutcomeChallenge, "")
			}
			res, err = s.sim.Respond(ctx, " "+code+"\n", nil)
			expect(t, "right answer", res, err, triggertest.OutcomeTokens, "")
			if e, _ := s.out.count(); e != 1 {
				t.Errorf("sent %d emails, want 1: later rounds reuse the code", e)
			}
		}},
		{name: "locked out after three wrong answers", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			code := s.out.lastCode(t, passwordless.ChannelEmail)
			for range 2 {
				res, err = s.sim.Respond(ctx, "not a code", nil)
				expect(t, "wrong answer", res, err, triggertest.OutcomeChallenge, "")
			}
			res, err = s.sim.Respond(ctx, wrong(code), nil)
			expect(t, "third wrong answer", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
			res, err = s.sim.Respond(ctx, code, nil)
			expect(t, "the right code after the lockout", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
		}},
		{name: "an expired code is wrong, and the next round sends a new one",
			simOpts: []triggertest.CustomAuthOption{triggertest.WithAuthSessionValidity(15 * time.Minute)},
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				old := s.out.lastCode(t, passwordless.ChannelEmail)
				s.clock.Advance(3*time.Minute + time.Second)
				res, err = s.sim.Respond(ctx, old, nil)
				expect(t, "expired code", res, err, triggertest.OutcomeChallenge, "")
				if e, _ := s.out.count(); e != 2 {
					t.Fatalf("sent %d emails, want a second one after expiry", e)
				}
				fresh := s.out.lastCode(t, passwordless.ChannelEmail)
				if old != fresh {
					res, err = s.sim.Respond(ctx, old, nil)
					expect(t, "the expired code again", res, err, triggertest.OutcomeChallenge, "")
				}
				res, err = s.sim.Respond(ctx, fresh, nil)
				expect(t, "the new code", res, err, triggertest.OutcomeTokens, "")
			}},
		{name: "a resend sends a new code, and may switch to SMS", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			first := s.out.lastCode(t, passwordless.ChannelEmail)
			res, err = s.sim.Respond(ctx, "", resend)
			expect(t, "resend", res, err, triggertest.OutcomeChallenge, "")
			if e, _ := s.out.count(); e != 2 {
				t.Fatalf("sent %d emails, want 2", e)
			}
			res, err = s.sim.Respond(ctx, "", map[string]string{"action": "resend", "channel": "sms"})
			expect(t, "resend by SMS", res, err, triggertest.OutcomeChallenge, "")
			if res.Parameters["channel"] != "sms" || res.Parameters["destination"] != trigger.MaskPhone(janePhone) {
				t.Errorf("after the switch the client sees %v, want channel sms to %s", res.Parameters, trigger.MaskPhone(janePhone))
			}
			if _, x := s.out.count(); x != 1 {
				t.Fatalf("sent %d SMS, want 1", x)
			}
			code := s.out.lastCode(t, passwordless.ChannelSMS)
			if code != first {
				res, err = s.sim.Respond(ctx, first, nil)
				expect(t, "the replaced code", res, err, triggertest.OutcomeChallenge, "")
			}
			res, err = s.sim.Respond(ctx, code, nil)
			expect(t, "the SMS code", res, err, triggertest.OutcomeTokens, "")
		}},
		{name: "a resend request with the right code is no answer", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			res, err = s.sim.Respond(ctx, s.out.lastCode(t, passwordless.ChannelEmail), resend)
			expect(t, "code with resend", res, err, triggertest.OutcomeChallenge, "")
		}},
		{name: "too many resends", run: func(t *testing.T, s *setup) {
			res, err := s.sim.Start(ctx)
			expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
			for range 2 {
				res, err = s.sim.Respond(ctx, "", resend)
				expect(t, "resend", res, err, triggertest.OutcomeChallenge, "")
			}
			res, err = s.sim.Respond(ctx, "", resend)
			expect(t, "third resend", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
			if e, _ := s.out.count(); e != 3 {
				t.Errorf("sent %d emails, want 3", e)
			}
		}},
		{name: "an unknown user sees a plausible challenge, gets nothing, and never succeeds",
			simOpts: []triggertest.CustomAuthOption{triggertest.WithUnknownUser("nobody@example.org")},
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				if res.Parameters["channel"] != "email" || res.Parameters["destination"] != "n***@e***.org" || res.Parameters["codeLength"] != "6" {
					t.Errorf("client sees %v, want an email round to n***@e***.org", res.Parameters)
				}
				res, err = s.sim.Respond(ctx, "", resend)
				expect(t, "resend", res, err, triggertest.OutcomeChallenge, "")
				for _, answer := range []string{"123456", "000000"} {
					res, err = s.sim.Respond(ctx, answer, nil)
					expect(t, "answer", res, err, triggertest.OutcomeChallenge, "")
				}
				res, err = s.sim.Respond(ctx, "999999", nil)
				expect(t, "third answer", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
				if e, x := s.out.count(); e+x != 0 {
					t.Errorf("sent %d emails and %d SMS to an unknown user", e, x)
				}
			}},
		{name: "password, then code",
			mod:     func(c *passwordless.Config) { c.Flow.RequirePassword = true },
			simOpts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst()},
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				if res.ChallengeName != trigger.ChallengePasswordVerifier {
					t.Fatalf("first challenge %s, want PASSWORD_VERIFIER", res.ChallengeName)
				}
				if e, _ := s.out.count(); e != 0 {
					t.Fatal("a code was sent before the password")
				}
				res, err = s.sim.RespondPassword(ctx, true, nil)
				expect(t, "password", res, err, triggertest.OutcomeChallenge, "")
				res, err = s.sim.Respond(ctx, s.out.lastCode(t, passwordless.ChannelEmail), nil)
				expect(t, "code", res, err, triggertest.OutcomeTokens, "")

				res, err = s.sim.Start(ctx)
				expect(t, "second sign-in", res, err, triggertest.OutcomeChallenge, "")
				res, err = s.sim.RespondPassword(ctx, false, nil)
				expect(t, "wrong password", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
				if e, _ := s.out.count(); e != 1 {
					t.Errorf("sent %d emails, want none after a wrong password", e)
				}
			}},
		{name: "passwordless refuses a password sign-in",
			simOpts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst()},
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeFailed, triggertest.NotAuthorizedException)
			}},
		{name: "magic link",
			mod: func(c *passwordless.Config) {
				c.MagicLinkURL = "https://app.example.com/sign-in"
				c.Flow.MagicLink = true
			},
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				s.out.mu.Lock()
				m := s.out.emails[0]
				s.out.mu.Unlock()
				if !strings.Contains(m.HTML, "https://app.example.com/sign-in#") || !strings.Contains(m.Text, "https://app.example.com/sign-in#") {
					t.Error("the email does not carry the link in both parts")
				}
				token := s.out.lastToken(t)
				res, err = s.sim.Respond(ctx, token[1:], nil)
				expect(t, "a cut token", res, err, triggertest.OutcomeChallenge, "")
				res, err = s.sim.Respond(ctx, token, nil)
				expect(t, "the link's token", res, err, triggertest.OutcomeTokens, "")
			}},
		{name: "SMS only",
			mod: func(c *passwordless.Config) { c.Flow.Channel = passwordless.ChannelSMS; c.EmailFrom = "" },
			run: func(t *testing.T, s *setup) {
				res, err := s.sim.Start(ctx)
				expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
				if res.Parameters["channel"] != "sms" {
					t.Errorf("channel %q, want sms", res.Parameters["channel"])
				}
				res, err = s.sim.Respond(ctx, "", map[string]string{"action": "resend", "channel": "email"})
				expect(t, "resend asking for email", res, err, triggertest.OutcomeChallenge, "")
				if res.Parameters["channel"] != "sms" {
					t.Errorf("a resend switched to %q, which the configuration forbids", res.Parameters["channel"])
				}
				res, err = s.sim.Respond(ctx, s.out.lastCode(t, passwordless.ChannelSMS), nil)
				expect(t, "code", res, err, triggertest.OutcomeTokens, "")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t, tt.mod, tt.simOpts...)
			tt.run(t, s)
		})
	}
}

// A destination that the provider refuses fails the sign-in with the
// provider's generic message; an internal failure with the framework's.
func TestCreateDeliveryFailures(t *testing.T) {
	tests := []struct {
		name    string
		fail    error
		message string
	}{
		{"rejected", &notify.Rejected{Channel: notify.ChannelEmail, Service: "ses", Code: "MessageRejected", To: "j***@e***.com"}, (&notify.Rejected{Channel: notify.ChannelEmail}).Error()},
		{"internal", &notify.Error{Channel: notify.ChannelEmail, Op: "ses SendEmail", Code: "ServiceUnavailable", Status: 503}, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t, nil)
			s.out.fail = tt.fail
			res, err := s.sim.Start(context.Background())
			expect(t, "start", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q, want one with %q", err, tt.message)
			}
		})
	}
}

// A limiter's denial reaches the end user, for real and unknown users
// alike.
func TestCreateAsksTheLimiter(t *testing.T) {
	for _, unknown := range []bool{false, true} {
		lim := &countingLimiter{allow: 1}
		out := &outbox{}
		c := triggertest.NewClock(time.Unix(1_800_000_000, 0))
		auth, err := passwordless.New(baseConfig(c), passwordless.WithEmail(out), passwordless.WithSMS(out), passwordless.WithLimiter(lim), passwordless.WithDecoyDelay(0))
		if err != nil {
			t.Fatal(err)
		}
		opts := []triggertest.CustomAuthOption{triggertest.WithClock(c.Now)}
		if unknown {
			opts = append(opts, triggertest.WithUnknownUser("nobody"))
		}
		sim := triggertest.NewCustomAuth(trigger.DefineAuthChallenge(auth.Define), trigger.CreateAuthChallenge(auth.Create), trigger.VerifyAuthChallenge(auth.Verify), opts...)
		res, err := sim.Start(context.Background())
		expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
		res, err = sim.Respond(context.Background(), "000000", nil)
		expect(t, "wrong answer (code reused, no new send)", res, err, triggertest.OutcomeChallenge, "")
		res, err = sim.Respond(context.Background(), "", resend)
		expect(t, "resend over the limit", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		if !strings.Contains(err.Error(), notify.RefusedMessage) || strings.Contains(err.Error(), "Too many") {
			t.Errorf("unknown=%v: error %q, want the neutral message, not the limiter's", unknown, err)
		}
		if lim.calls != 2 {
			t.Errorf("unknown=%v: limiter asked %d times, want 2 (new codes only)", unknown, lim.calls)
		}
	}
}

// countingLimiter allows the first allow sends, then denies.
type countingLimiter struct{ allow, calls int }

func (l *countingLimiter) Allow(_ context.Context, key string) error {
	l.calls++
	if len(key) != 64 || strings.Contains(key, "nobody") || strings.Contains(key, triggertest.DefaultUsername) {
		return errors.New("the key is not a digest")
	}
	if l.calls > l.allow {
		return trigger.Deny("Too many codes were sent. Please wait a minute and try again.")
	}
	return nil
}
