package signup_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// envOf reads m, and the process environment for the AWS_ variables m
// does not set (those a test points at a local endpoint).
func envOf(m map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := m[k]; ok || !strings.HasPrefix(k, "AWS_") {
			return v
		}
		return os.Getenv(k)
	}
}

func TestFromEnvRefusesBadConfiguration(t *testing.T) {
	tests := []struct {
		env     map[string]string
		wantErr string
	}{
		{map[string]string{"ALLOWED_EMAIL_DOMAINS": "example.com,exa mple.org"}, "ALLOWED_EMAIL_DOMAINS"},
		{map[string]string{"BLOCKED_EMAIL_DOMAINS": "*.example.com"}, "BLOCKED_EMAIL_DOMAINS"},
		{map[string]string{"AUTO_CONFIRM_EMAIL_DOMAINS": "example..com"}, "AUTO_CONFIRM_EMAIL_DOMAINS"},
		{map[string]string{"LINK_FEDERATED_USERS": "maybe"}, "LINK_FEDERATED_USERS"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
	}
	for _, tt := range tests {
		// Options from code do not stand in for a wrong variable.
		_, err := signup.FromEnv(envOf(tt.env), signup.WithCognito(newBenchCognito()))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("FromEnv(%v) error = %v, want one naming %s", tt.env, err, tt.wantErr)
		}
	}
}

func TestFromEnvAppliesTheEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		fixture string
		denial  string // "" when the event must come back unchanged
	}{
		{"no configuration passes through", nil, "PreSignUp_SignUp.blocked-domain.json", ""},
		{"blocked domain is refused", map[string]string{"BLOCKED_EMAIL_DOMAINS": "throwaway.example.org"},
			"PreSignUp_SignUp.blocked-domain.json", signup.DomainBlocked.Message()},
		{"IDN domain outside the allow list is refused", map[string]string{"ALLOWED_EMAIL_DOMAINS": "example.com"},
			"PreSignUp_SignUp.idn-domain.json", signup.DomainNotAllowed.Message()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LOG_LEVEL": "error"}
			maps.Copy(env, tt.env)
			h, err := signup.FromEnv(envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			in := triggertest.LoadFS(t, events.FS, "presignup/"+tt.fixture)
			out, err := triggertest.Invoke(h, in)
			if tt.denial == "" {
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				triggertest.AssertEquivalent(t, out, in)
				return
			}
			if d, ok := errors.AsType[*trigger.Denial](err); !ok || d.Error() != tt.denial {
				t.Errorf("Invoke error = %v, want the denial %q", err, tt.denial)
			}
		})
	}
}

// TestFromEnvLinksWithTheSDKFromTheEnvironment builds the function the
// way Lambda starts it, with the SDK configured by the standard AWS_*
// variables only, and points it at a local cognito-idp endpoint.
func TestFromEnvLinksWithTheSDKFromTheEnvironment(t *testing.T) {
	fake := signuptest.NewCognito(t, signuptest.Pool{
		Users: []signuptest.User{{Username: "jane-native", Status: "CONFIRMED",
			Attributes: map[string]string{"email": "jane.doe@example.com", "email_verified": "true"}}},
		Providers: []string{"Google"},
	})
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            fake.URL,
		"AWS_REGION":                  "us-east-1",
		"AWS_ACCESS_KEY_ID":           "AKIDPRESIGNUPTEST",
		"AWS_SECRET_ACCESS_KEY":       "presignup-test-secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_MAX_ATTEMPTS":            "1",
	} {
		t.Setenv(k, v)
	}
	h, err := signup.FromEnv(envOf(map[string]string{"LINK_FEDERATED_USERS": "true", "LOG_LEVEL": "error"}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("start-up made %d calls, want none", n)
	}
	_, err = triggertest.Invoke(h, triggertest.LoadFS(t, events.FS, "presignup/PreSignUp_ExternalProvider.native-user-match.json"))
	if d, ok := errors.AsType[*trigger.Denial](err); !ok || d.Error() != signup.LinkedMessage {
		t.Fatalf("Invoke error = %v, want the denial %q", err, signup.LinkedMessage)
	}
	links := fake.CallsOf("AdminLinkProviderForUser")
	if len(links) != 1 || !strings.Contains(string(links[0].Body), `"ProviderAttributeValue":"jane-native"`) {
		t.Errorf("AdminLinkProviderForUser calls = %+v, want one linking jane-native", links)
	}
}

