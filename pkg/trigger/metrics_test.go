package trigger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// TestInvocationMetrics checks the metrics the adapter writes for each
// outcome: Duration always, Errors by kind for failures, Denials for a
// refusal, and what the handler recorded.
func TestInvocationMetrics(t *testing.T) {
	valid := string(triggertest.Load(t, preSignUpFixture))
	tests := []struct {
		name    string
		payload string
		fn      func(context.Context, *trigger.PreSignUpEvent) error
		kind    string // of Errors, "" for none
	}{
		{"ok", valid, func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
			metrics.Count(ctx, "MyThing", metrics.Dim("plan", "free"))
			return nil
		}, ""},
		{"denied", valid, func(context.Context, *trigger.PreSignUpEvent) error { return trigger.Deny("No.") }, ""},
		{"error", valid, func(context.Context, *trigger.PreSignUpEvent) error { return errors.New("boom") }, "error"},
		{"panic", valid, func(context.Context, *trigger.PreSignUpEvent) error { panic("boom") }, "panic"},
		{"timeout", valid, func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
			<-ctx.Done()
			return ctx.Err()
		}, "timeout"},
		{"invalid event", `{"triggerSource":"PreSignUp_SignUp"}`, func(context.Context, *trigger.PreSignUpEvent) error { return nil }, "invalid_event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			h := trigger.PreSignUp(tt.fn, quiet, trigger.WithMetricsWriter(&out), trigger.WithBudget(50*time.Millisecond, time.Millisecond))
			_, _ = triggertest.Invoke(h, []byte(tt.payload))
			ms := metricstest.Check(t, out.Bytes())
			if d := metricstest.Find(ms, metrics.Duration, map[string]string{"service": "cognitrig", "trigger": "PreSignUp"}); len(d) != 1 || d[0].Unit != "Milliseconds" || d[0].Namespace != "cognitrig" {
				t.Errorf("got Duration %+v, want one in Milliseconds under trigger PreSignUp:\n%s", d, out.String())
			}
			errs := metricstest.Find(ms, metrics.Errors, nil)
			switch {
			case tt.kind == "" && len(errs) > 0:
				t.Errorf("got Errors %+v, want none", errs)
			case tt.kind != "" && (len(errs) != 1 || errs[0].Dims["kind"] != tt.kind || errs[0].Dims["trigger"] != "PreSignUp" || errs[0].Sum() != 1):
				t.Errorf("got Errors %+v, want 1 of kind %s", errs, tt.kind)
			}
			wantDenials := 0.0
			if tt.name == "denied" {
				wantDenials = 1
			}
			if got := metricstest.Total(ms, metrics.Denials, map[string]string{"trigger": "PreSignUp"}); got != wantDenials {
				t.Errorf("got Denials %v, want %v:\n%s", got, wantDenials, out.String())
			}
			if tt.name == "ok" && metricstest.Total(ms, "MyThing", map[string]string{"plan": "free"}) != 1 {
				t.Errorf("the handler's own metric is missing:\n%s", out.String())
			}
		})
	}
}

func TestRouterMetrics(t *testing.T) {
	var out bytes.Buffer
	r, err := trigger.NewRouter(trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, quiet, trigger.WithMetricsWriter(&out)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		payload []byte
		trigger string
		kind    string
	}{
		{"no handler", triggertest.Load(t, eventsDir+"/custommessage/CustomMessage_SignUp.json"), "CustomMessage", "unrouted"},
		{"unknown source", []byte(`{"triggerSource":"Bogus_Source","request":{}}`), "Unknown", "unrouted"},
		{"not JSON", []byte(`{`), "Unknown", "invalid_event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			if _, err := triggertest.Invoke(r, tt.payload); !errors.As(err, new(*trigger.InvalidEventError)) {
				t.Fatalf("got %v, want an invalid event error", err)
			}
			ms := metricstest.Check(t, out.Bytes())
			if got := metricstest.Total(ms, metrics.Errors, map[string]string{"trigger": tt.trigger, "kind": tt.kind}); got != 1 {
				t.Errorf("got Errors %v for trigger %s kind %s, want 1:\n%s", got, tt.trigger, tt.kind, out.String())
			}
		})
	}
}

