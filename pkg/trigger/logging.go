package trigger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// Outcomes written in the per-invocation log line. The failures (all but
// ok and denied) are also the kind dimension of the Errors metric.
// OutcomeUnrouted is a [Router]'s refusal of an event of a trigger it has no
// handler for, or of an unknown trigger source.
const (
	OutcomeOK       = "ok"
	OutcomeDenied   = "denied"
	OutcomeInvalid  = "invalid_event"
	OutcomeError    = "error"
	OutcomeTimeout  = "timeout"
	OutcomePanic    = "panic"
	OutcomeUnrouted = "unrouted"
)

type invocationKey struct{}

// invocation is what the context carries for [Logger].
type invocation struct {
	h   *Handler
	ev  Event
	ctx context.Context

	// logger is built by the first Logger call of the invocation.
	logger atomic.Pointer[slog.Logger]
}

// Logger returns the logger of the invocation ctx belongs to, with the
// trigger source, the request ID and the X-Ray trace ID (xray_trace_id,
// when the invocation has one) attached and the redaction of this package
// applied. Outside an invocation it returns slog.Default(). It is cheap:
// an invocation builds its logger once, and a record below the logger's
// level costs no formatting.
func Logger(ctx context.Context) *slog.Logger {
	inv, ok := ctx.Value(invocationKey{}).(*invocation)
	if !ok {
		return slog.Default()
	}
	if l := inv.logger.Load(); l != nil {
		return l
	}
	inv.logger.CompareAndSwap(nil, slog.New(&invocationHandler{inner: inv.h.cfg.logger.Handler(), inv: inv}))
	return inv.logger.Load()
}

// invocationHandler adds the trigger source and request ID of an
// invocation to the records its inner handler writes, when it writes them.
type invocationHandler struct {
	inner slog.Handler
	inv   *invocation
}

func (h *invocationHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *invocationHandler) Handle(ctx context.Context, r slog.Record) error {
	var buf [3]slog.Attr
	r = r.Clone()
	r.AddAttrs(h.appendAttrs(buf[:0])...)
	return h.inner.Handle(ctx, r)
}

func (h *invocationHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &invocationHandler{inner: h.inner.WithAttrs(attrs), inv: h.inv}
}

// WithGroup attaches the invocation's attributes first, so that they stay
// outside the group.
func (h *invocationHandler) WithGroup(name string) slog.Handler {
	return h.inner.WithAttrs(h.attrs()).WithGroup(name)
}

func (h *invocationHandler) attrs() []slog.Attr {
	return h.appendAttrs(make([]slog.Attr, 0, 3))
}

// appendAttrs appends the invocation's attributes to dst; Handle passes an
// array on its stack, as the record copies them.
func (h *invocationHandler) appendAttrs(dst []slog.Attr) []slog.Attr {
	dst = append(dst,
		slog.String("trigger_source", string(h.inv.ev.EventHeader().TriggerSource)),
		slog.String("request_id", requestID(h.inv.ctx)),
	)
	if id := traceID(h.inv.ctx); id != "" {
		dst = append(dst, slog.String("xray_trace_id", id))
	}
	return dst
}

// unknownTrigger is the trigger dimension of the metrics of an event whose
// trigger the router could not tell.
const unknownTrigger = "Unknown"

// end closes an invocation that ended with err: it records the
// invocation's metrics in coll, writes its log line, then its metrics.
// trig names the trigger ("" for an event of no trigger the router knows).
func (c *config) end(ctx context.Context, coll *metrics.Collector, trig string, start time.Time, reqID string, ev Event, err error) {
	dur := time.Since(start)
	outcome, level := classify(err)
	if c.metrics != nil {
		dim := metrics.Dim(metrics.DimTrigger, trig)
		if trig == "" {
			dim.Value = unknownTrigger
		}
		ms := float64(dur.Microseconds()) / 1000
		coll.Add(metrics.Duration, metrics.UnitMilliseconds, ms, dim)
		switch outcome {
		case OutcomeOK:
		case OutcomeDenied:
			coll.Add(metrics.Denials, metrics.UnitCount, 1, dim)
		default:
			coll.Add(metrics.Errors, metrics.UnitCount, 1, dim, metrics.Dim(metrics.DimKind, outcome))
		}
	}
	c.logInvocation(ctx, trig, dur, reqID, ev, err, outcome, level, coll)
	if c.metrics != nil {
		// A metric that cannot be written is lost; it never fails the
		// invocation, and standard output does not fail in Lambda.
		_ = c.metrics.Flush(coll, coldStart())
	}
}

