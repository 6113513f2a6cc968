package trigger

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
)

// loggedPair writes the same records through a jsonHandler and through
// slog.JSONHandler, and returns both outputs.
type loggedPair struct {
	fast, std       bytes.Buffer
	fastLog, stdLog *slog.Logger
}

func newLoggedPair(level slog.Leveler) *loggedPair {
	p := &loggedPair{}
	p.fastLog = slog.New(newJSONHandler(&p.fast, level))
	p.stdLog = slog.New(slog.NewJSONHandler(&p.std, &slog.HandlerOptions{Level: level}))
	return p
}

// record builds the same record for both loggers, at a fixed time.
func record(t time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(t, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

// decisionValue is a LogValuer like the decisions the passwordless flow
// logs.
type decisionValue struct{ reason, to string }

func (d decisionValue) LogValue() slog.Value {
	return slog.GroupValue(slog.String("reason", d.reason), slog.String("destination", d.to), slog.Bool("send", true))
}

func TestJSONHandlerMatchesSlog(t *testing.T) {
	at := time.Date(2026, 12, 3, 13, 36, 55, 333827034, time.UTC)
	tests := []struct {
		name  string
		rec   slog.Record
		with  []slog.Attr
		group string
	}{
		{name: "invocation line", rec: record(at, slog.LevelInfo, "invocation",
			slog.String("trigger", "CreateAuthChallenge"), slog.String("user", "0f1e2d3c"), slog.String("request_id", "r-1"),
			slog.Float64("duration_ms", 0.606), slog.String("outcome", "ok"), slog.Int("metrics_problems", 2))},
		{name: "no time", rec: record(time.Time{}, slog.LevelWarn, "m")},
		{name: "custom level", rec: record(at, slog.LevelInfo+2, "m")},
		{name: "year out of range", rec: record(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "m")},
		{name: "zone", rec: record(at.In(time.FixedZone("X", -5*3600-30*60)), slog.LevelInfo, "m")},
		{name: "escapes", rec: record(at, slog.LevelError, "a\"b\\c\nd\re\tf\x00g\x1fh\x7f<>&",
			slog.String("k\"ey", "\u2028\u2029 é 日本 \xff\xfe x"), slog.String("", "empty key"))},
		{name: "long plain and escapes past eight bytes", rec: record(at, slog.LevelInfo, strings.Repeat("abcdefgh", 5)+"\"",
			slog.String("s", strings.Repeat("0123456\x01", 3)+strings.Repeat("é", 9)))},
		{name: "numbers", rec: record(at, slog.LevelInfo, "n",
			slog.Int64("i", math.MinInt64), slog.Uint64("u", math.MaxUint64), slog.Bool("b", false), slog.Duration("d", 1500*time.Millisecond),
			slog.Float64("f0", 0), slog.Float64("neg0", math.Copysign(0, -1)), slog.Float64("tiny", 1e-7), slog.Float64("small", 1e-6),
			slog.Float64("big", 1e21), slog.Float64("below big", 999999999999999999999), slog.Float64("e-300", -1.5e-300), slog.Float64("max", math.MaxFloat64))},
		{name: "nan falls back", rec: record(at, slog.LevelInfo, "n", slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(-1)))},
		{name: "groups", rec: record(at, slog.LevelInfo, "g",
			slog.Group("decision", slog.String("reason", "start"), slog.Group("inner", slog.Int("n", 1)), slog.Group("empty")),
			slog.Group("", slog.String("inlined", "yes")),
			slog.Group("elided", slog.Group("all", slog.Group("gone"))),
			slog.Any("valuer", decisionValue{"start", "j***@e***.com"}),
			slog.Attr{})},
		{name: "any falls back", rec: record(at, slog.LevelInfo, "a", slog.String("first", "x"), slog.Any("m", map[string]int{"a": 1}), slog.Any("err", errors.New("boom")))},
		{name: "time falls back", rec: record(at, slog.LevelInfo, "t", slog.Time("when", at))},
		{name: "with attrs", with: []slog.Attr{slog.String("a", "1"), slog.Group("g", slog.Int("n", 2))}, rec: record(at, slog.LevelInfo, "w", slog.String("b", "2"))},
		{name: "with attrs only std writes", with: []slog.Attr{slog.Any("m", []int{1})}, rec: record(at, slog.LevelInfo, "w", slog.String("b", "2"))},
		{name: "with group", group: "grp", with: []slog.Attr{slog.String("a", "1")}, rec: record(at, slog.LevelInfo, "w", slog.String("b", "2"))},
		{name: "with group, no attributes", group: "grp", rec: record(at, slog.LevelInfo, "w")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newLoggedPair(nil)
			fast, std := p.fastLog.Handler(), p.stdLog.Handler()
			if tt.group != "" {
				fast, std = fast.WithGroup(tt.group), std.WithGroup(tt.group)
			}
			fast, std = fast.WithAttrs(tt.with), std.WithAttrs(tt.with)
			if err := fast.Handle(context.Background(), tt.rec); err != nil {
				t.Fatalf("jsonHandler: %v", err)
			}
			if err := std.Handle(context.Background(), tt.rec); err != nil {
				t.Fatalf("slog.JSONHandler: %v", err)
			}
			if p.fast.String() != p.std.String() {
				t.Errorf("jsonHandler wrote\n%s\nslog.JSONHandler wrote\n%s", p.fast.String(), p.std.String())
			}
		})
	}
}

