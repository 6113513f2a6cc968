package throttle

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// The retries of one DynamoDB call.
const (
	retryAttempts = 3
	retryBase     = 25 * time.Millisecond
	retryMax      = 200 * time.Millisecond
	// retryCall is the time ctx's deadline must leave for a retry besides
	// its back-off.
	retryCall = 100 * time.Millisecond
	// retryAfterMax is the longest wait that DynamoDB may ask for with the
	// x-amz-retry-after header (which the SDK honors, up to seconds) before
	// a retry; beyond it the call fails.
	retryAfterMax = time.Second
)

// newRetryer builds the retryer a Table shares across its calls: the SDK's
// standard retryer (its retryable errors and retry quota) with few attempts
// and a short back-off.
func newRetryer() aws.RetryerV2 {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = retryAttempts
		o.MaxBackoff = retryMax
		o.Backoff = jitter{}
	})
}

// jitter is exponential back-off from retryBase up to retryMax, with full
// jitter.
type jitter struct{}

func (jitter) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	d := retryMax
	if attempt < 10 {
		d = min(retryBase<<attempt, retryMax)
	}
	return time.Duration(rand.Int64N(int64(d) + 1)), nil
}

// errNoBudget ends the retries when the deadline is near.
var errNoBudget = errors.New("not enough time left before the deadline for another attempt")

// errWaitTooLong ends the retries when DynamoDB asks for a long wait.
var errWaitTooLong = errors.New("DynamoDB asked to wait too long before another attempt")

// deadlineRetryer refuses a retry when ctx's deadline leaves too little
// time for the back-off and a call, or DynamoDB asks for a long wait.
type deadlineRetryer struct{ aws.RetryerV2 }

func (r deadlineRetryer) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	wait := retryMax
	if asked, ok := retryAfterHeader(opErr); ok {
		if asked > retryAfterMax {
			return nil, errWaitTooLong
		}
		wait = max(wait, asked)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait+retryCall {
		return nil, errNoBudget
	}
	return r.RetryerV2.GetRetryToken(ctx, opErr)
}

// retryAfterHeader returns the wait that the answer behind err asks for
// with the x-amz-retry-after header (milliseconds), if any.
func retryAfterHeader(err error) (time.Duration, bool) {
	re, ok := errors.AsType[*awshttp.ResponseError](err)
	if !ok || re.Response == nil || re.Response.Response == nil {
		return 0, false
	}
	ms, perr := strconv.ParseInt(re.Response.Header.Get("X-Amz-Retry-After"), 10, 64)
	if perr != nil || ms < 0 {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

// withRetryer installs r on one call, whatever the client was built with.
func withRetryer(r aws.RetryerV2) func(*dynamodb.Options) {
	return func(o *dynamodb.Options) {
		o.Retryer = deadlineRetryer{r}
		o.RetryMaxAttempts = 0 // the retryer's own limit applies
	}
}