// coldStarted is set by the first invocation of the process that writes
// metrics: the one place where this package keeps state of the process,
// because a cold start is a fact about the process.
var coldStarted atomic.Bool

// coldStart reports whether this is the first invocation of the process,
// once.
func coldStart() bool {
	return !coldStarted.Load() && coldStarted.CompareAndSwap(false, true)
}

// logInvocation writes the one log line of an invocation.
func (c *config) logInvocation(ctx context.Context, trig string, dur time.Duration, reqID string, ev Event, err error, outcome string, level slog.Level, coll *metrics.Collector) {
	if !c.plain.Enabled(ctx, level) {
		return
	}
	// Building the record here (PC 0) spares slog's caller lookup.
	rec := slog.NewRecord(time.Now(), level, "invocation", 0)
	rec.AddAttrs(slog.String("trigger", trig))
	if ev != nil {
		hd := ev.EventHeader()
		rec.AddAttrs(
			slog.String("trigger_source", string(hd.TriggerSource)),
			slog.String("user_pool_id", hd.UserPoolID),
			slog.String("client_id", hd.CallerContext.ClientID),
			slog.String("user", c.redactString("user", string(hd.UserName))),
		)
	}
	// The rest in one AddAttrs, which grows the record's storage once.
	var more [8]slog.Attr // request_id, xray_trace_id, duration_ms, outcome, two of the error, two of metrics
	n := 0
	add := func(a ...slog.Attr) { n += copy(more[n:], a) }
	add(slog.String("request_id", reqID))
	if id := traceID(ctx); id != "" {
		add(slog.String("xray_trace_id", id))
	}
	add(slog.Float64("duration_ms", float64(dur.Microseconds())/1000), slog.String("outcome", outcome))
	if err != nil {
		if d, ok := errors.AsType[*Denial](err); ok {
			add(slog.String("denial", d.message))
		} else if pe, ok := errors.AsType[*panicError](err); ok {
			add(slog.String("panic", panicText(pe.value)), slog.String("stack", string(pe.stack)))
		} else {
			add(slog.String("error", c.redactString("error", err.Error())))
		}
	}
	if c.metrics != nil {
		if problems, problem := coll.Problems(); problems > 0 {
			add(slog.Int("metrics_problems", problems), slog.String("metrics_problem", problem))
		}
	}
	rec.AddAttrs(more[:n]...)
	if ev != nil && c.plain.Enabled(ctx, slog.LevelDebug) {
		rec.AddAttrs(slog.Any("event", c.redact.redactJSON(ev)))
	}
	// The attributes are redacted already: skip the redacting handler.
	_ = c.plain.Handler().Handle(ctx, rec)
}

func (c *config) redactString(key, v string) string {
	s, _ := c.redact.str(key, v)
	return s
}

// classify names the outcome of err and the level of its log line.
func classify(err error) (string, slog.Level) {
	if err == nil {
		return OutcomeOK, slog.LevelInfo
	}
	if _, ok := err.(*unroutedError); ok {
		return OutcomeUnrouted, slog.LevelWarn
	}
	if _, ok := errors.AsType[*Denial](err); ok {
		return OutcomeDenied, slog.LevelInfo
	}
	if _, ok := errors.AsType[*InvalidEventError](err); ok {
		return OutcomeInvalid, slog.LevelWarn
	}
	if _, ok := errors.AsType[*panicError](err); ok {
		return OutcomePanic, slog.LevelError
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return OutcomeTimeout, slog.LevelError
	}
	return OutcomeError, slog.LevelError
}

// panicText describes a recovered panic value: an error or string by its
// text, anything else by its type only, so that a panic carrying a value
// (a code, a token) does not put it in the log.
func panicText(v any) string {
	switch x := v.(type) {
	case error:
		return x.Error()
	case string:
		return x
	}
	return fmt.Sprintf("panic value of type %T", v)
}

// traceKey is the context key under which aws-lambda-go puts the
// X-Ray trace header of an invocation (it sets _X_AMZN_TRACE_ID in the
// environment too, but only while the function serves one invocation at a
// time, so the context is the source that is always right).
const traceKey = "x-amzn-trace-id"

// traceID returns the X-Ray trace ID of the invocation ctx belongs to (the
// Root of the trace header, as Powertools logs it), or "" when there is
// none.
func traceID(ctx context.Context) string {
	h, _ := ctx.Value(traceKey).(string)
	for h != "" {
		var field string
		field, h, _ = strings.Cut(h, ";")
		if v, ok := strings.CutPrefix(strings.TrimSpace(field), "Root="); ok && v != "" && len(v) <= 64 {
			return v
		}
	}
	return ""
}

// requestID returns the Lambda request ID in ctx, or "".
func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}
