package trigger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestOneLogLinePerInvocation(t *testing.T) {
	logs, opt := logBuffer()
	h := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, opt)
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1:\n%s", len(lines), logs)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"trigger":        "PreSignUp",
		"trigger_source": "PreSignUp_SignUp",
		"user_pool_id":   "us-east-1_EXAMPLE01",
		"client_id":      "1example23456789abcdefghij",
		"request_id":     triggertest.RequestID,
		"outcome":        "ok",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("log has no duration_ms: %s", lines[0])
	}
}

// TestSecretsNeverReachTheLog runs fixtures that carry secrets through
// handlers at debug level (which logs the whole event) and through the
// handler's own logger, and checks no secret appears.
func TestSecretsNeverReachTheLog(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		h       func(trigger.Option) *trigger.Handler
		secrets []string
	}{
		{"verify: answer and private parameters", verifyFixture, func(o trigger.Option) *trigger.Handler {
			return trigger.VerifyAuthChallenge(func(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
				trigger.Logger(ctx).Info("checking", "answer", ev.Request.ChallengeAnswer, "privateChallengeParameters", ev.Request.PrivateChallengeParameters)
				ev.Response.SetAnswerCorrect(true)
				return nil
			}, o)
		}, nil},
		{"create: private parameters set by the handler", eventsDir + "/createauth/CreateAuthChallenge_Authentication.json", func(o trigger.Option) *trigger.Handler {
			return trigger.CreateAuthChallenge(func(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
				ev.Response.PrivateChallengeParameters = map[string]string{"code": "918273"}
				ev.Response.PublicChallengeParameters = map[string]string{"email": "jane.doe@example.com"}
				trigger.Logger(ctx).Info("created", "code", "918273", slog.Group("otp", "code", "918273"))
				return nil
			}, o)
		}, []string{"918273"}},
		{"define: challenge metadata in the session", eventsDir + "/defineauth/DefineAuthChallenge_Authentication.wrong-answer.json", func(o trigger.Option) *trigger.Handler {
			return trigger.DefineAuthChallenge(func(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
				trigger.Logger(ctx).Info("session", "challengeMetadata", ev.Request.Session[0].ChallengeMetadata)
				ev.Response.Challenge(trigger.ChallengeCustom)
				return nil
			}, o)
		}, nil},
		{"create: challenge metadata set by the handler", eventsDir + "/createauth/CreateAuthChallenge_Authentication.json", func(o trigger.Option) *trigger.Handler {
			return trigger.CreateAuthChallenge(func(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
				ev.Response.PrivateChallengeParameters = map[string]string{"round": "otp1.new.0.email.live.1700000000.918273."}
				ev.Response.ChallengeMetadata = "otp1.new.0.email.live.1700000000.918273."
				return nil
			}, o)
		}, []string{"918273"}},
		{"migration: password", eventsDir + "/usermigration/UserMigration_Authentication.json", func(o trigger.Option) *trigger.Handler {
			return trigger.UserMigration(func(ctx context.Context, ev *trigger.UserMigrationEvent) error {
				trigger.Logger(ctx).Info("migrating", "event", ev, "password", ev.Request.Password)
				return trigger.Deny("Unknown user.")
			}, o)
		}, nil},
		{"custom sender: ciphertext", eventsDir + "/customemailsender/CustomEmailSender_SignUp.json", func(o trigger.Option) *trigger.Handler {
			return trigger.CustomEmailSender(func(context.Context, *trigger.CustomEmailSenderEvent) error { return nil }, o)
		}, nil},
		{"federation: provider tokens", eventsDir + "/inboundfederation/InboundFederation_ExternalProvider.json", func(o trigger.Option) *trigger.Handler {
			return trigger.InboundFederation(func(context.Context, *trigger.InboundFederationEvent) error { return nil }, o)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := triggertest.Load(t, tt.fixture)
			secrets := append(fixtureSecrets(t, raw), tt.secrets...)
			if len(secrets) == 0 {
				t.Fatal("fixture carries no secret to look for")
			}
			logs, opt := logBuffer()
			_, _ = triggertest.Invoke(tt.h(opt), raw)
			if !strings.Contains(logs.String(), trigger.Redacted) {
				t.Errorf("log shows no redaction at all:\n%s", logs)
			}
			for _, s := range secrets {
				if strings.Contains(logs.String(), s) {
					t.Errorf("log contains secret %q:\n%s", s, logs)
				}
			}
			for _, pii := range []string{"jane.doe@example.com", "+15555550"} {
				if strings.Contains(logs.String(), pii) {
					t.Errorf("log contains unmasked personal data %q", pii)
				}
			}
		})
	}
}

