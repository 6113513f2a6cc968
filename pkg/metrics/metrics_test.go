package metrics_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
)

// flush writes what record records, as an invocation would, and returns
// the output and the collector's problems.
func flush(t *testing.T, coldStart bool, record func(ctx context.Context)) (string, int, string) {
	t.Helper()
	var c metrics.Collector
	c.Open()
	record(metrics.NewContext(context.Background(), &c))
	var buf bytes.Buffer
	e := metrics.NewEmitter(&buf, "Test/NS", "svc", "fn-name")
	if err := e.Flush(&c, coldStart); err != nil {
		t.Fatal(err)
	}
	n, problem := c.Problems()
	return buf.String(), n, problem
}

func TestRecords(t *testing.T) {
	type want struct {
		name  string
		dims  map[string]string
		total float64
		count int // values
	}
	tests := []struct {
		name     string
		record   func(ctx context.Context)
		docs     int
		want     []want
		dropped  int
		problem  string
		notInOut []string
	}{
		{"a count", func(ctx context.Context) {
			metrics.Count(ctx, "MyThing", metrics.Dim("plan", "free"))
		}, 1, []want{{"MyThing", map[string]string{"service": "svc", "plan": "free"}, 1, 1}}, 0, "", nil},
		{"a count twice adds up to one value", func(ctx context.Context) {
			metrics.Count(ctx, "MyThing")
			metrics.Count(ctx, "MyThing")
			metrics.Add(ctx, "MyThing", metrics.UnitCount, 3)
		}, 1, []want{{"MyThing", map[string]string{"service": "svc"}, 5, 1}}, 0, "", nil},
		{"another unit twice keeps both values", func(ctx context.Context) {
			metrics.Add(ctx, "Latency", metrics.UnitMilliseconds, 1.5)
			metrics.Add(ctx, "Latency", metrics.UnitMilliseconds, 2.5)
		}, 1, []want{{"Latency", nil, 4, 2}}, 0, "", nil},
		{"same dimension set shares a directive", func(ctx context.Context) {
			metrics.Count(ctx, metrics.SignUpsAllowed)
			metrics.Count(ctx, metrics.FederatedLinked)
			metrics.Count(ctx, metrics.CodesSent, metrics.Dim(metrics.DimChannel, metrics.ChannelEmail))
		}, 1, []want{{metrics.SignUpsAllowed, nil, 1, 1}, {metrics.FederatedLinked, nil, 1, 1}, {metrics.CodesSent, map[string]string{"channel": "email"}, 1, 1}}, 0, "", nil},
		{"clashing dimension values go to separate documents", func(ctx context.Context) {
			metrics.Count(ctx, metrics.SignUpsRefused, metrics.Dim(metrics.DimReason, metrics.ReasonDomainBlocked))
			metrics.Count(ctx, metrics.MessageFallbacks, metrics.Dim(metrics.DimReason, metrics.ReasonLanguage))
		}, 2, []want{
			{metrics.SignUpsRefused, map[string]string{"reason": "domain_blocked"}, 1, 1},
			{metrics.MessageFallbacks, map[string]string{"reason": "language"}, 1, 1}}, 0, "", nil},
		{"one metric under two dimension values", func(ctx context.Context) {
			metrics.Count(ctx, "Plans", metrics.Dim("plan", "free"))
			metrics.Count(ctx, "Plans", metrics.Dim("plan", "pro"))
		}, 2, []want{{"Plans", map[string]string{"plan": "free"}, 1, 1}, {"Plans", map[string]string{"plan": "pro"}, 1, 1}}, 0, "", nil},
		{"a metric named like another's dimension", func(ctx context.Context) {
			metrics.Count(ctx, "plan")
			metrics.Count(ctx, "Plans", metrics.Dim("plan", "free"))
		}, 2, []want{{"plan", nil, 1, 1}, {"Plans", map[string]string{"plan": "free"}, 1, 1}}, 0, "", nil},
		{"personal values are redacted", func(ctx context.Context) {
			metrics.Count(ctx, "A", metrics.Dim("who", "jane.doe@example.com"))
			metrics.Count(ctx, "B", metrics.Dim("who", "+15555550100"))
			metrics.Count(ctx, "C", metrics.Dim("who", "0f1e2d3c-0000-4000-8000-00000000000a"))
			metrics.Count(ctx, "D", metrics.Dim("who", "user135790"))
			metrics.Count(ctx, "E", metrics.Dim("who", strings.Repeat("a", 65)))
			metrics.Count(ctx, "F", metrics.Dim("who", "Jane Doe"))
			metrics.Count(ctx, "G", metrics.Dim("who", ""))
		}, 1, []want{{"A", map[string]string{"who": "redacted"}, 1, 1}, {"G", map[string]string{"who": "redacted"}, 1, 1}}, 7, "looks like a user's data",
			[]string{"jane", "5555550100", "0f1e2d3c", "135790", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Doe"}},
		{"a reason the catalog does not list becomes other", func(ctx context.Context) {
			metrics.Count(ctx, metrics.SignUpsRefused, metrics.Dim(metrics.DimReason, "made_up"))
		}, 1, []want{{metrics.SignUpsRefused, map[string]string{"reason": "other"}, 1, 1}}, 1, "not one the catalog lists", nil},
		{"a channel the catalog does not list becomes other", func(ctx context.Context) {
			metrics.Count(ctx, metrics.CodesSent, metrics.Dim(metrics.DimChannel, "pigeon"))
		}, 1, []want{{metrics.CodesSent, map[string]string{"channel": "other"}, 1, 1}}, 1, "not one the catalog lists", nil},
		{"a reason of one's own is a snake_case word", func(ctx context.Context) {
			metrics.Count(ctx, "Mine", metrics.Dim(metrics.DimReason, "NotSnake"))
			metrics.Count(ctx, "Yours", metrics.Dim(metrics.DimReason, "quota_reached"))
		}, 2, []want{{"Mine", map[string]string{"reason": "other"}, 1, 1}, {"Yours", map[string]string{"reason": "quota_reached"}, 1, 1}}, 1, "", nil},
		{"a catalog metric with other dimensions is dropped", func(ctx context.Context) {
			metrics.Count(ctx, metrics.CodesSent, metrics.Dim("email", "x"))
			metrics.Count(ctx, metrics.CodesSent)
			metrics.Add(ctx, metrics.CodesSent, metrics.UnitMilliseconds, 1, metrics.Dim(metrics.DimChannel, metrics.ChannelSMS))
			metrics.Count(ctx, metrics.SignUpsAllowed, metrics.Dim(metrics.DimReason, metrics.ReasonNoEmail))
		}, 0, nil, 4, "other dimensions or another unit", nil},
		{"catalog dimensions are written in the catalog's order", func(ctx context.Context) {
			metrics.Count(ctx, metrics.Errors, metrics.Dim(metrics.DimKind, metrics.KindPanic), metrics.Dim(metrics.DimTrigger, "PreSignUp"))
		}, 1, []want{{metrics.Errors, map[string]string{"trigger": "PreSignUp", "kind": "panic"}, 1, 1}}, 0, "", nil},
		{"bad names, units and values are dropped", func(ctx context.Context) {
			metrics.Count(ctx, "")
			metrics.Count(ctx, "1st")
			metrics.Count(ctx, "_aws")
			metrics.Count(ctx, "has space")
			metrics.Count(ctx, "X", metrics.Dim("service", "other"))
			metrics.Count(ctx, "X", metrics.Dim("a", "1"), metrics.Dim("a", "2"))
			metrics.Count(ctx, "X", metrics.Dim("X", "1"))
			metrics.Count(ctx, "X", metrics.Dim("bad-name", "1"))
			metrics.Add(ctx, "X", "Furlongs", 1)
			metrics.Add(ctx, "X", metrics.UnitNone, math.NaN())
			metrics.Add(ctx, "X", metrics.UnitNone, math.Inf(1))
			metrics.Add(ctx, "X", metrics.UnitNone, 1e200)
		}, 0, nil, 12, "metric name", nil},
		{"29 dimensions of one's own are taken, 30 are not", func(ctx context.Context) {
			metrics.Count(ctx, "Wide", dims(29)...)
			metrics.Count(ctx, "Wider", dims(30)...)
		}, 1, []want{{"Wide", map[string]string{"d28": "v"}, 1, 1}}, 1, "more than 29 dimensions", nil},
		{"more than 100 metrics are split", func(ctx context.Context) {
			for i := range 150 {
				metrics.Count(ctx, fmt.Sprintf("M%d", i))
			}
		}, 2, []want{{"M0", nil, 1, 1}, {"M149", nil, 1, 1}}, 0, "", nil},
		{"more than 100 values are split", func(ctx context.Context) {
			for range 250 {
				metrics.Add(ctx, "Latency", metrics.UnitMilliseconds, 1)
			}
		}, 3, []want{{"Latency", nil, 250, 250}}, 0, "", nil},
		{"records beyond the limit are dropped", func(ctx context.Context) {
			for i := range metrics.MaxRecords + 5 {
				metrics.Count(ctx, "Many", metrics.Dim("i", fmt.Sprintf("v%d", i)))
			}
		}, metrics.MaxRecords, nil, 5, "distinct metric records", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, dropped, problem := flush(t, false, tt.record)
			ms := metricstest.Check(t, []byte(out))
			if docs := strings.Count(out, "\n"); docs != tt.docs {
				t.Errorf("got %d documents, want %d:\n%s", docs, tt.docs, out)
			}
			for _, w := range tt.want {
				found := metricstest.Find(ms, w.name, w.dims)
				if len(found) == 0 {
					t.Errorf("no %s %v in:\n%s", w.name, w.dims, out)
					continue
				}
				total, n := 0.0, 0
				for _, m := range found {
					total += m.Sum()
					n += len(m.Values)
					if m.Namespace != "Test/NS" || m.Dims["service"] != "svc" {
						t.Errorf("%s: namespace %q service %q, want Test/NS and svc", w.name, m.Namespace, m.Dims["service"])
					}
				}
				if total != w.total || n != w.count {
					t.Errorf("%s %v: got total %v in %d values, want %v in %d", w.name, w.dims, total, n, w.total, w.count)
				}
			}
			if dropped != tt.dropped {
				t.Errorf("got %d problems (%q), want %d", dropped, problem, tt.dropped)
			}
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("got problem %q, want it to mention %q", problem, tt.problem)
			}
			for _, s := range tt.notInOut {
				if strings.Contains(out, s) {
					t.Errorf("output contains %q:\n%s", s, out)
				}
			}
		})
	}
}

