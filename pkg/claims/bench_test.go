package claims_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// benchEnv is the environment the benchmarks build the function from: the
// examples of docs/pretoken.md, the configuration the golden files under
// testdata/golden were made with.
var benchEnv = map[string]string{
	claims.EnvIDTokenClaimsFromAttributes: "custom:tenant=tenant_id,locale",
	claims.EnvAccessTokenScopesByGroup:    "admins=example-api/admin example-api/write;editors=example-api/write;readers=example-api/read openid",
	claims.EnvSuppressClaims:              "phone_number",
}

// BenchmarkPreToken measures the pre token generation function of
// triggers/pretoken (claims.FromEnv: a router over the version 1 and the
// version 2/3 handlers), invoked through the router the way Lambda
// invokes it. It is built as FromEnv builds it, but for the logger: the
// deployed one (JSON at level Info) writes to io.Discard, so that the log
// line of every invocation is formatted but nothing prints.
//
// The version 1 event runs with the same environment, so each invocation
// also logs the warning that version 1 events cannot take the scopes of
// ACCESS_TOKEN_SCOPES_BY_GROUP, as the deployed function would.
func BenchmarkPreToken(b *testing.B) {
	tests := []struct {
		name    string
		fixture string // under events/, and its golden file under testdata/golden
	}{
		{"v2/Authentication", "pretokengen-v2/TokenGeneration_Authentication.json"},
		{"v1/Authentication", "pretokengen-v1/TokenGeneration_Authentication.json"},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			h := benchRouter(b, benchEnv)
			payload := triggertest.Load(b, filepath.Join(eventsDir, tt.fixture))
			ctx, cancel := triggertest.Context(1 << 40)
			defer cancel()

			// Check once that the function does its work, so that the loop
			// cannot measure an error path: the response is the golden
			// one, and the same as FromEnv's own router answers.
			out, err := h.Invoke(ctx, payload)
			if err != nil {
				b.Fatalf("Invoke: %v", err)
			}
			benchCheckGolden(b, out, tt.fixture)
			ref, err := claims.FromEnv(getenv(withLogLevel(benchEnv, "error")))
			if err != nil {
				b.Fatalf("FromEnv: %v", err)
			}
			refOut, err := triggertest.Invoke(ref, payload)
			if err != nil {
				b.Fatalf("FromEnv's router: Invoke: %v", err)
			}
			if same, err := triggertest.Equivalent(out, refOut); err != nil || !same {
				b.Fatalf("answer:\n%s\ndiffers from the answer of FromEnv's router:\n%s", out, refOut)
			}

			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				if _, err := h.Invoke(ctx, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchRouter builds the function from env as claims.FromEnv does, with a
// logger that discards.
func benchRouter(b *testing.B, env map[string]string) *trigger.Router {
	b.Helper()
	cfg, err := claims.ConfigFromEnv(getenv(env))
	if err != nil {
		b.Fatalf("ConfigFromEnv: %v", err)
	}
	c, err := claims.New(cfg)
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	quiet := trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))
	r, err := trigger.NewRouter(trigger.PreTokenGeneration(c.HandleV1, quiet), trigger.PreTokenGenerationV2(c.HandleV2, quiet))
	if err != nil {
		b.Fatalf("NewRouter: %v", err)
	}
	return r
}

// withLogLevel returns a copy of env with LOG_LEVEL set.
func withLogLevel(env map[string]string, level string) map[string]string {
	env = maps.Clone(env)
	env["LOG_LEVEL"] = level
	return env
}

// benchCheckGolden fails the benchmark when the response of out is not the
// one in the fixture's golden file.
func benchCheckGolden(b *testing.B, out []byte, fixture string) {
	b.Helper()
	var ev struct {
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(out, &ev); err != nil {
		b.Fatalf("the answer is not an event: %v", err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "golden", fixture))
	if err != nil {
		b.Fatal(err)
	}
	if ok, err := triggertest.Equivalent(ev.Response, want); err != nil || !ok {
		b.Fatalf("response = %s, want the golden %s (err %v)", ev.Response, want, err)
	}
}
