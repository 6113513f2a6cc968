package customsender_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// TestCodesSent checks that a code delivered counts once in CodesSent
// under its channel, and that nothing else does: a message without a
// code, a send that failed, a number outside the allowed countries, an
// event that came again.
func TestCodesSent(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string // in eventsDir
		smsLimit bool   // allow only +44 numbers
		sendErr  error
		times    int // invocations of the same event
		want     map[string]float64
	}{
		{"email code", "customemailsender/CustomEmailSender_SignUp.json", false, nil, 1, map[string]float64{"email": 1}},
		{"sms code", "customsmssender/CustomSMSSender_Authentication.json", false, nil, 1, map[string]float64{"sms": 1}},
		{"the same event twice counts once", "customemailsender/CustomEmailSender_ForgotPassword.json", false, nil, 2, map[string]float64{"email": 1}},
		{"no code in the message", "customemailsender/CustomEmailSender_AccountTakeOverNotification.json", false, nil, 1, nil},
		{"send failed", "customsmssender/CustomSMSSender_SignUp.json", false, errors.New("throttled"), 1, nil},
		{"country not allowed", "customsmssender/CustomSMSSender_SignUp.json", true, nil, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.smsLimit {
				countries, err := notify.ParseCallingCodes("+44")
				if err != nil {
					t.Fatal(err)
				}
				cfg.SMSCountries = countries
			}
			box := &outbox{err: tt.sendErr}
			s, err := customsender.New(cfg, customsender.WithDecrypter(fakeDecrypter{ciphertext: code}), customsender.WithEmail(box), customsender.WithSMS(box))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			opts := []trigger.Option{trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)), trigger.WithMetricsWriter(&out)}
			h := trigger.CustomEmailSender(s.Email, opts...)
			if strings.HasPrefix(tt.fixture, "customsmssender/") {
				h = trigger.CustomSMSSender(s.SMS, opts...)
			}
			payload := event(t, eventsDir+"/"+tt.fixture, ciphertext, "en")
			for range tt.times {
				_, _ = triggertest.Invoke(h, payload)
			}
			ms := metricstest.Check(t, out.Bytes())
			for _, ch := range []string{"email", "sms"} {
				if got := metricstest.Total(ms, metrics.CodesSent, map[string]string{"channel": ch}); got != tt.want[ch] {
					t.Errorf("CodesSent{channel=%s} = %v, want %v:\n%s", ch, got, tt.want[ch], out.String())
				}
			}
			for _, secret := range []string{code, "@", "+1", "+4"} {
				if strings.Contains(out.String(), secret) {
					t.Errorf("the metrics hold %q:\n%s", secret, out.String())
				}
			}
		})
	}
}
