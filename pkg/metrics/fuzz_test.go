package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
)

// FuzzEncoder records metrics with arbitrary names, units, values and
// dimensions and checks that whatever the Collector takes is written as
// valid EMF, and that no dimension value the sanitizer refuses reaches the
// output.
func FuzzEncoder(f *testing.F) {
	f.Add("MyThing", "Count", 1.0, "plan", "free", "reason", "quota", 3)
	f.Add("SignUpsRefused", "Count", 1.0, "reason", "domain_blocked", "", "", 1)
	f.Add("Latency", "Milliseconds", 2.5, "who", "jane@example.com", "phone", "+15555550100", 150)
	f.Add("CodesSent", "Count", 1.0, "channel", "email", "channel", "sms", 2)
	f.Add("plan", "None", -0.0, "plan", "0f1e2d3c-0000-4000-8000-00000000000a", "x", "\"}\n", 5)
	f.Add("Errors", "Count", math.NaN(), "kind", "panic", "trigger", "PreSignUp", 1)
	f.Fuzz(func(t *testing.T, name, unit string, value float64, d1, v1, d2, v2 string, repeat int) {
		var c metrics.Collector
		c.Open()
		ctx := metrics.NewContext(context.Background(), &c)
		repeat = max(1, min(repeat%300, 300))
		for i := range repeat {
			dims := []metrics.Dimension{metrics.Dim(d1, v1)}
			if i%2 == 1 {
				dims = append(dims, metrics.Dim(d2, v2))
			}
			if i%3 == 2 {
				dims = dims[:0]
			}
			metrics.Add(ctx, name, metrics.Unit(unit), value+float64(i%7), dims...)
			metrics.Count(ctx, name+"X", metrics.Dim(d2, v2))
		}
		var buf bytes.Buffer
		if err := metrics.NewEmitter(&buf, "Fuzz", "svc", "fn").Flush(&c, true); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if _, err := metricstest.Parse(out); err != nil {
			t.Fatal(err)
		}
		// Every dimension value written is safe.
		for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
			var root map[string]any
			if err := json.Unmarshal(line, &root); err != nil {
				t.Fatal(err)
			}
			for k, v := range root {
				if s, ok := v.(string); ok && !metrics.SafeValue(s) {
					t.Fatalf("member %q has the unsafe value %q:\n%s", k, s, line)
				}
			}
		}
		for _, v := range []string{v1, v2} {
			if !metrics.SafeValue(v) && strings.Contains(string(out), `:"`+v+`"`) {
				t.Fatalf("the unsafe value %q reached the output:\n%s", v, out)
			}
		}
	})
}