func dims(n int) []metrics.Dimension {
	ds := make([]metrics.Dimension, n)
	for i := range ds {
		ds[i] = metrics.Dim(fmt.Sprintf("d%d", i), "v")
	}
	return ds
}

func TestColdStartHasADocumentOfItsOwn(t *testing.T) {
	out, _, _ := flush(t, true, func(ctx context.Context) { metrics.Count(ctx, "MyThing") })
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d documents, want 2:\n%s", len(lines), out)
	}
	cold := metricstest.Check(t, []byte(lines[0]))
	if len(cold) != 1 || cold[0].Name != metrics.ColdStart || cold[0].Sum() != 1 ||
		cold[0].Dims["function_name"] != "fn-name" || cold[0].Dims["service"] != "svc" {
		t.Errorf("got cold start document %+v, want ColdStart 1 under service svc and function_name fn-name", cold)
	}
}

func TestNothingRecordedWritesNothing(t *testing.T) {
	if out, _, _ := flush(t, false, func(context.Context) {}); out != "" {
		t.Errorf("got %q, want no output", out)
	}
}

func TestOutsideAnInvocationNothingHappens(t *testing.T) {
	var nilCtx context.Context
	for _, ctx := range []context.Context{context.Background(), nilCtx, metrics.NewContext(context.Background(), nil)} {
		metrics.Count(ctx, "MyThing")
		metrics.Add(ctx, "MyThing", metrics.UnitCount, 1)
	}
	var closed metrics.Collector
	closed.Add("MyThing", metrics.UnitCount, 1)
	var buf bytes.Buffer
	if err := metrics.NewEmitter(&buf, "", "", "").Flush(&closed, false); err != nil || buf.Len() != 0 {
		t.Errorf("a closed collector wrote %q (%v), want nothing", buf.String(), err)
	}
}

