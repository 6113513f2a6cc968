package trigger

import "context"

// Next is the untyped form of a handler that middleware wraps. The event is
// one of this package's event types, already decoded and checked; a
// middleware may read and change it.
type Next func(ctx context.Context, ev Event) error

// Middleware wraps a handler. It returns the error of next, or its own.
// Return a [Denial] to refuse the operation with a message for the end
// user.
type Middleware func(next Next) Next

// chain wraps h in mw, the first element outermost.
func chain(h Next, mw []Middleware) Next {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
