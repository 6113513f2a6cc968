package main

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestNewHandler(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		event     string
		wantIssue bool
		wantErr   string // "" when the function must start
	}{
		{name: "defaults, right answer", env: map[string]string{}, event: "otp-right-answer", wantIssue: true},
		{name: "defaults, wrong answer", env: map[string]string{}, event: "otp-wrong-answer"},
		{name: "one attempt, wrong answer", env: map[string]string{"OTP_MAX_ATTEMPTS": "1"}, event: "otp-wrong-answer"},
		{name: "password first refuses a code-only session", env: map[string]string{"REQUIRE_PASSWORD": "true"}, event: "otp-right-answer"},
		{name: "no EMAIL_FROM needed", env: map[string]string{"OTP_CHANNEL": "email"}, event: "otp-right-answer", wantIssue: true},
		{name: "bad OTP_MAX_ATTEMPTS", env: map[string]string{"OTP_MAX_ATTEMPTS": "many"}, wantErr: "OTP_MAX_ATTEMPTS"},
		{name: "bad REQUIRE_PASSWORD", env: map[string]string{"REQUIRE_PASSWORD": "maybe"}, wantErr: "REQUIRE_PASSWORD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newHandler(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("newHandler error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("newHandler: %v", err)
			}
			ev, err := triggertest.InvokeEvent[trigger.DefineAuthChallengeEvent](t, h,
				triggertest.Load(t, "../../events/defineauth/DefineAuthChallenge_Authentication."+tt.event+".json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if got := ev.Response.IssueTokens != nil && *ev.Response.IssueTokens; got != tt.wantIssue {
				t.Errorf("issueTokens = %v, want %v", got, tt.wantIssue)
			}
		})
	}
}
