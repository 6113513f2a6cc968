package trigger

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestInvocationContextBehavesLikeWithDeadline(t *testing.T) {
	tests := []struct {
		name     string
		deadline time.Duration // from now; 0 means none of its own
		cancel   bool          // cancel the parent
		wantErr  error
	}{
		{"own deadline passes", 20 * time.Millisecond, false, context.DeadlineExceeded},
		{"parent cancelled", time.Hour, true, context.Canceled},
		{"no deadline, parent cancelled", 0, true, context.Canceled},
		{"deadline already passed", -time.Millisecond, false, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		for _, waitFirst := range []bool{true, false} {
			t.Run(tt.name, func(t *testing.T) {
				parent, cancelParent := context.WithCancel(context.Background())
				defer cancelParent()
				var d time.Time
				if tt.deadline != 0 {
					d = time.Now().Add(tt.deadline)
				}
				c := newInvocationContext(parent, nil, nil, d)
				defer c.cancel(context.Canceled)
				if tt.deadline > 0 {
					if err := c.Err(); err != nil {
						t.Fatalf("Err before the end = %v, want nil", err)
					}
				}
				if tt.cancel {
					cancelParent()
				}
				if waitFirst {
					select {
					case <-c.Done():
					case <-time.After(5 * time.Second):
						t.Fatal("Done never closed")
					}
				} else {
					for deadline := time.Now().Add(5 * time.Second); c.Err() == nil; {
						if time.Now().After(deadline) {
							t.Fatal("Err never became non-nil")
						}
						time.Sleep(time.Millisecond)
					}
					<-c.Done() // closed at once once Err is set
				}
				if err := c.Err(); !errors.Is(err, tt.wantErr) {
					t.Errorf("Err = %v, want %v", err, tt.wantErr)
				}
			})
		}
	}
}

func TestInvocationContextDeadlineAndValues(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "v"), time.Hour)
	defer cancel()
	d := time.Now().Add(time.Minute)
	c := newInvocationContext(parent, nil, nil, d)
	if got, ok := c.Deadline(); !ok || !got.Equal(d) {
		t.Errorf("Deadline = %v %v, want %v", got, ok, d)
	}
	if c.Value(key{}) != "v" {
		t.Error("parent value lost")
	}
	if _, ok := c.Value(invocationKey{}).(*invocation); !ok {
		t.Error("no invocation in the context")
	}
	none := newInvocationContext(parent, nil, nil, time.Time{})
	if got, _ := none.Deadline(); got != mustDeadline(parent) {
		t.Errorf("without a deadline of its own, Deadline = %v, want the parent's", got)
	}
	// A child context derived from it ends with it.
	child, cancelChild := context.WithCancel(c)
	defer cancelChild()
	c.cancel(context.Canceled)
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("child context not cancelled")
	}
}

func mustDeadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}
