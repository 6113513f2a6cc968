package passwordless_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/passwordlessenv"
	"github.com/cognitrig/cognitrig/pkg/throttle"
)

// ConfigFromEnv checks SEND_THROTTLE_TABLE, APP_NAME and APP_URL without
// packages throttle and message, which link the AWS SDK and the
// templates; it must accept what they accept, and APP_* with the same
// words as the custom message trigger.
func TestConfigAgreesWithThrottleAndMessage(t *testing.T) {
	for _, table := range []string{"ab", "abc", strings.Repeat("a", 255), strings.Repeat("a", 256), "send-throttle_1.v2", "send/throttle", "send throttle", "tablé", "table:1"} {
		_, err := passwordless.ConfigFromEnv(func(k string) string { return map[string]string{"SEND_THROTTLE_TABLE": table}[k] })
		if want := throttle.CheckTableName(table); (err == nil) != (want == nil) {
			t.Errorf("SEND_THROTTLE_TABLE=%q: ConfigFromEnv = %v, throttle.CheckTableName = %v", table, err, want)
		}
	}
	apps := []struct{ name, url string }{
		{"Example", ""},
		{"Example App", "https://app.example.com/"},
		{strings.Repeat("ü", passwordlessenv.MaxAppName), "http://localhost:3000"},
		{strings.Repeat("a", passwordlessenv.MaxAppName+1), ""},
		{"Example\tApp", ""},
		{"Example  App", ""},
		{"Example\u200bApp", ""},
		{"Example", "app.example.com"},
		{"Example", "ftp://app.example.com"},
		{"Example", "https://user@app.example.com"},
		{"Example", "https://app.example.com/a b"},
		{"Example", "https://app.example.com/<b>"},
		{"Example", "https://"},
	}
	for _, a := range apps {
		env := map[string]string{"APP_NAME": a.name, "APP_URL": a.url}
		getenv := func(k string) string { return env[k] }
		got, err := passwordless.ConfigFromEnv(getenv)
		want, wantErr := message.ConfigFromEnv(getenv)
		switch {
		case (err == nil) != (wantErr == nil):
			t.Errorf("APP_NAME=%q APP_URL=%q: ConfigFromEnv = %v, message.ConfigFromEnv = %v", a.name, a.url, err, wantErr)
		case err != nil && err.Error() != wantErr.Error():
			t.Errorf("APP_NAME=%q APP_URL=%q: ConfigFromEnv says %q, message.ConfigFromEnv %q", a.name, a.url, err, wantErr)
		case err == nil && (got.AppName != want.AppName || got.AppURL != want.AppURL):
			t.Errorf("APP_NAME=%q APP_URL=%q: ConfigFromEnv reads %q %q, message.ConfigFromEnv %q %q", a.name, a.url, got.AppName, got.AppURL, want.AppName, want.AppURL)
		}
	}
}