// TestMetricsFollowTheLogLine writes the log and the metrics to one
// writer, as Lambda does with standard output, and checks the order.
func TestMetricsFollowTheLogLine(t *testing.T) {
	trigger.ResetColdStart()
	var out bytes.Buffer
	h := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil },
		trigger.WithLogger(trigger.NewLogger(&out, nil)), trigger.WithMetricsWriter(&out))
	for range 2 {
		if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 5 (log, ColdStart, metrics, log, metrics):\n%s", len(lines), out.String())
	}
	for i, want := range []string{`"msg":"invocation"`, `"ColdStart":1`, `"Duration":`, `"msg":"invocation"`, `"Duration":`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s, want it to contain %s", i+1, lines[i], want)
		}
	}
	if strings.Contains(lines[4], "ColdStart") {
		t.Errorf("the second invocation wrote ColdStart again: %s", lines[4])
	}
}

func TestWithoutMetrics(t *testing.T) {
	var out bytes.Buffer
	h := trigger.PreSignUp(func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
		metrics.Count(ctx, "MyThing")
		return nil
	}, quiet, trigger.WithMetricsWriter(&out), trigger.WithoutMetrics())
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("got metrics %s, want none", out.String())
	}
}

func TestMetricProblemsAreLogged(t *testing.T) {
	logs, opt := logBuffer()
	var out bytes.Buffer
	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		metrics.Count(ctx, "Signups", metrics.Dim("email", ev.Request.UserAttributes["email"]))
		metrics.Count(ctx, "bad name")
		return nil
	}, opt, trigger.WithMetricsWriter(&out))
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["metrics_problems"] != 2.0 || !strings.Contains(line["metrics_problem"].(string), "personal data") {
		t.Errorf("got metrics_problems %v, metrics_problem %v; want 2 and the first problem", line["metrics_problems"], line["metrics_problem"])
	}
	if strings.Contains(out.String(), "@") {
		t.Errorf("the email reached the metrics: %s", out.String())
	}
}

func TestMetricsSettingsFromEnv(t *testing.T) {
	env := map[string]string{"POWERTOOLS_METRICS_NAMESPACE": "MyApp/Auth", "POWERTOOLS_SERVICE_NAME": "pool-a"}
	opts, err := trigger.OptionsFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	h := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, append(opts, quiet, trigger.WithMetricsWriter(&out))...)
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	for _, m := range metricstest.Check(t, out.Bytes()) {
		if m.Namespace != "MyApp/Auth" || m.Dims["service"] != "pool-a" {
			t.Errorf("got %s in namespace %q with service %q, want MyApp/Auth and pool-a", m.Name, m.Namespace, m.Dims["service"])
		}
	}
	env["POWERTOOLS_METRICS_DISABLED"] = "TRUE"
	if opts, err = trigger.OptionsFromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	h = trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, append([]trigger.Option{quiet, trigger.WithMetricsWriter(&out)}, opts...)...)
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("POWERTOOLS_METRICS_DISABLED=TRUE, but metrics were written: %s", out.String())
	}
}

// The kinds of Errors are the failure outcomes of the log line, so that a
// metric and the log lines behind it use one word.
func TestErrorKindsAreOutcomes(t *testing.T) {
	for _, p := range [][2]string{
		{trigger.OutcomeInvalid, metrics.KindInvalidEvent},
		{trigger.OutcomeError, metrics.KindError},
		{trigger.OutcomeTimeout, metrics.KindTimeout},
		{trigger.OutcomePanic, metrics.KindPanic},
		{trigger.OutcomeUnrouted, metrics.KindUnrouted},
	} {
		if p[0] != p[1] {
			t.Errorf("outcome %q and metric kind %q differ", p[0], p[1])
		}
	}
}
