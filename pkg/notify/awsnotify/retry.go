package awsnotify

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Retry says how a sender retries. The zero value of a field takes its
// default.
type Retry struct {
	// MaxAttempts is the most attempts per message, the first included.
	// Default 5; the deadline budget usually stops earlier.
	MaxAttempts int
	// BaseDelay is the first back-off, doubled on each retry, with full
	// jitter. Default 50ms.
	BaseDelay time.Duration
	// MaxDelay caps one back-off. Default 500ms.
	MaxDelay time.Duration
	// MinAttempt is the time an attempt is given at least: a retry is made
	// only while the deadline leaves MaxDelay + MinAttempt. Default 250ms.
	MinAttempt time.Duration
}

func (r Retry) withDefaults() Retry {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 5
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 50 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 500 * time.Millisecond
	}
	if r.MaxDelay < r.BaseDelay {
		r.MaxDelay = r.BaseDelay
	}
	if r.MinAttempt <= 0 {
		r.MinAttempt = 250 * time.Millisecond
	}
	return r
}

// reserve is the time the deadline must leave for one more attempt.
func (r Retry) reserve() time.Duration { return r.MaxDelay + r.MinAttempt }

// extraThrottleCodes are throttling codes the SDK's standard retryer does
// not know: SNS answers "Throttled" (HTTP 400) when a rate is exceeded.
var extraThrottleCodes = map[string]struct{}{
	"Throttled":     {},
	"KMSThrottling": {},
}

// Retryer is the retryer a sender shares across its calls: the SDK's
// standard retryer (its retryable errors and its retry quota, the token
// bucket) with a short back-off and SNS's throttling codes. Build one per
// sender with [NewRetryer], and give each call its own [Call]. It is safe
// for concurrent use.
type Retryer struct {
	std     aws.RetryerV2
	reserve time.Duration
}

// NewRetryer returns the retryer of policy p, its zero fields set to
// their defaults.
func NewRetryer(p Retry) *Retryer {
	p = p.withDefaults()
	std := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = p.MaxAttempts
		o.MaxBackoff = p.MaxDelay
		o.Backoff = jitter{base: p.BaseDelay, max: p.MaxDelay}
		o.Retryables = append(o.Retryables, retry.RetryableErrorCode{Codes: extraThrottleCodes})
		o.Throttles = append(o.Throttles, retry.ThrottleErrorCode{Codes: extraThrottleCodes})
	})
	return &Retryer{std: std, reserve: p.reserve()}
}

// Call returns the retryer of one SDK call. Install it as the call's
// Retryer, with RetryMaxAttempts 0 so that its own limit applies, and pass
// it to [Call.Classify] when the call fails.
func (r *Retryer) Call() *Call {
	return &Call{RetryerV2: r.std, reserve: r.reserve}
}

// jitter is exponential back-off with full jitter.
type jitter struct{ base, max time.Duration }

func (j jitter) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	d := j.max
	if attempt < 20 {
		d = min(j.base<<attempt, j.max)
	}
	return time.Duration(rand.Int64N(int64(d) + 1)), nil
}

// errNoBudget ends the retries when the deadline is near.
var errNoBudget = errors.New("not enough time left in the deadline budget for another attempt")

// Call is the per-call view of a shared [Retryer]: it counts the attempts
// of one call and refuses a retry when the context's deadline leaves less
// than the policy's MaxDelay + MinAttempt.
type Call struct {
	aws.RetryerV2
	reserve  time.Duration
	attempts atomic.Int32
	budget   atomic.Bool
}

// GetAttemptToken counts an attempt and asks the shared retryer for it.
func (c *Call) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	c.attempts.Add(1)
	return c.RetryerV2.GetAttemptToken(ctx)
}

// GetRetryToken refuses a retry that ctx's deadline leaves no time for,
// and asks the shared retryer otherwise.
func (c *Call) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < c.reserve {
		c.budget.Store(true)
		return nil, errNoBudget
	}
	return c.RetryerV2.GetRetryToken(ctx, opErr)
}