func TestJSONHandlerLevel(t *testing.T) {
	tests := []struct {
		level slog.Leveler
		at    slog.Level
		want  bool
	}{
		{nil, slog.LevelInfo, true},
		{nil, slog.LevelDebug, false},
		{slog.LevelWarn, slog.LevelInfo, false},
		{slog.LevelWarn, slog.LevelError, true},
		{slog.LevelDebug, slog.LevelDebug, true},
	}
	for _, tt := range tests {
		h := newJSONHandler(io.Discard, tt.level)
		if got := h.Enabled(context.Background(), tt.at); got != tt.want {
			t.Errorf("level %v: Enabled(%v) = %v, want %v", tt.level, tt.at, got, tt.want)
		}
	}
}

func TestPlainJSON8(t *testing.T) {
	// Every byte in every position of an otherwise plain word.
	for pos := range 8 {
		for c := range 256 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			want := c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
			if got := plainJSON8(load8(string(w))); got != want {
				t.Fatalf("plainJSON8(%q) = %v, want %v", w, got, want)
			}
		}
	}
}

// FuzzJSONHandler writes records of fuzzed strings and numbers through
// both handlers and requires the same bytes.
func FuzzJSONHandler(f *testing.F) {
	f.Add("invocation", "user", "j***@e***.com", int64(3), 0.606, true)
	f.Add("a\"b", "\u2028", "\xff\x00\n", int64(-1), 1e-7, false)
	f.Add("", "", "", int64(0), 1e21, false)
	f.Fuzz(func(t *testing.T, msg, key, val string, n int64, fl float64, b bool) {
		at := time.Unix(0, n).UTC()
		rec := record(at, slog.Level(n%16), msg,
			slog.String(key, val), slog.Int64(val, n), slog.Float64(key, fl), slog.Bool(msg, b),
			slog.Group(key, slog.String(msg, val), slog.Group(val)), slog.Duration("d", time.Duration(n)))
		p := newLoggedPair(slog.LevelDebug - 8)
		_ = p.fastLog.Handler().Handle(context.Background(), rec)
		_ = p.stdLog.Handler().Handle(context.Background(), rec)
		if p.fast.String() != p.std.String() {
			t.Errorf("jsonHandler wrote\n%q\nslog.JSONHandler wrote\n%q", p.fast.String(), p.std.String())
		}
	})
}

// BenchmarkJSONHandler compares the invocation line through both handlers.
func BenchmarkJSONHandler(b *testing.B) {
	attrs := []slog.Attr{
		slog.String("trigger", "CreateAuthChallenge"), slog.String("trigger_source", "CreateAuthChallenge_Authentication"),
		slog.String("user_pool_id", "us-east-1_EXAMPLE01"), slog.String("client_id", "1example23456789abcdefghij"),
		slog.String("user", "0f1e2d3c-0000-4000-8000-00000000000a"), slog.String("request_id", "00000000-0000-4000-8000-triggertest0"),
		slog.Float64("duration_ms", 0.606), slog.String("outcome", "ok"),
	}
	for _, h := range []struct {
		name string
		h    slog.Handler
	}{
		{"jsonHandler", newJSONHandler(io.Discard, nil)},
		{"slog.JSONHandler", slog.NewJSONHandler(io.Discard, nil)},
	} {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := slog.NewRecord(time.Now(), slog.LevelInfo, "invocation", 0)
				rec.AddAttrs(attrs...)
				if err := h.h.Handle(context.Background(), rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
