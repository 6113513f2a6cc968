package passwordless_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		check   func(t *testing.T, c passwordless.Config)
		wantErr []string // variables the error must name; nil for none
	}{
		{name: "defaults", env: map[string]string{}, check: func(t *testing.T, c passwordless.Config) {
			want := passwordless.DefaultFlowConfig()
			f := c.Flow
			if f.OTPLength != want.OTPLength || f.TTL != want.TTL || f.MaxAttempts != want.MaxAttempts || f.MaxResends != want.MaxResends ||
				f.Channel != want.Channel || f.RequirePassword || f.MagicLink || f.DecoyKey != nil {
				t.Errorf("flow %+v, want the defaults %+v", f, want)
			}
			if c.PoolSendLimit != (passwordless.SendLimit{Count: 1000, Window: time.Hour}) || c.AllowUnlimitedSends || !c.SMSCountries.IsZero() {
				t.Errorf("pool limit %v, unlimited %v, SMS to %v; want 1000/1h, limits on, SMS nowhere", c.PoolSendLimit, c.AllowUnlimitedSends, c.SMSCountries)
			}
		}},
		{name: "everything set", env: map[string]string{
			"OTP_CHANNEL": " SMS ", "OTP_LENGTH": "8", "OTP_TTL": "5m", "OTP_MAX_ATTEMPTS": "5", "OTP_MAX_RESENDS": "0",
			"REQUIRE_PASSWORD": "true", "MAGIC_LINK_URL": "https://app.example.com/sign-in", "EMAIL_FROM": "Example <no-reply@example.com>",
			"SES_CONFIGURATION_SET": "sign-in", "SMS_SENDER_ID": "Example", "SMS_ORIGINATION_NUMBER": "+15555550100",
			"SEND_THROTTLE_TABLE": "cognitrig-send-throttle", "DECOY_KEY": strings.Repeat("ab", 16), "APP_NAME": "Example", "APP_URL": "https://app.example.com/",
			"POOL_SEND_LIMIT": "500/30m", "SMS_ALLOWED_CALLING_CODES": "1,44",
		}, check: func(t *testing.T, c passwordless.Config) {
			if c.PoolSendLimit != (passwordless.SendLimit{Count: 500, Window: 30 * time.Minute}) || c.SMSCountries.String() != "+1,+44" {
				t.Errorf("pool limit %v, SMS to %v", c.PoolSendLimit, c.SMSCountries)
			}
			f := c.Flow
			if f.Channel != passwordless.ChannelSMS || f.OTPLength != 8 || f.TTL != 5*time.Minute || f.MaxAttempts != 5 || f.MaxResends != 0 ||
				!f.RequirePassword || !f.MagicLink || len(f.DecoyKey) != 16 {
				t.Errorf("flow %+v", f)
			}
			if c.MagicLinkURL != "https://app.example.com/sign-in" || c.EmailFrom != "Example <no-reply@example.com>" || c.ConfigurationSet != "sign-in" ||
				c.SMSSenderID != "Example" || c.SMSOriginationNumber != "+15555550100" || c.ThrottleTable != "cognitrig-send-throttle" ||
				c.AppName != "Example" || c.AppURL != "https://app.example.com" {
				t.Errorf("config %+v", c)
			}
		}},
		{name: "base64 decoy key and a local link", env: map[string]string{"DECOY_KEY": "AAECAwQFBgcICQoLDA0ODw==", "MAGIC_LINK_URL": "http://localhost:3000/sign-in"},
			check: func(t *testing.T, c passwordless.Config) {
				if len(c.Flow.DecoyKey) != 16 || !c.Flow.MagicLink {
					t.Errorf("flow %+v", c.Flow)
				}
			}},
		{name: "bad channel", env: map[string]string{"OTP_CHANNEL": "pigeon"}, wantErr: []string{"OTP_CHANNEL"}},
		{name: "short code", env: map[string]string{"OTP_LENGTH": "4"}, wantErr: []string{"OTP_LENGTH"}},
		{name: "long code", env: map[string]string{"OTP_LENGTH": "11"}, wantErr: []string{"OTP_LENGTH"}},
		{name: "TTL without unit", env: map[string]string{"OTP_TTL": "180"}, wantErr: []string{"OTP_TTL"}},
		{name: "TTL over Cognito's session", env: map[string]string{"OTP_TTL": "16m"}, wantErr: []string{"OTP_TTL"}},
		{name: "no attempts", env: map[string]string{"OTP_MAX_ATTEMPTS": "0"}, wantErr: []string{"OTP_MAX_ATTEMPTS"}},
		{name: "negative resends", env: map[string]string{"OTP_MAX_RESENDS": "-1"}, wantErr: []string{"OTP_MAX_RESENDS"}},
		{name: "bad boolean", env: map[string]string{"REQUIRE_PASSWORD": "yes please"}, wantErr: []string{"REQUIRE_PASSWORD"}},
		{name: "http link", env: map[string]string{"MAGIC_LINK_URL": "http://app.example.com/sign-in"}, wantErr: []string{"MAGIC_LINK_URL", "https"}},
		{name: "link with a fragment", env: map[string]string{"MAGIC_LINK_URL": "https://app.example.com/#/sign-in"}, wantErr: []string{"MAGIC_LINK_URL", "fragment"}},
		{name: "relative link", env: map[string]string{"MAGIC_LINK_URL": "/sign-in"}, wantErr: []string{"MAGIC_LINK_URL"}},
		{name: "short decoy key", env: map[string]string{"DECOY_KEY": "abcd"}, wantErr: []string{"DECOY_KEY"}},
		{name: "decoy key not encoded", env: map[string]string{"DECOY_KEY": "not a key!"}, wantErr: []string{"DECOY_KEY"}},
		{name: "bad configuration set", env: map[string]string{"SES_CONFIGURATION_SET": "a b"}, wantErr: []string{"SES_CONFIGURATION_SET"}},
		{name: "bad sender ID", env: map[string]string{"SMS_SENDER_ID": "123456"}, wantErr: []string{"SMS_SENDER_ID"}},
		{name: "bad origination number", env: map[string]string{"SMS_ORIGINATION_NUMBER": "555-0100"}, wantErr: []string{"SMS_ORIGINATION_NUMBER"}},
		{name: "bad table", env: map[string]string{"SEND_THROTTLE_TABLE": "x"}, wantErr: []string{"SEND_THROTTLE_TABLE"}},
		{name: "bad app URL", env: map[string]string{"APP_URL": "example.com"}, wantErr: []string{"APP_URL"}},
		{name: "unlimited sends", env: map[string]string{"ALLOW_UNLIMITED_SENDS": "true"}, check: func(t *testing.T, c passwordless.Config) {
			if !c.AllowUnlimitedSends || c.ThrottleTable != "" {
				t.Errorf("unlimited %v, table %q", c.AllowUnlimitedSends, c.ThrottleTable)
			}
		}},
		{name: "unlimited sends with a table", env: map[string]string{"ALLOW_UNLIMITED_SENDS": "true", "SEND_THROTTLE_TABLE": "t-1"},
			wantErr: []string{"ALLOW_UNLIMITED_SENDS", "SEND_THROTTLE_TABLE", "contradict"}},
		{name: "unlimited sends with a pool limit", env: map[string]string{"ALLOW_UNLIMITED_SENDS": "true", "POOL_SEND_LIMIT": "10/1h"},
			wantErr: []string{"ALLOW_UNLIMITED_SENDS", "POOL_SEND_LIMIT", "contradict"}},
		{name: "bad unlimited switch", env: map[string]string{"ALLOW_UNLIMITED_SENDS": "always"}, wantErr: []string{"ALLOW_UNLIMITED_SENDS"}},
		{name: "bad pool limit", env: map[string]string{"POOL_SEND_LIMIT": "1000 per hour"}, wantErr: []string{"POOL_SEND_LIMIT", "COUNT/WINDOW"}},
		{name: "both SMS country settings", env: map[string]string{"SMS_ALLOWED_CALLING_CODES": "1", "SMS_ALLOW_ALL_COUNTRIES": "true"},
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES"}},
		{name: "every error at once", env: map[string]string{"OTP_LENGTH": "x", "OTP_TTL": "x", "OTP_CHANNEL": "x"},
			wantErr: []string{"OTP_LENGTH", "OTP_TTL", "OTP_CHANNEL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := passwordless.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, v := range tt.wantErr {
					if !strings.Contains(err.Error(), v) {
						t.Errorf("error %q does not name %s", err, v)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
			if _, err := passwordless.New(c); err != nil {
				t.Errorf("New: %v", err)
			}
		})
	}
}

func TestNewNeedsTheChannelsSenders(t *testing.T) {
	email, sms := passwordless.WithEmail(&outbox{}), passwordless.WithSMS(&outbox{})
	tests := []struct {
		channel passwordless.Channel
		opts    []passwordless.Option
		ok      bool
	}{
		{passwordless.ChannelEmail, []passwordless.Option{email}, true},
		{passwordless.ChannelSMS, []passwordless.Option{sms}, true},
		{passwordless.ChannelAuto, []passwordless.Option{email, sms}, true},
		{passwordless.ChannelEmail, []passwordless.Option{sms}, false},
		{passwordless.ChannelSMS, []passwordless.Option{email}, false},
		{passwordless.ChannelAuto, []passwordless.Option{email}, false},
		{passwordless.ChannelAuto, []passwordless.Option{sms}, false},
	}
	for _, tt := range tests {
		cfg := passwordless.Config{Flow: passwordless.DefaultFlowConfig(), AppName: "Example", Settings: notify.Settings{EmailFrom: "no-reply@example.com", SMSCountries: callingCodes("1")}, AllowUnlimitedSends: true, AllowPredictableDecoys: true}
		cfg.Flow.Channel = tt.channel
		_, err := passwordless.New(cfg, tt.opts...)
		if (err == nil) != tt.ok || err != nil && !strings.Contains(err.Error(), "OTP_CHANNEL") {
			t.Errorf("channel %s with %d senders: New = %v, want ok=%v", tt.channel, len(tt.opts), err, tt.ok)
		}
	}
}
