package passwordless_test

import (
	"strings"
	"testing"
	"time"

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

// ConfigFromEnv checks POOL_SEND_LIMIT without package throttle; what it
// accepts, throttle.New must accept as the table's PoolLimit, and what
// it refuses for its bounds, throttle.New must refuse.
func TestPoolSendLimitAgreesWithThrottle(t *testing.T) {
	for _, v := range []string{"1/1m", "1000/1h", "1000000/24h", "1000001/1h", "0/1h", "10/59s", "10/24h1s", "10/90s", "10/90.5s", "10/1h30m"} {
		_, err := passwordless.ConfigFromEnv(func(k string) string { return map[string]string{"POOL_SEND_LIMIT": v}[k] })
		count, window, _ := strings.Cut(v, "/")
		n := 0
		for _, c := range count {
			n = n*10 + int(c-'0')
		}
		d, perr := time.ParseDuration(window)
		if perr != nil {
			t.Fatal(perr)
		}
		_, want := throttle.New(fakeDynamoDB{}, "sends", throttle.WithPoolLimit(throttle.PoolLimit{Count: n, Per: d}))
		if (err == nil) != (want == nil) {
			t.Errorf("POOL_SEND_LIMIT=%s: ConfigFromEnv = %v, throttle.New = %v", v, err, want)
		}
	}
}

// fakeDynamoDB is a throttle.API that is never called.
type fakeDynamoDB struct{ throttle.API }