func TestRecordsAfterTheFlushAreDropped(t *testing.T) {
	var c metrics.Collector
	c.Open()
	c.Add("OnTime", metrics.UnitCount, 1)
	var buf bytes.Buffer
	e := metrics.NewEmitter(&buf, "", "", "")
	_ = e.Flush(&c, false)
	first := buf.String()
	c.Add("Late", metrics.UnitCount, 1)
	_ = e.Flush(&c, false)
	if !strings.Contains(first, `"OnTime":1`) || buf.String() != first {
		t.Errorf("got %q, want OnTime written once and nothing after", buf.String())
	}
	if err := e.Flush(nil, false); err != nil || buf.String() != first {
		t.Errorf("flushing no collector wrote %q (%v)", buf.String(), err)
	}
}

func TestEmitterFallsBackToDefaults(t *testing.T) {
	var c metrics.Collector
	c.Open()
	c.Add("X", metrics.UnitCount, 1)
	var buf bytes.Buffer
	_ = metrics.NewEmitter(&buf, "AWS/Lambda", "jane@example.com", "+15555550100").Flush(&c, true)
	ms := metricstest.Check(t, buf.Bytes())
	for _, m := range ms {
		if m.Namespace != metrics.DefaultNamespace || m.Dims["service"] != metrics.DefaultService {
			t.Errorf("got namespace %q service %q, want the defaults", m.Namespace, m.Dims["service"])
		}
		if _, ok := m.Dims["function_name"]; ok {
			t.Errorf("got function_name %q, want none for an unsafe name", m.Dims["function_name"])
		}
	}
}

