package message_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// FromEnv starts on a good environment and writes the sign-up messages,
// and refuses a bad one, naming the variable.
func TestFromEnv(t *testing.T) {
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
			h, err := message.FromEnv(func(k string) string { return tt.env[k] })
			if !buildtest.Built(t, err, tt.wantErr) {
				return
			}
			ev, err := triggertest.InvokeEvent[trigger.CustomMessageEvent](t, h, triggertest.Load(t, fixtures+"CustomMessage_SignUp.json"))
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

// FromEnv uses the options it is given: the handler options after the
// environment's, so that the caller's logger wins over LOG_LEVEL, and the
// caller's templates, which it checks, so that a broken one stops the
// start.
func TestFromEnvHonoursItsOptions(t *testing.T) {
	own := func(sms string) *message.Set {
		set, err := message.Load(overlay(t, map[string]string{"en/SignUp.sms.txt": sms, "es/SignUp.sms.txt": sms}))
		if err != nil {
			t.Fatal(err)
		}
		return set
	}
	env := map[string]string{"APP_NAME": "Example", "LOG_LEVEL": "error"}
	tests := []struct {
		name    string
		set     *message.Set
		wantSMS string // the SMS text; "" when the build must fail
		wantErr string
	}{
		{name: "the shipped templates", wantSMS: "Your Example verification code is {####}."},
		{name: "the caller's templates", set: own("{{.AppName}} code {{.Code}}"), wantSMS: "Example code {####}"},
		{name: "a template without the code stops the start", set: own("{{.AppName}}"), wantErr: "SignUp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			opts := []fromenv.Option{fromenv.WithTriggerOptions(trigger.WithLogger(trigger.NewLogger(&log, slog.LevelInfo)))}
			if tt.set != nil {
				opts = append(opts, message.WithMessages(tt.set))
			}
			h, err := message.FromEnv(func(k string) string { return env[k] }, opts...)
			if !buildtest.Built(t, err, tt.wantErr) {
				return
			}
			ev, err := triggertest.InvokeEvent[trigger.CustomMessageEvent](t, h, triggertest.Load(t, fixtures+"CustomMessage_SignUp.json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if got := string(ev.Response.SMSMessage); !strings.HasPrefix(got, tt.wantSMS) {
				t.Errorf("smsMessage = %q, want it to start with %q", got, tt.wantSMS)
			}
			if !strings.Contains(log.String(), `"msg":"invocation"`) {
				t.Errorf("log = %q, want the invocation line at level info despite LOG_LEVEL=error", log.String())
			}
		})
	}
}
