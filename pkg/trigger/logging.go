package trigger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
}

// Logger returns the logger of the invocation ctx belongs to, with the
// trigger source and request ID attached and the redaction of this package
// applied. Outside an invocation it returns slog.Default().
func Logger(ctx context.Context) *slog.Logger {
	inv, ok := ctx.Value(invocationKey{}).(*invocation)
	if !ok {
		return slog.Default()
	}
	hd := inv.ev.EventHeader()
	return inv.h.cfg.logger.With(
		slog.String("trigger_source", string(hd.TriggerSource)),
		slog.String("request_id", requestID(inv.ctx)),
	)
}

// logInvocation writes the one log line of an invocation.
func (c *config) logInvocation(ctx context.Context, k Kind, start time.Time, reqID string, ev Event, err error) {
	outcome, level := classify(err)
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs, slog.String("trigger", string(k)))
	if ev != nil {
		hd := ev.EventHeader()
		attrs = append(attrs,
			slog.String("trigger_source", string(hd.TriggerSource)),
			slog.String("user_pool_id", hd.UserPoolID),
			slog.String("client_id", hd.CallerContext.ClientID),
			slog.String("user", string(hd.UserName)),
		)
	}
	attrs = append(attrs,
		slog.String("request_id", reqID),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("outcome", outcome),
	)
	var pe *panicError
	var d *Denial
	switch {
	case err == nil:
	case errors.As(err, &d):
		attrs = append(attrs, slog.String("denial", d.message))
	case errors.As(err, &pe):
		attrs = append(attrs, slog.String("panic", panicText(pe.value)), slog.String("stack", string(pe.stack)))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if ev != nil && c.logger.Enabled(ctx, slog.LevelDebug) {
		attrs = append(attrs, slog.Any("event", ev))
	}
	c.logger.LogAttrs(ctx, level, "invocation", attrs...)
}

// classify names the outcome of err and the level of its log line.
func classify(err error) (string, slog.Level) {
	var d *Denial
	var ie *InvalidEventError
	var pe *panicError
	switch {
	case err == nil:
		return OutcomeOK, slog.LevelInfo
	case errors.As(err, &d):
		return OutcomeDenied, slog.LevelInfo
	case errors.As(err, &ie):
		return OutcomeInvalid, slog.LevelWarn
	case errors.As(err, &pe):
		return OutcomePanic, slog.LevelError
	case errors.Is(err, context.DeadlineExceeded):
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
