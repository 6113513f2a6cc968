package customsender_test

import (
	"os"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/notify"
)

const testKey = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000"

// getenv reads "KEY=value KEY=value".
func getenv(s string) func(string) string {
	m := map[string]string{}
	for kv := range strings.FieldsSeq(s) {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return func(k string) string {
		if v, ok := m[k]; ok || !strings.HasPrefix(k, "AWS_") {
			return v
		}
		return os.Getenv(k) // the AWS settings a test points at moto_server
	}
}

func TestConfigFromEnv(t *testing.T) {
	base := "KMS_KEY_ARN=" + testKey + " APP_NAME=Example"
	tests := []struct {
		name    string
		env     string
		want    customsender.Config
		wantErr []string // the variables the error names; none when it must succeed
	}{
		{name: "minimal", env: base, want: customsender.Config{KeyARN: testKey, AppName: "Example"}},
		{name: "everything", env: base + " APP_URL=https://app.example.com/ EMAIL_FROM=no-reply@example.com SES_CONFIGURATION_SET=cfg-1 SMS_SENDER_ID=Example SMS_ORIGINATION_NUMBER=+15555550100",
			want: customsender.Config{KeyARN: testKey, AppName: "Example", AppURL: "https://app.example.com", Settings: notify.Settings{EmailFrom: "no-reply@example.com",
				ConfigurationSet: "cfg-1", SMSSenderID: "Example", SMSOriginationNumber: "+15555550100"}}},
		{name: "multi-Region key", env: "APP_NAME=Example KMS_KEY_ARN=arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
			want: customsender.Config{KeyARN: "arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", AppName: "Example"}},
		{name: "nothing set", env: "", wantErr: []string{"KMS_KEY_ARN is not set", "APP_NAME is not set"}},
		{name: "alias", env: "APP_NAME=Example KMS_KEY_ARN=arn:aws:kms:us-east-1:123456789012:alias/cognito", wantErr: []string{"KMS_KEY_ARN", "is an alias"}},
		{name: "key ID, not ARN", env: "APP_NAME=Example KMS_KEY_ARN=0f1e2d3c-0000-4000-8000-000000000000", wantErr: []string{"KMS_KEY_ARN", "not a KMS key ARN"}},
		{name: "ARN of another service", env: "APP_NAME=Example KMS_KEY_ARN=arn:aws:sns:us-east-1:123456789012:key/x", wantErr: []string{"not a KMS key ARN"}},
		{name: "no account", env: "APP_NAME=Example KMS_KEY_ARN=arn:aws:kms:us-east-1::key/x", wantErr: []string{"12-digit account"}},
		{name: "bad EMAIL_FROM", env: base + " EMAIL_FROM=no-reply", wantErr: []string{"EMAIL_FROM"}},
		{name: "bad SES_CONFIGURATION_SET", env: base + " SES_CONFIGURATION_SET=a/b", wantErr: []string{"SES_CONFIGURATION_SET"}},
		{name: "bad SMS_SENDER_ID", env: base + " SMS_SENDER_ID=123456", wantErr: []string{"SMS_SENDER_ID"}},
		{name: "bad SMS_ORIGINATION_NUMBER", env: base + " SMS_ORIGINATION_NUMBER=5555550100", wantErr: []string{"SMS_ORIGINATION_NUMBER"}},
		{name: "bad APP_URL", env: base + " APP_URL=app.example.com", wantErr: []string{"APP_URL"}},
		{name: "SMS countries", env: base + " SMS_ALLOWED_CALLING_CODES=+44,1",
			want: customsender.Config{KeyARN: testKey, AppName: "Example", Settings: notify.Settings{SMSCountries: mustCodes(t, "1,44")}}},
		{name: "SMS to every country", env: base + " SMS_ALLOW_ALL_COUNTRIES=true",
			want: customsender.Config{KeyARN: testKey, AppName: "Example", Settings: notify.Settings{SMSCountries: notify.AllCountries()}}},
		{name: "both SMS country settings", env: base + " SMS_ALLOWED_CALLING_CODES=1 SMS_ALLOW_ALL_COUNTRIES=true", wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES", "contradict"}},
		{name: "bad SMS_ALLOWED_CALLING_CODES", env: base + " SMS_ALLOWED_CALLING_CODES=1,,44", wantErr: []string{"SMS_ALLOWED_CALLING_CODES"}},
		{name: "every error at once", env: "KMS_KEY_ARN=x SMS_SENDER_ID=toolongsenderid", wantErr: []string{"KMS_KEY_ARN", "APP_NAME", "SMS_SENDER_ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := customsender.ConfigFromEnv(getenv(tt.env))
			if !wantError(t, err, tt.wantErr...) {
				return
			}
			if got != tt.want {
				t.Errorf("ConfigFromEnv = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name    string
		cfg     customsender.Config
		ch      notify.Channel
		wantErr []string
	}{
		{name: "email with a sender", cfg: customsender.Config{Settings: notify.Settings{EmailFrom: "no-reply@example.com"}}, ch: notify.ChannelEmail},
		{name: "email without", ch: notify.ChannelEmail, wantErr: []string{"EMAIL_FROM"}},
		{name: "sms needs no address", cfg: customsender.Config{Settings: notify.Settings{SMSCountries: notify.AllCountries()}}, ch: notify.ChannelSMS},
		{name: "customsmssender without SMS countries is refused", ch: notify.ChannelSMS, wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES=true"}},
		{name: "email needs no SMS countries", cfg: customsender.Config{Settings: notify.Settings{EmailFrom: "no-reply@example.com"}}, ch: notify.ChannelEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, tt.cfg.Check(tt.ch), tt.wantErr...)
		})
	}
}

// mustCodes parses an allow-list of calling codes or fails the test.
func mustCodes(t *testing.T, list string) notify.SMSCountries {
	t.Helper()
	c, err := notify.ParseCallingCodes(list)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
