package trigger

import (
	"context"
	"time"
)

// budget returns the context the handler runs under: it ends margin before
// Cognito's limit (for synchronous triggers, counted from start) or margin
// before the Lambda deadline in ctx, whichever comes first.
func (c *config) budgetContext(ctx context.Context, start time.Time, k Kind) (context.Context, context.CancelFunc) {
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
	if deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, deadline)
}
