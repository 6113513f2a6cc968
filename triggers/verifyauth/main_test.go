package main

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestNewHandler(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" when the function must start
	}{
		{name: "defaults", env: map[string]string{}},
		{name: "magic links", env: map[string]string{"MAGIC_LINK_URL": "https://app.example.com/sign-in"}},
		{name: "bad OTP_LENGTH", env: map[string]string{"OTP_LENGTH": "5"}, wantErr: "OTP_LENGTH"},
		{name: "bad MAGIC_LINK_URL", env: map[string]string{"MAGIC_LINK_URL": "app.example.com"}, wantErr: "MAGIC_LINK_URL"},
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
			// The fixture's code was issued in 2023: expired, so wrong.
			ev, err := triggertest.InvokeEvent[trigger.VerifyAuthChallengeEvent](t, h,
				triggertest.Load(t, "../../events/verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if ev.Response.AnswerCorrect == nil || *ev.Response.AnswerCorrect {
				t.Errorf("answerCorrect = %v, want false", ev.Response.AnswerCorrect)
			}
		})
	}
}
