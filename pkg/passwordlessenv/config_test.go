package passwordlessenv_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/passwordlessenv"
)

// The variables only create uses are checked by ConfigFromEnv all the
// same, so that define and verify stop on them too; only their absence
// is create's concern (CheckCreate).
func TestConfigFromEnvChecksWhatCreateUses(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // the variable the error names; "" for none
	}{
		{name: "nothing set", env: map[string]string{}},
		{name: "app", env: map[string]string{"APP_NAME": "Example", "APP_URL": "https://app.example.com/"}},
		{name: "app name of 40 characters", env: map[string]string{"APP_NAME": strings.Repeat("é", 40)}},
		{name: "app name too long", env: map[string]string{"APP_NAME": strings.Repeat("a", 41)}, wantErr: "APP_NAME"},
		{name: "app name on two lines", env: map[string]string{"APP_NAME": "Example\nApp"}, wantErr: "APP_NAME"},
		{name: "app name with a double space", env: map[string]string{"APP_NAME": "Example  App"}, wantErr: "APP_NAME"},
		{name: "app address without scheme", env: map[string]string{"APP_URL": "app.example.com"}, wantErr: "APP_URL"},
		{name: "app address with a user", env: map[string]string{"APP_URL": "https://me@app.example.com"}, wantErr: "APP_URL"},
		{name: "app address with a quote", env: map[string]string{"APP_URL": `https://app.example.com/"`}, wantErr: "APP_URL"},
		{name: "table", env: map[string]string{"SEND_THROTTLE_TABLE": "cognitrig-send_throttle.v1"}},
		{name: "table name too short", env: map[string]string{"SEND_THROTTLE_TABLE": "ab"}, wantErr: "SEND_THROTTLE_TABLE"},
		{name: "table name with a slash", env: map[string]string{"SEND_THROTTLE_TABLE": "send/throttle"}, wantErr: "SEND_THROTTLE_TABLE"},
		{name: "sender", env: map[string]string{"EMAIL_FROM": "no-reply"}, wantErr: "EMAIL_FROM"},
		{name: "sender ID", env: map[string]string{"SMS_SENDER_ID": "123456"}, wantErr: "SMS_SENDER_ID"},
		{name: "flow", env: map[string]string{"OTP_TTL": "1h"}, wantErr: "OTP_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := passwordlessenv.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ConfigFromEnv: %v", err)
				}
				if strings.HasSuffix(c.AppURL, "/") {
					t.Errorf("AppURL = %q, want it without a trailing slash", c.AppURL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ConfigFromEnv error = %v, want one naming %s", err, tt.wantErr)
			}
		})
	}
}

func TestCheckCreate(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
	}{
		{"email needs a sender", map[string]string{"APP_NAME": "Example"}, []string{"EMAIL_FROM"}},
		{"auto needs a sender", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "auto"}, []string{"EMAIL_FROM"}},
		{"SMS needs none", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "sms"}, nil},
		{"messages need the app's name", map[string]string{"EMAIL_FROM": "no-reply@example.com"}, []string{"APP_NAME"}},
		{"both missing", map[string]string{}, []string{"APP_NAME", "EMAIL_FROM"}},
		{"complete", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := passwordlessenv.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckCreate()
			if (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("CheckCreate = %v, want an error naming %v", err, tt.wantErr)
			}
			for _, v := range tt.wantErr {
				if !strings.Contains(err.Error(), v) {
					t.Errorf("error %q does not name %s", err, v)
				}
			}
		})
	}
}
