package trigger

import (
	"context"
	"sync"
	"time"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// budgetDeadline returns when the handler's context ends: margin before
// Cognito's limit (for synchronous triggers, counted from start) or margin
// before the Lambda deadline in ctx, whichever comes first. It is zero when
// neither applies.
func (c *config) budgetDeadline(ctx context.Context, start time.Time, k Kind) time.Time {
	var deadline time.Time
	if k.Synchronous() {
		deadline = start.Add(c.budget - c.margin)
	}
	if d, ok := ctx.Deadline(); ok {
		d = d.Add(-c.margin)
		if deadline.IsZero() || d.Before(deadline) {
			deadline = d
		}
	}
	return deadline
}

// invocationContext is the context a handler runs under. It carries the
// invocation (for [Logger]), its metrics collector (for metrics.Add) and
// the deadline budget.
//
// It behaves like context.WithDeadline, but starts its timer only when
// somebody asks for Done: a handler that never waits on its context (most
// decision code) pays for no timer, and the adapter stays cheaper than
// aws-lambda-go's plain path.
type invocationContext struct {
	context.Context // the parent
	inv             invocation
	metrics         metrics.Collector
	metricsOn       bool
	deadline        time.Time // zero: no deadline of its own

	mu   sync.Mutex
	done chan struct{}
	err  error
	stop func() // stops the timer and the parent watch, once Done started them
}

// newInvocationContext returns the context of an invocation of h, with a
// deadline of its own unless deadline is zero. Its metrics collector is open
// when h writes metrics.
func newInvocationContext(parent context.Context, h *Handler, ev Event, deadline time.Time) *invocationContext {
	c := &invocationContext{Context: parent, deadline: deadline}
	c.inv.h, c.inv.ev, c.inv.ctx = h, ev, parent
	if h != nil && h.cfg.metrics != nil {
		c.metricsOn = true
		c.metrics.Open()
	}
	return c
}

func (c *invocationContext) Deadline() (time.Time, bool) {
	if c.deadline.IsZero() {
		return c.Context.Deadline()
	}
	return c.deadline, true
}

func (c *invocationContext) Value(key any) any {
	switch key.(type) {
	case invocationKey:
		return &c.inv
	case metrics.ContextKey:
		if !c.metricsOn {
			return nil
		}
		return &c.metrics
	}
	return c.Context.Value(key)
}

func (c *invocationContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != nil {
		return c.done
	}
	c.done = make(chan struct{})
	if c.err == nil {
		c.err = c.expired()
	}
	if c.err != nil {
		close(c.done)
		return c.done
	}
	stopParent := context.AfterFunc(c.Context, func() { c.cancel(c.Context.Err()) })
	var timer *time.Timer
	if !c.deadline.IsZero() {
		timer = time.AfterFunc(time.Until(c.deadline), func() { c.cancel(context.DeadlineExceeded) })
	}
	c.stop = func() {
		stopParent()
		if timer != nil {
			timer.Stop()
		}
	}
	return c.done
}

func (c *invocationContext) Err() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if err := c.expired(); err != nil {
		c.cancel(err)
		return c.Err()
	}
	return nil
}

// expired returns the error the context should end with now, if any.
func (c *invocationContext) expired() error {
	if !c.deadline.IsZero() && !time.Now().Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return c.Context.Err()
}

// cancel ends the context with err, if it has not ended yet, and stops its
// timer.
func (c *invocationContext) cancel(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	if c.stop != nil {
		c.stop()
	}
}
