package trigger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Outcomes written in the per-invocation log line.
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
// trigger source and request ID attached and the redaction of this package
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
	r = r.Clone()
	r.AddAttrs(h.attrs()...)
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
	return []slog.Attr{
		slog.String("trigger_source", string(h.inv.ev.EventHeader().TriggerSource)),
		slog.String("request_id", requestID(h.inv.ctx)),
	}
}

// logInvocation writes the one log line of an invocation.
func (c *config) logInvocation(ctx context.Context, k Kind, start time.Time, reqID string, ev Event, err error) {
	outcome, level := classify(err)
	if !c.plain.Enabled(ctx, level) {
		return
	}
	// Building the record here (PC 0) spares slog's caller lookup.
	rec := slog.NewRecord(time.Now(), level, "invocation", 0)
	rec.AddAttrs(slog.String("trigger", string(k)))
	if ev != nil {
		hd := ev.EventHeader()
		rec.AddAttrs(
			slog.String("trigger_source", string(hd.TriggerSource)),
			slog.String("user_pool_id", hd.UserPoolID),
			slog.String("client_id", hd.CallerContext.ClientID),
			slog.String("user", c.redactString("user", string(hd.UserName))),
		)
	}
	rec.AddAttrs(
		slog.String("request_id", reqID),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("outcome", outcome),
	)
	if err != nil {
		if d, ok := errors.AsType[*Denial](err); ok {
			rec.AddAttrs(slog.String("denial", d.message))
		} else if pe, ok := errors.AsType[*panicError](err); ok {
			rec.AddAttrs(slog.String("panic", panicText(pe.value)), slog.String("stack", string(pe.stack)))
		} else {
			rec.AddAttrs(slog.String("error", c.redactString("error", err.Error())))
		}
	}
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

// requestID returns the Lambda request ID in ctx, or "".
func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}
