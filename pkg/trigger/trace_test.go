package trigger_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// TestTraceIDInEveryLogLine checks that the invocation line and the
// records of trigger.Logger carry the request ID and the X-Ray trace ID
// that aws-lambda-go puts in the context, and no trace ID when there is
// none.
func TestTraceIDInEveryLogLine(t *testing.T) {
	tests := []struct {
		name   string
		header any // the context value; nil for none
		want   string
	}{
		{"lambda's header", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "1-5759e988-bd862e3fe1be46a994272793"},
		{"root last", "Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272794", "1-5759e988-bd862e3fe1be46a994272794"},
		{"no header", nil, ""},
		{"empty header", "", ""},
		{"no root", "Parent=53995c3f42cd8ad8;Sampled=0", ""},
		{"not a string", 42, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, opt := logBuffer()
			h := trigger.PreSignUp(func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
				trigger.Logger(ctx).Info("from the handler")
				trigger.Logger(ctx).WithGroup("g").Info("in a group", "k", "v")
				return nil
			}, opt)
			ctx, cancel := triggertest.Context(5e9)
			defer cancel()
			if tt.header != nil {
				ctx = context.WithValue(ctx, "x-amzn-trace-id", tt.header) //nolint:staticcheck // aws-lambda-go's key
			}
			if _, err := h.Invoke(ctx, triggertest.Load(t, preSignUpFixture)); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("got %d log lines, want 3:\n%s", len(lines), logs)
			}
			for _, l := range lines {
				var line map[string]any
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatal(err)
				}
				if line["request_id"] != triggertest.RequestID {
					t.Errorf("request_id = %v, want %s: %s", line["request_id"], triggertest.RequestID, l)
				}
				got, ok := line["xray_trace_id"]
				switch {
				case tt.want == "" && ok:
					t.Errorf("xray_trace_id = %v, want none: %s", got, l)
				case tt.want != "" && got != tt.want:
					t.Errorf("xray_trace_id = %v, want %s: %s", got, tt.want, l)
				}
			}
		})
	}
}

// TestEveryAttributeOfAFailedLine checks the fullest invocation line: a
// panic, a trace ID and a metric problem together.
func TestEveryAttributeOfAFailedLine(t *testing.T) {
	logs, opt := logBuffer()
	h := trigger.PreSignUp(func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
		metrics.Count(ctx, "bad name")
		panic("boom")
	}, opt, trigger.WithMetricsWriter(io.Discard))
	ctx, cancel := triggertest.Context(5e9)
	defer cancel()
	ctx = context.WithValue(ctx, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793") //nolint:staticcheck // aws-lambda-go's key
	_, _ = h.Invoke(ctx, triggertest.Load(t, preSignUpFixture))
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"request_id", "xray_trace_id", "duration_ms", "outcome", "panic", "stack", "metrics_problems", "metrics_problem"} {
		if _, ok := line[k]; !ok {
			t.Errorf("the line has no %s: %s", k, logs)
		}
	}
}
