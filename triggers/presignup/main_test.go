package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const events = "../../events/presignup/"

func getenv(m map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := m[k]; ok || !strings.HasPrefix(k, "AWS_") {
			return v
		}
		return os.Getenv(k) // the AWS settings a test sets
	}
}

func TestNewHandlerRefusesBadConfiguration(t *testing.T) {
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
		_, err := newHandler(getenv(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("newHandler(%v) error = %v, want one naming %s", tt.env, err, tt.wantErr)
		}
	}
}

func TestNewHandlerAppliesTheEnvironment(t *testing.T) {
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
			for k, v := range tt.env {
				env[k] = v
			}
			h, err := newHandler(getenv(env))
			if err != nil {
				t.Fatal(err)
			}
			in := triggertest.Load(t, events+tt.fixture)
			out, err := triggertest.Invoke(h, in)
			if tt.denial == "" {
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				triggertest.AssertEquivalent(t, out, in)
				return
			}
			if d := (*trigger.Denial)(nil); !errors.As(err, &d) || d.Error() != tt.denial {
				t.Errorf("Invoke error = %v, want the denial %q", err, tt.denial)
			}
		})
	}
}

// TestNewHandlerLinksWithTheSDKFromTheEnvironment builds the function the
// way Lambda starts it, with the SDK configured by the standard AWS_*
// variables only, and points it at a local cognito-idp endpoint.
func TestNewHandlerLinksWithTheSDKFromTheEnvironment(t *testing.T) {
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
	h, err := newHandler(getenv(map[string]string{"LINK_FEDERATED_USERS": "true", "LOG_LEVEL": "error"}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("start-up made %d calls, want none", n)
	}
	_, err = triggertest.Invoke(h, triggertest.Load(t, events+"PreSignUp_ExternalProvider.native-user-match.json"))
	if d := (*trigger.Denial)(nil); !errors.As(err, &d) || d.Error() != signup.LinkedMessage {
		t.Fatalf("Invoke error = %v, want the denial %q", err, signup.LinkedMessage)
	}
	links := fake.CallsOf("AdminLinkProviderForUser")
	if len(links) != 1 || !strings.Contains(string(links[0].Body), `"ProviderAttributeValue":"jane-native"`) {
		t.Errorf("AdminLinkProviderForUser calls = %+v, want one linking jane-native", links)
	}
}
