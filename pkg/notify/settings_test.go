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
