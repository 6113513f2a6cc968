package customsender_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The build functions of the two mains: each starts on a good environment
// and delivers an event through moto_server, and refuses a bad one,
// naming the variable.
func TestFromEnv(t *testing.T) {
	endpoint, client, keyARN := localAWS(t)
	good := "KMS_KEY_ARN=" + keyARN + " APP_NAME=Example LOG_LEVEL=error"
	code := customsendertest.Encrypt(t, client, keyARN, "us-east-1_EXAMPLE01", "246810", customsendertest.Committing)
	tests := []struct {
		name    string
		build   func(func(string) string, ...fromenv.Option) (*trigger.Handler, error)
		env     string
		event   string   // under events/
		to      string   // who gets the message
		wantErr []string // the variables the error names; none when the function must start
	}{
		{name: "email", build: emailsender.FromEnv, env: good + " EMAIL_FROM=" + sender + " SES_CONFIGURATION_SET=",
			event: "customemailsender/CustomEmailSender_ForgotPassword.json", to: "john.roe@example.org"},
		{name: "sms", build: smssender.FromEnv, env: good + " SMS_SENDER_ID=Example SMS_ALLOWED_CALLING_CODES=1",
			event: "customsmssender/CustomSmsSender_Authentication.docs-spelling.json", to: "+15555550142"},
		{name: "email needs EMAIL_FROM", build: emailsender.FromEnv, env: good, wantErr: []string{"EMAIL_FROM"}},
		{name: "no key", build: smssender.FromEnv, env: "APP_NAME=Example", wantErr: []string{"KMS_KEY_ARN"}},
		{name: "customsmssender without SMS countries is refused", build: smssender.FromEnv, env: good + " SMS_SENDER_ID=Example",
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES=true"}},
		{name: "customsmssender with both SMS country settings is refused", build: smssender.FromEnv, env: good + " SMS_ALLOWED_CALLING_CODES=1 SMS_ALLOW_ALL_COUNTRIES=true",
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES"}},
		{name: "bad LOG_LEVEL", build: smssender.FromEnv, env: good + " LOG_LEVEL=loud", wantErr: []string{"LOG_LEVEL"}},
		{name: "bad LOG_PERSONAL_DATA", build: emailsender.FromEnv, env: good + " EMAIL_FROM=" + sender + " LOG_PERSONAL_DATA=maybe", wantErr: []string{"LOG_PERSONAL_DATA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.build(getenv(tt.env))
			if !wantError(t, err, tt.wantErr...) {
				return
			}
			if _, err := triggertest.Invoke(h, event(t, eventsDir+"/"+tt.event, code, "en")); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if got := newest(t, endpoint, tt.to); !strings.Contains(got, "246810") {
				t.Errorf("the message does not show the code:\n%s", got)
			}
		})
	}
}
