package passwordlesscore_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const eventsDir = "../../events"

// Define and verify start on the environment create needs, and on one
// without what only create requires; they stop, naming the variable, on
// any wrong value of the shared environment.
func TestFromEnv(t *testing.T) {
	builds := map[string]func(func(string) string, ...fromenv.Option) (*trigger.Handler, error){
		"define": passwordlesscore.DefineFromEnv,
		"verify": passwordlesscore.VerifyFromEnv,
	}
	events := map[string]string{
		"define": "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json",
		"verify": "verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json",
	}
	tests := []struct {
		name    string
		env     string // KEY=value pairs separated by spaces
		wantErr string // the variable the error names; "" when the function must start
	}{
		{name: "empty environment"},
		{name: "create's environment", env: "APP_NAME=Example APP_URL=https://app.example.com EMAIL_FROM=no-reply@example.com SES_CONFIGURATION_SET=sign-in SMS_SENDER_ID=Example SEND_THROTTLE_TABLE=send-throttle MAGIC_LINK_URL=https://app.example.com/sign-in"},
		{name: "bad OTP_MAX_ATTEMPTS", env: "OTP_MAX_ATTEMPTS=many", wantErr: "OTP_MAX_ATTEMPTS"},
		{name: "bad MAGIC_LINK_URL", env: "MAGIC_LINK_URL=app.example.com", wantErr: "MAGIC_LINK_URL"},
		{name: "bad EMAIL_FROM", env: "EMAIL_FROM=no-reply", wantErr: "EMAIL_FROM"},
		{name: "bad SES_CONFIGURATION_SET", env: "SES_CONFIGURATION_SET=a/b", wantErr: "SES_CONFIGURATION_SET"},
		{name: "bad SMS_ORIGINATION_NUMBER", env: "SMS_ORIGINATION_NUMBER=555-0100", wantErr: "SMS_ORIGINATION_NUMBER"},
		{name: "bad SEND_THROTTLE_TABLE", env: "SEND_THROTTLE_TABLE=x", wantErr: "SEND_THROTTLE_TABLE"},
		{name: "bad APP_NAME", env: "APP_NAME=" + strings.Repeat("a", 41), wantErr: "APP_NAME"},
		{name: "bad APP_URL", env: "APP_URL=ftp://app.example.com", wantErr: "APP_URL"},
		{name: "bad LOG_LEVEL", env: "LOG_LEVEL=loud", wantErr: "LOG_LEVEL"},
	}
	for _, tt := range tests {
		for _, fn := range []string{"define", "verify"} {
			t.Run(fn+", "+tt.name, func(t *testing.T) {
				env := buildtest.Env(tt.env)
				h, err := builds[fn](func(k string) string { return env[k] })
				if !buildtest.Built(t, err, tt.wantErr) {
					return
				}
				if _, err := triggertest.Invoke(h, triggertest.Load(t, eventsDir+"/"+events[fn])); err != nil {
					t.Fatalf("Invoke: %v", err)
				}
			})
		}
	}
}
