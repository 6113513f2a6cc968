package passwordless_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/passwordless"
)

// What the deployed configuration puts in a message is checked at
// start-up, with the templates New loads itself, when this package's tests
// did not render them with such values (TestGoldenVerified): an app name
// of 40 emoji (each two UTF-16 code units, as Cognito counts) is a valid
// APP_NAME, but makes the SMS longer than 140.
func TestNewChecksTheDeployedValues(t *testing.T) {
	cfg := passwordless.Config{Flow: passwordless.DefaultFlowConfig(), AppName: strings.Repeat("😀", passwordless.MaxAppName), AllowUnlimitedSends: true, AllowPredictableDecoys: true}
	cfg.EmailFrom = "no-reply@example.com"
	out := &outbox{}
	_, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out))
	if err == nil || !strings.Contains(err.Error(), "SignIn.sms.txt") || !strings.Contains(err.Error(), "length limit") {
		t.Fatalf("New = %v, want an error naming SignIn.sms.txt and its length limit", err)
	}
	if _, err := passwordless.New(cfg, passwordless.WithEmail(out)); err == nil || !strings.Contains(err.Error(), "OTP_CHANNEL") {
		t.Fatalf("New without an SMS sender = %v, want an error naming OTP_CHANNEL", err)
	}
	cfg.Flow.Channel = passwordless.ChannelEmail
	if _, err := passwordless.New(cfg, passwordless.WithEmail(out)); err != nil {
		t.Fatalf("New for email only = %v; the email fits", err)
	}
}