func TestCheckNamespaceAndService(t *testing.T) {
	tests := []struct {
		name    string
		check   func(string) error
		value   string
		wantErr string
	}{
		{"namespace", metrics.CheckNamespace, "MyApp/Auth prod#1:x", ""},
		{"empty namespace", metrics.CheckNamespace, "", "not 1 to 255"},
		{"long namespace", metrics.CheckNamespace, strings.Repeat("n", 256), "not 1 to 255"},
		{"reserved namespace", metrics.CheckNamespace, "AWS/Lambda", "reserves"},
		{"namespace with a quote", metrics.CheckNamespace, `a"b`, "character"},
		{"service", metrics.CheckService, "pool-auth_1", ""},
		{"service with a space", metrics.CheckService, "my pool", "letters, digits"},
		{"service with digits", metrics.CheckService, "Stack-20261203-Triggers", ""},
		{"service with an @", metrics.CheckService, "jane@example.com", "letters, digits"},
		{"empty service", metrics.CheckService, "", "letters, digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(tt.value)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestSafeValue(t *testing.T) {
	tests := []struct {
		value string
		safe  bool
	}{
		{"free", true}, {"PreSignUp", true}, {"my-func_1.v2:a/b", true}, {"12345", true},
		{"", false}, {"123456", false}, {"a@b", false}, {"+1555", false}, {"two words", false},
		{"0F1E2D3C-0000-4000-8000-00000000000A", false}, {"x-0f1e2d3c-0000-4000-8000-00000000000a-y", false},
		{"é", false}, {strings.Repeat("a", 64), true}, {strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		if got := metrics.SafeValue(tt.value); got != tt.safe {
			t.Errorf("SafeValue(%q) = %v, want %v", tt.value, got, tt.safe)
		}
	}
}

func TestConcurrentRecords(t *testing.T) {
	out, _, _ := flush(t, false, func(ctx context.Context) {
		done := make(chan bool)
		for range 8 {
			go func() {
				for range 100 {
					metrics.Count(ctx, "Parallel")
				}
				done <- true
			}()
		}
		for range 8 {
			<-done
		}
	})
	if got := metricstest.Total(metricstest.Check(t, []byte(out)), "Parallel", nil); got != 800 {
		t.Errorf("got %v, want 800", got)
	}
}