// fixtureSecrets returns the secret string values of an event: those under
// the keys the contract calls secret.
func fixtureSecrets(t *testing.T, raw []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(key string, v any, inSecret bool)
	walk = func(key string, v any, inSecret bool) {
		switch key {
		case "code", "password", "challengeAnswer", "privateChallengeParameters", "challengeMetadata", "tokenResponse":
			inSecret = true
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e, inSecret)
			}
		case []any:
			for _, e := range x {
				walk(key, e, inSecret)
			}
		case string:
			if inSecret && len(x) >= 4 {
				out = append(out, x)
			}
		}
	}
	walk("", v, false)
	return out
}

func TestPersonalDataCanBeShown(t *testing.T) {
	logs, opt := logBuffer()
	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		trigger.Logger(ctx).Info("user", "email", ev.Request.UserAttributes["email"])
		return nil
	}, opt, trigger.ShowPersonalData())
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "@example.com") {
		t.Errorf("ShowPersonalData did not show the email:\n%s", logs)
	}
}

func TestMasking(t *testing.T) {
	tests := []struct{ in, email, phone string }{
		{"jane.doe@example.com", "j***@e***.com", ""},
		{"x@y.org", "x***@y***.org", ""},
		{"élodie@日本.jp", "é***@日***.jp", ""},
		{"\xffa@b.c", "\uFFFD***@b***.c", ""},
		{"a@\xfe.c", "a***@\uFFFD***.c", ""},
		{"not-an-address", "***", ""},
		{"+15555550123", "", "+*********23"},
		{"123", "", "***"},
	}
	for _, tt := range tests {
		if tt.email != "" {
			if got := trigger.MaskEmail(tt.in); got != tt.email {
				t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.email)
			}
		}
		if tt.phone != "" {
			if got := trigger.MaskPhone(tt.in); got != tt.phone {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.phone)
			}
		}
	}
}

// TestLoggerAttachesTheInvocation checks that the handler's logger names
// the invocation on every line, outside any group, and that a line below
// the level is not written.
func TestLoggerAttachesTheInvocation(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want []string // members of the line, as JSON; nil: no line
	}{
		{"plain", func(l *slog.Logger) { l.Info("hello", "a", 1) }, []string{`"a":1`, `"trigger_source":"PreSignUp_SignUp"`, `"request_id":"` + triggertest.RequestID + `"`}},
		{"with", func(l *slog.Logger) { l.With("k", "v").Info("hello") }, []string{`"k":"v"`, `"trigger_source":"PreSignUp_SignUp"`}},
		{"group", func(l *slog.Logger) { l.WithGroup("g").Info("hello", "a", 1) }, []string{`"g":{"a":1}`, `"trigger_source":"PreSignUp_SignUp"`}},
		{"below the level", func(l *slog.Logger) { l.Debug("hidden") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
				tt.log(trigger.Logger(ctx))
				return nil
			}, trigger.WithLogger(trigger.NewLogger(&buf, slog.LevelInfo)))
			if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if tt.want == nil {
				if len(lines) != 1 {
					t.Fatalf("want only the invocation line, got %q", lines)
				}
				return
			}
			if len(lines) != 2 {
				t.Fatalf("want the handler's line and the invocation line, got %q", lines)
			}
			for _, w := range tt.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("line %s lacks %s", lines[0], w)
				}
			}
		})
	}
}
