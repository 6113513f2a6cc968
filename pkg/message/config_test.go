package message_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    message.Config
		wantErr []string // each must appear in the error
	}{
		{
			name: "defaults",
			env:  map[string]string{"APP_NAME": "Example"},
			want: message.Config{AppName: "Example", EmailSendingAccount: message.Developer, Verification: message.VerifyByCode},
		},
		{
			name: "everything set",
			env: map[string]string{"APP_NAME": "  Example App ", "APP_URL": "https://app.example.com/", "EMAIL_SENDING_ACCOUNT": "cognito_default",
				"VERIFICATION": "LINK"},
			want: message.Config{AppName: "Example App", AppURL: "https://app.example.com", EmailSendingAccount: message.CognitoDefault, Verification: message.VerifyByLink},
		},
		{
			name: "http address with a path",
			env:  map[string]string{"APP_NAME": "Example", "APP_URL": "http://localhost:3000/app/", "EMAIL_SENDING_ACCOUNT": "DEVELOPER", "VERIFICATION": "code"},
			want: message.Config{AppName: "Example", AppURL: "http://localhost:3000/app", EmailSendingAccount: message.Developer, Verification: message.VerifyByCode},
		},
		{name: "no APP_NAME", env: map[string]string{}, wantErr: []string{"APP_NAME is not set"}},
		{name: "blank APP_NAME", env: map[string]string{"APP_NAME": "  "}, wantErr: []string{"APP_NAME is not set"}},
		{name: "APP_NAME on two lines", env: map[string]string{"APP_NAME": "Example\nBcc: x"}, wantErr: []string{"APP_NAME=", "one line"}},
		{name: "APP_NAME too long", env: map[string]string{"APP_NAME": strings.Repeat("n", message.MaxAppName+1)}, wantErr: []string{"APP_NAME is 41 characters long"}},
		{name: "APP_URL without scheme", env: map[string]string{"APP_NAME": "E", "APP_URL": "app.example.com"}, wantErr: []string{`APP_URL="app.example.com"`}},
		{name: "APP_URL javascript", env: map[string]string{"APP_NAME": "E", "APP_URL": "javascript:alert(1)"}, wantErr: []string{"APP_URL="}},
		{name: "APP_URL with a quote", env: map[string]string{"APP_NAME": "E", "APP_URL": `https://x.example.com/"a`}, wantErr: []string{"APP_URL="}},
		{name: "unknown sender", env: map[string]string{"APP_NAME": "E", "EMAIL_SENDING_ACCOUNT": "SES"}, wantErr: []string{`EMAIL_SENDING_ACCOUNT="SES"`}},
		{name: "unknown verification", env: map[string]string{"APP_NAME": "E", "VERIFICATION": "sms"}, wantErr: []string{`VERIFICATION="sms"`}},
		{
			name:    "every problem at once",
			env:     map[string]string{"APP_URL": "ftp://x", "EMAIL_SENDING_ACCOUNT": "x", "VERIFICATION": "x"},
			wantErr: []string{"APP_NAME", "APP_URL", "EMAIL_SENDING_ACCOUNT", "VERIFICATION"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := message.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("ConfigFromEnv = %+v, want an error", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ConfigFromEnv: %v", err)
			}
			if got != tt.want {
				t.Errorf("ConfigFromEnv = %+v, want %+v", got, tt.want)
			}
		})
	}
}
