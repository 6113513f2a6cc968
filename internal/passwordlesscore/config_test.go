package passwordlesscore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
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
		{name: "pool send limit", env: map[string]string{"POOL_SEND_LIMIT": "50/10m"}},
		{name: "bad pool send limit", env: map[string]string{"POOL_SEND_LIMIT": "50"}, wantErr: "POOL_SEND_LIMIT"},
		{name: "unlimited sends with a table", env: map[string]string{"ALLOW_UNLIMITED_SENDS": "true", "SEND_THROTTLE_TABLE": "t-1"}, wantErr: "ALLOW_UNLIMITED_SENDS"},
		{name: "SMS countries", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1,44"}},
		{name: "bad SMS countries", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "UK"}, wantErr: "SMS_ALLOWED_CALLING_CODES"},
		{name: "decoy key secret by ARN", env: map[string]string{"DECOY_KEY_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cognitrig/decoy-key-AbCdEf"}},
		{name: "decoy key secret by name", env: map[string]string{"DECOY_KEY_SECRET_ARN": "cognitrig/decoy-key"}},
		{name: "decoy key secret ARN of another service", env: map[string]string{"DECOY_KEY_SECRET_ARN": "arn:aws:kms:eu-west-1:123456789012:key/1"}, wantErr: "DECOY_KEY_SECRET_ARN"},
		{name: "decoy key secret name with a space", env: map[string]string{"DECOY_KEY_SECRET_ARN": "decoy key"}, wantErr: "DECOY_KEY_SECRET_ARN"},
		{name: "decoy key and its secret", env: map[string]string{"DECOY_KEY": "0123456789abcdef0123456789abcdef", "DECOY_KEY_SECRET_ARN": "decoy-key"}, wantErr: "DECOY_KEY and DECOY_KEY_SECRET_ARN are both set"},
		{name: "predictable decoys with a key secret", env: map[string]string{"ALLOW_PREDICTABLE_DECOYS": "true", "DECOY_KEY_SECRET_ARN": "decoy-key"}, wantErr: "ALLOW_PREDICTABLE_DECOYS=true and DECOY_KEY_SECRET_ARN contradict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := passwordlesscore.ConfigFromEnv(func(k string) string { return tt.env[k] })
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
		{"email needs a sender", map[string]string{"APP_NAME": "Example", "SEND_THROTTLE_TABLE": "t-1"}, []string{"EMAIL_FROM"}},
		{"auto needs a sender", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "auto", "SEND_THROTTLE_TABLE": "t-1"}, []string{"EMAIL_FROM"}},
		{"SMS needs no sender", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "sms", "SMS_ALLOWED_CALLING_CODES": "1", "SEND_THROTTLE_TABLE": "t-1"}, nil},
		{"messages need the app's name", map[string]string{"EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1"}, []string{"APP_NAME"}},
		{"everything missing", map[string]string{}, []string{"APP_NAME", "EMAIL_FROM", "SEND_THROTTLE_TABLE"}},
		{"complete", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1"}, nil},
		{"createauth config without SEND_THROTTLE_TABLE is refused", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com"},
			[]string{"SEND_THROTTLE_TABLE is not set", "ALLOW_UNLIMITED_SENDS=true"}},
		{"unlimited sends need no table", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "ALLOW_UNLIMITED_SENDS": "true"}, nil},
		{"createauth with OTP_CHANNEL=sms and no SMS countries is refused", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "sms", "SEND_THROTTLE_TABLE": "t-1"},
			[]string{"OTP_CHANNEL=sms", "SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES=true"}},
		{"SMS to every country", map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "sms", "SMS_ALLOW_ALL_COUNTRIES": "true", "SEND_THROTTLE_TABLE": "t-1"}, nil},
		{"auto needs no SMS countries", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1"}, nil},
		{"createauth config without DECOY_KEY is refused", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1", "DECOY_KEY": ""},
			[]string{"DECOY_KEY is not set", "ALLOW_PREDICTABLE_DECOYS=true"}},
		{"predictable decoys need no key", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1", "DECOY_KEY": "", "ALLOW_PREDICTABLE_DECOYS": "true"}, nil},
		{"createauth config without either key names both", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1", "DECOY_KEY": ""},
			[]string{"DECOY_KEY is not set", "DECOY_KEY_SECRET_ARN", "ALLOW_PREDICTABLE_DECOYS=true"}},
		{"the key's secret stands for a key", map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "SEND_THROTTLE_TABLE": "t-1", "DECOY_KEY": "",
			"DECOY_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:DecoyKey-AbCdEf"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := passwordlesscore.ConfigFromEnv(func(k string) string {
				if v, ok := tt.env[k]; ok || k != "DECOY_KEY" {
					return v
				}
				return "0123456789abcdef0123456789abcdef" // every case has a key unless it says otherwise
			})
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

func TestParseSendLimit(t *testing.T) {
	tests := []struct {
		in      string
		want    passwordlesscore.SendLimit
		wantErr string // in the error; "" when it must parse
	}{
		{in: "1000/1h", want: passwordlesscore.SendLimit{Count: 1000, Window: time.Hour}},
		{in: "1/1m", want: passwordlesscore.SendLimit{Count: 1, Window: time.Minute}},
		{in: "1000000/24h", want: passwordlesscore.SendLimit{Count: 1_000_000, Window: 24 * time.Hour}},
		{in: "50/1h30m", want: passwordlesscore.SendLimit{Count: 50, Window: 90 * time.Minute}},
		{in: "50/90s", want: passwordlesscore.SendLimit{Count: 50, Window: 90 * time.Second}},
		{in: "1000/1h0m0s", want: passwordlesscore.SendLimit{Count: 1000, Window: time.Hour}},
		{in: "1000", wantErr: "COUNT/WINDOW"},
		{in: "1000 per hour", wantErr: "COUNT/WINDOW"},
		{in: "/1h", wantErr: "count"},
		{in: "0/1h", wantErr: "count"},
		{in: "-5/1h", wantErr: "count"},
		{in: "+5/1h", wantErr: "count"},
		{in: "05/1h", wantErr: "count"},
		{in: "1.5/1h", wantErr: "count"},
		{in: "1000001/1h", wantErr: "more than 1000000"},
		{in: "99999999999999999999/1h", wantErr: "count"},
		{in: "10/", wantErr: "not a duration"},
		{in: "10/1", wantErr: "not a duration"},
		{in: "10/hour", wantErr: "not a duration"},
		{in: "10/+1h", wantErr: "not a duration"},
		{in: "10/-1h", wantErr: "out of range"},
		{in: "10/59s", wantErr: "out of range"},
		{in: "10/25h", wantErr: "out of range"},
		{in: "10/90.5s", wantErr: "whole number of seconds"},
		{in: "10/1h/2", wantErr: "not a duration"},
		{in: "10 /1h", wantErr: "count"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := passwordlesscore.ParseSendLimit(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSendLimit(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSendLimit(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if again, err := passwordlesscore.ParseSendLimit(got.String()); err != nil || again != got {
				t.Errorf("%v reads back as %v, %v", got, again, err)
			}
		})
	}
}

// The send limits are on by default: 1000 codes per hour across the pool.
func TestDefaultPoolSendLimit(t *testing.T) {
	c, err := passwordlesscore.ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := passwordlesscore.SendLimit{Count: 1000, Window: time.Hour}
	if c.PoolSendLimit != want || passwordlesscore.DefaultPoolSendLimit() != want || c.AllowUnlimitedSends {
		t.Errorf("PoolSendLimit %v, default %v, unlimited %v; want %v, limits on", c.PoolSendLimit, passwordlesscore.DefaultPoolSendLimit(), c.AllowUnlimitedSends, want)
	}
}
