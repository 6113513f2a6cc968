package customsender_test

import (
	"encoding/json"
	"testing"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The custom SMS sender sends only to the countries of
// SMS_ALLOWED_CALLING_CODES (or every one, with SMS_ALLOW_ALL_COUNTRIES):
// a number outside them fails the invocation with a neutral refusal, and
// SNS never gets it.
func TestSMSSenderSendsOnlyToAllowedCountries(t *testing.T) {
	endpoint, client, keyARN := localAWS(t)
	const fixture = "customsmssender/CustomSmsSender_Authentication.docs-spelling.json"
	tests := []struct {
		name  string
		env   string
		phone string
		sent  bool
	}{
		{name: "a listed country", env: "SMS_ALLOWED_CALLING_CODES=1,44", phone: "+447700900123", sent: true},
		{name: "SMS to +882 is refused by a list without it", env: "SMS_ALLOWED_CALLING_CODES=1,44", phone: "+88212345678"},
		{name: "a country the list does not hold", env: "SMS_ALLOWED_CALLING_CODES=44", phone: "+15555550142"},
		{name: "every country", env: "SMS_ALLOW_ALL_COUNTRIES=true", phone: "+88212345679", sent: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := smssender.FromEnv(getenv("KMS_KEY_ARN=" + keyARN + " APP_NAME=Example LOG_LEVEL=error " + tt.env))
			if err != nil {
				t.Fatal(err)
			}
			code := customsendertest.Encrypt(t, client, keyARN, testPool, "13579"+string(rune('0'+i)), customsendertest.Committing)
			var ev map[string]any
			if err := json.Unmarshal(event(t, eventsDir+"/"+fixture, code, "en"), &ev); err != nil {
				t.Fatal(err)
			}
			ev["request"].(map[string]any)["userAttributes"].(map[string]any)["phone_number"] = tt.phone
			payload, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			_, err = triggertest.Invoke(h, payload)
			held := false
			for _, m := range mototest.Sent(t, endpoint).SMS {
				held = held || m.PhoneNumber == tt.phone
			}
			if tt.sent {
				if err != nil || !held {
					t.Fatalf("Invoke = %v, moto holds the SMS: %v; want it sent", err, held)
				}
				return
			}
			if held {
				t.Error("moto holds an SMS to a number outside the allowed countries")
			}
			if err != nil {
				// Refused for good: an error would only have Lambda
				// retry the asynchronous event.
				t.Errorf("Invoke = %v, want the event dropped with a log line", err)
			}
		})
	}
}
