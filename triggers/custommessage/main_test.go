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
		{name: "minimal configuration", env: map[string]string{"APP_NAME": "Example", "LOG_LEVEL": "error"}},
		{name: "full configuration", env: map[string]string{"APP_NAME": "Example", "APP_URL": "https://app.example.com",
			"EMAIL_SENDING_ACCOUNT": "COGNITO_DEFAULT", "VERIFICATION": "link", "LOG_LEVEL": "error", "LOG_PERSONAL_DATA": "false"}},
		{name: "no APP_NAME", env: map[string]string{}, wantErr: "APP_NAME"},
		{name: "bad VERIFICATION", env: map[string]string{"APP_NAME": "Example", "VERIFICATION": "email"}, wantErr: "VERIFICATION"},
		{name: "bad EMAIL_SENDING_ACCOUNT", env: map[string]string{"APP_NAME": "Example", "EMAIL_SENDING_ACCOUNT": "SES"}, wantErr: "EMAIL_SENDING_ACCOUNT"},
		{name: "bad APP_URL", env: map[string]string{"APP_NAME": "Example", "APP_URL": "example.com"}, wantErr: "APP_URL"},
		{name: "bad LOG_LEVEL", env: map[string]string{"APP_NAME": "Example", "LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
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
			ev, err := triggertest.InvokeEvent[trigger.CustomMessageEvent](t, h,
				triggertest.Load(t, "../../events/custommessage/CustomMessage_SignUp.json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if !strings.Contains(string(ev.Response.SMSMessage), "{####}") {
				t.Errorf("smsMessage = %q, want the code placeholder", ev.Response.SMSMessage)
			}
			cognitoSends := tt.env["EMAIL_SENDING_ACCOUNT"] == "COGNITO_DEFAULT"
			if got := ev.Response.EmailMessage != ""; got == cognitoSends {
				t.Errorf("emailMessage set = %v with EMAIL_SENDING_ACCOUNT=%q", got, tt.env["EMAIL_SENDING_ACCOUNT"])
			}
		})
	}
}
