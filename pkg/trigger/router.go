package trigger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// Router serves several triggers from one Lambda function. It reads the
// event's triggerSource (and, for pre token generation, its version) and
// hands the event to the Handler of that trigger. Bind the one function to
// every trigger it serves. A Router is safe for concurrent use.
type Router struct {
	routes map[route]*Handler
	cfg    *config
}

var _ lambda.Handler = (*Router)(nil)

// NewRouter returns a Router over handlers. Two handlers for the same
// trigger (or, for pre token generation, the same event version family)
// are an error. The router logs events it cannot route with the first
// handler's logger.
func NewRouter(handlers ...*Handler) (*Router, error) {
	if len(handlers) == 0 {
		return nil, fmt.Errorf("trigger.NewRouter: no handlers; pass at least one")
	}
	r := &Router{routes: make(map[route]*Handler, len(handlers)), cfg: handlers[0].cfg}
	for _, h := range handlers {
		if h == nil {
			return nil, fmt.Errorf("trigger.NewRouter: nil handler")
		}
		if _, dup := r.routes[h.route]; dup {
			return nil, fmt.Errorf("trigger.NewRouter: two handlers for %s; pass one", h.route)
		}
		r.routes[h.route] = h
	}
	return r, nil
}

// Invoke routes the event to its handler. An event no handler takes gets an
// [InvalidEventError] naming the triggers the router serves.
func (r *Router) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	start := time.Now()
	env, err := readHead(payload)
	if err != nil {
		return r.reject(ctx, start, err.Error())
	}
	k := Source(env.source).Kind()
	if k == "" {
		return r.unrouted(ctx, start, k, fmt.Sprintf("unknown trigger source %q; this function serves %s", clip(env.source), r.served()))
	}
	rt := route{kind: k, v2: k == KindPreTokenGeneration && isV2(env.version)}
	h, ok := r.routes[rt]
	if !ok {
		return r.unrouted(ctx, start, k, fmt.Sprintf("no handler for %s; this function serves %s", rt, r.served()))
	}
	return h.invoke(ctx, start, payload)
}

// reject refuses a payload that is not an event.
func (r *Router) reject(ctx context.Context, start time.Time, reason string) ([]byte, error) {
	err := &InvalidEventError{Reason: reason}
	r.end(ctx, start, "", err)
	return nil, err
}

// unrouted refuses an event of trigger k (or of no trigger it knows) that
// no handler takes.
func (r *Router) unrouted(ctx context.Context, start time.Time, k Kind, reason string) ([]byte, error) {
	err := &InvalidEventError{Reason: reason}
	r.end(ctx, start, k, &unroutedError{err})
	return nil, err
}

// end logs an event the router refused and writes its metrics.
func (r *Router) end(ctx context.Context, start time.Time, k Kind, err error) {
	var coll metrics.Collector
	coll.Open()
	r.cfg.end(ctx, &coll, string(k), start, requestID(ctx), nil, err)
}

// unroutedError marks an event refused because no handler of the router
// takes it: its outcome is unrouted.
type unroutedError struct{ err *InvalidEventError }

func (e *unroutedError) Error() string { return e.err.Error() }
func (e *unroutedError) Unwrap() error { return e.err }

// served lists the routes, for error messages.
func (r *Router) served() string {
	names := make([]string, 0, len(r.routes))
	for rt := range r.routes {
		names = append(names, rt.String())
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