// FromEnv uses what its options give: the logger and middleware of the
// caller, over those of the environment, and the cognito-idp client,
// without loading any AWS configuration (AWS_MAX_ATTEMPTS=many would stop
// awsenv.Load).
func TestFromEnvHonoursItsOptions(t *testing.T) {
	const fixture = "presignup/PreSignUp_ExternalProvider.native-user-match.json"
	badAWS := map[string]string{"LINK_FEDERATED_USERS": "true", "LOG_LEVEL": "error", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "many"}
	tests := []struct {
		name      string
		env       map[string]string
		opts      func(api *benchCognito, log *bytes.Buffer, ran *int) []fromenv.Option
		wantErr   string // what the build error names; "" when it must start
		wantLinks int    // AdminLinkProviderForUser calls of the fake
		wantLog   string // what the log must hold
		wantRan   int    // runs of the middleware
	}{
		{name: "fake client, no AWS configuration loaded", env: badAWS,
			opts: func(api *benchCognito, _ *bytes.Buffer, _ *int) []fromenv.Option {
				return []fromenv.Option{signup.WithCognito(api)}
			},
			wantLinks: 1},
		{name: "without a client the AWS configuration is loaded and checked", env: badAWS,
			opts:    func(*benchCognito, *bytes.Buffer, *int) []fromenv.Option { return nil },
			wantErr: "AWS_MAX_ATTEMPTS"},
		{name: "the caller's logger wins over LOG_LEVEL", env: badAWS,
			opts: func(api *benchCognito, log *bytes.Buffer, _ *int) []fromenv.Option {
				return []fromenv.Option{signup.WithCognito(api), fromenv.WithTriggerOptions(trigger.WithLogger(trigger.NewLogger(log, slog.LevelInfo)))}
			},
			wantLinks: 1, wantLog: `"trigger_source":"PreSignUp_ExternalProvider"`},
		{name: "middleware runs", env: badAWS,
			opts: func(api *benchCognito, _ *bytes.Buffer, ran *int) []fromenv.Option {
				return []fromenv.Option{signup.WithCognito(api), fromenv.WithTriggerOptions(trigger.WithMiddleware(counting(ran)))}
			},
			wantLinks: 1, wantRan: 1},
		{name: "a linker option is the Linker's", env: badAWS,
			opts: func(api *benchCognito, _ *bytes.Buffer, _ *int) []fromenv.Option {
				return []fromenv.Option{signup.WithCognito(api), signup.WithProviderCacheTTL(0)}
			},
			wantLinks: 1},
		{name: "a wrong variable is refused whatever the options", env: map[string]string{"LINK_FEDERATED_USERS": "maybe"},
			opts: func(api *benchCognito, _ *bytes.Buffer, _ *int) []fromenv.Option {
				return []fromenv.Option{signup.WithCognito(api)}
			},
			wantErr: "LINK_FEDERATED_USERS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newBenchCognito(benchJane)
			var log bytes.Buffer
			var ran int
			h, err := signup.FromEnv(func(k string) string { return tt.env[k] }, tt.opts(api, &log, &ran)...)
			if !buildtest.Built(t, err, tt.wantErr) {
				return
			}
			_, err = triggertest.Invoke(h, triggertest.LoadFS(t, events.FS, fixture))
			if d, ok := errors.AsType[*trigger.Denial](err); !ok || d.Error() != signup.LinkedMessage {
				t.Errorf("Invoke error = %v, want the denial %q", err, signup.LinkedMessage)
			}
			if got := api.counts[2]; got != tt.wantLinks {
				t.Errorf("links = %d, want %d", got, tt.wantLinks)
			}
			if !strings.Contains(log.String(), tt.wantLog) {
				t.Errorf("log = %q, want it to hold %s", log.String(), tt.wantLog)
			}
			if ran != tt.wantRan {
				t.Errorf("middleware ran %d times, want %d", ran, tt.wantRan)
			}
		})
	}
}

// counting is a middleware that counts its runs in *n.
func counting(n *int) trigger.Middleware {
	return func(next trigger.Next) trigger.Next {
		return func(ctx context.Context, ev trigger.Event) error {
			*n++
			return next(ctx, ev)
		}
	}
}
