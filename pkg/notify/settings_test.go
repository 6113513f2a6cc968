package notify_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/notify"
)

func TestSettingsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    notify.Settings
		wantErr []string // variables the error names
	}{
		{name: "none", env: map[string]string{}},
		{name: "all", env: map[string]string{"EMAIL_FROM": " Example <no-reply@example.com> ", "SES_CONFIGURATION_SET": "sign-in_1",
			"SMS_SENDER_ID": "Example1", "SMS_ORIGINATION_NUMBER": "+15555550100"},
			want: notify.Settings{EmailFrom: "Example <no-reply@example.com>", ConfigurationSet: "sign-in_1", SMSSenderID: "Example1", SMSOriginationNumber: "+15555550100"}},
		{name: "bad sender", env: map[string]string{"EMAIL_FROM": "no-reply"}, wantErr: []string{"EMAIL_FROM"}},
		{name: "bad configuration set", env: map[string]string{"SES_CONFIGURATION_SET": "a b"}, wantErr: []string{"SES_CONFIGURATION_SET"}},
		{name: "long configuration set", env: map[string]string{"SES_CONFIGURATION_SET": strings.Repeat("a", 65)}, wantErr: []string{"SES_CONFIGURATION_SET"}},
		{name: "numeric sender ID", env: map[string]string{"SMS_SENDER_ID": "123456"}, wantErr: []string{"SMS_SENDER_ID"}},
		{name: "long sender ID", env: map[string]string{"SMS_SENDER_ID": "ExampleExample"}, wantErr: []string{"SMS_SENDER_ID"}},
		{name: "number without plus", env: map[string]string{"SMS_ORIGINATION_NUMBER": "15555550100"}, wantErr: []string{"SMS_ORIGINATION_NUMBER"}},
		{name: "number with a leading zero", env: map[string]string{"SMS_ORIGINATION_NUMBER": "+05555550100"}, wantErr: []string{"SMS_ORIGINATION_NUMBER"}},
		{name: "every error", env: map[string]string{"EMAIL_FROM": "x", "SMS_SENDER_ID": "!"}, wantErr: []string{"EMAIL_FROM", "SMS_SENDER_ID"}},
		{name: "SMS countries", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": " 44,+1 "}, want: notify.Settings{SMSCountries: codes(t, "1,44")}},
		{name: "SMS to every country", env: map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "true"}, want: notify.Settings{SMSCountries: notify.AllCountries()}},
		{name: "SMS to every country turned off", env: map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "false"}},
		{name: "SMS countries with the switch off", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "33", "SMS_ALLOW_ALL_COUNTRIES": "false"}, want: notify.Settings{SMSCountries: codes(t, "33")}},
		{name: "both SMS country settings contradict", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1", "SMS_ALLOW_ALL_COUNTRIES": "true"},
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES", "contradict"}},
		{name: "bad calling code", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1,uk"}, wantErr: []string{"SMS_ALLOWED_CALLING_CODES", `entry 2 ("uk")`}},
		{name: "calling code list with an empty entry", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1,,44"}, wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "entry 2"}},
		{name: "bad switch", env: map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "yes"}, wantErr: []string{"SMS_ALLOW_ALL_COUNTRIES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := notify.SettingsFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != nil {
				for _, v := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), v) {
						t.Errorf("error %v does not name %s", err, v)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("SettingsFromEnv = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// codes parses a list of calling codes or fails the test.
func codes(t *testing.T, s string) notify.SMSCountries {
	t.Helper()
	c, err := notify.ParseCallingCodes(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// With neither SMS country setting, no SMS goes anywhere, and a trigger
// that only sends SMS is told so, naming both variables.
func TestSMSIsOffByDefault(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		allowed bool // may an SMS go to +1 555 555 0123?
		premium bool // may an SMS go to +882 ...?
	}{
		{name: "neither set", env: map[string]string{}},
		{name: "switch off", env: map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "false"}},
		{name: "an allow-list", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1,44,33"}, allowed: true},
		{name: "every country", env: map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "true"}, allowed: true, premium: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := notify.SettingsFromEnv(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if got := s.SMSCountries.Allows("+15555550123"); got != tt.allowed {
				t.Errorf("SMS to +1 allowed = %v, want %v", got, tt.allowed)
			}
			if got := s.SMSCountries.Allows("+88212345678"); got != tt.premium {
				t.Errorf("SMS to +882 allowed = %v, want %v", got, tt.premium)
			}
			err = s.CheckSMS()
			if tt.allowed != (err == nil) {
				t.Fatalf("CheckSMS = %v, want an error only when no country is allowed", err)
			}
			if err != nil && (!strings.Contains(err.Error(), "SMS_ALLOWED_CALLING_CODES") || !strings.Contains(err.Error(), "SMS_ALLOW_ALL_COUNTRIES=true")) {
				t.Errorf("CheckSMS = %q, want it to name both variables", err)
			}
		})
	}
}
