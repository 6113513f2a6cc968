package userpool

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// API is the part of the Cognito user-pool client that this package uses;
// *cognitoidentityprovider.Client implements it. The check for members the
// SDK cannot represent needs the real client: a test double that ignores
// the option functions skips it.
type API interface {
	DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error)
	UpdateUserPool(context.Context, *cip.UpdateUserPoolInput, ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error)
}

// ErrPoolNotFound is wrapped by the errors of a call on a user pool that
// does not exist (Cognito's ResourceNotFoundException).
var ErrPoolNotFound = errors.New("user pool not found")

// UnknownMembersError reports a pool that holds members the AWS SDK for Go
// in this build cannot represent, anywhere in DescribeUserPool's UserPool
// object: the SDK drops them as it reads, so writing the pool back would
// delete them, and nothing was written.
type UnknownMembersError struct {
	PoolID string
	// Members are the paths of the unknown members from the pool, sorted:
	// "FutureSetting" at the top, "LambdaConfig.PreFutureTrigger" or
	// "EmailConfiguration.FutureOption" in a nested object, and
	// "SchemaAttributes[].FutureFlag" in the elements of a list.
	Members []string
}

func (e *UnknownMembersError) Error() string {
	return fmt.Sprintf("user pool %s has settings that this build cannot represent (%s); "+
		"writing the pool would delete them, so nothing was changed: upgrade cognitrig (its AWS SDK for Go "+
		"cognitoidentityprovider module) to a release that knows them",
		e.PoolID, strings.Join(e.Members, ", "))
}

// Change is what Modify or Bind did, or under DryRun would have done.
type Change struct {
	PoolID  string
	PoolARN string
	// Before is the pool's LambdaConfig as read; After is the one written,
	// or that would be written.
	Before, After types.LambdaConfigType
	// Changed reports that the request differs from the pool (its
	// LambdaConfig, or for Modify anything the edit changed, such as tags).
	Changed bool
	// Written reports that UpdateUserPool was called and succeeded.
	Written bool
	// Attempts is the number of times the pool was read.
	Attempts int
	// Notes say what Hold left as it is, and what it took over, in the
	// last attempt.
	Notes []Note
}

// Option configures Modify and Bind.
type Option func(*options)

type options struct {
	dryRun   bool
	attempts int
	backoff  time.Duration
}

// DryRun computes the change without writing it. The refusal of unknown
// members still applies, so that a dry run fails where the real one would.
func DryRun() Option { return func(o *options) { o.dryRun = true } }

// WithRetries sets how many times in all an update is tried when Cognito
// answers ConcurrentModificationException (default 4), and the first
// back-off, doubled after each attempt, with full jitter (default 200ms).
func WithRetries(attempts int, backoff time.Duration) Option {
	return func(o *options) { o.attempts, o.backoff = attempts, backoff }
}

func buildOptions(opts []Option) options {
	o := options{attempts: 4, backoff: 200 * time.Millisecond}
	for _, opt := range opts {
		opt(&o)
	}
	o.attempts = max(o.attempts, 1)
	return o
}

// Edit changes in, the complete request that UpdateInput built from pool,
// before Modify sends it. Modify calls it again with a fresh pool on each
// attempt; it must not keep state across calls.
type Edit func(pool *types.UserPoolType, in *cip.UpdateUserPoolInput) error

// Modify reads the pool, builds the complete request that leaves it as it
// is (UpdateInput), lets edit change it, and writes it when it differs from
// the pool. It refuses to write when the pool has members the SDK cannot
// represent, at any depth (*UnknownMembersError). When another writer changed
// the pool meanwhile (ConcurrentModificationException) it starts again from
// the read; see WithRetries. It stops when ctx ends.
func Modify(ctx context.Context, api API, poolID string, edit Edit, opts ...Option) (Change, error) {
	o := buildOptions(opts)
	for attempt := 1; ; attempt++ {
		ch, in, err := prepare(ctx, api, poolID, edit)
		ch.Attempts = attempt
		if err != nil || !ch.Changed || o.dryRun {
			return ch, err
		}
		_, err = api.UpdateUserPool(ctx, in)
		if err == nil {
			ch.Written = true
			return ch, nil
		}
		if apiErr, ok := errors.AsType[smithy.APIError](err); !ok || apiErr.ErrorCode() != "ConcurrentModificationException" {
			return ch, fmt.Errorf("update user pool %s: %w", poolID, wrapNotFound(err))
		}
		if attempt >= o.attempts {
			return ch, fmt.Errorf("update user pool %s: other writers kept changing the pool (%d attempts); nothing was changed, try again: %w",
				poolID, attempt, err)
		}
		d := o.backoff << (attempt - 1)
		t := time.NewTimer(time.Duration(rand.Int64N(int64(d) + 1)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ch, fmt.Errorf("update user pool %s: %w after a concurrent modification", poolID, ctx.Err())
		case <-t.C:
		}
	}
}

// prepare reads the pool and returns the change and the request of one
// attempt.
func prepare(ctx context.Context, api API, poolID string, edit Edit) (Change, *cip.UpdateUserPoolInput, error) {
	ch := Change{PoolID: poolID}
	pool, unknown, err := describe(ctx, api, poolID)
	if err != nil {
		return ch, nil, err
	}
	ch.PoolARN = aws.ToString(pool.Arn)
	if pool.LambdaConfig != nil {
		ch.Before = *pool.LambdaConfig
	}
	base, err := UpdateInput(pool)
	if err != nil {
		return ch, nil, err
	}
	in, _ := UpdateInput(pool)
	if err := edit(pool, in); err != nil {
		return ch, nil, err
	}
	if in.LambdaConfig != nil {
		ch.After = *in.LambdaConfig
	}
	ch.Changed = !reflect.DeepEqual(base, in)
	if ch.Changed && len(unknown) > 0 {
		return ch, nil, &UnknownMembersError{PoolID: poolID, Members: unknown}
	}
	return ch, in, nil
}

// Bind sets the bindings in set and empties the slots in clear, in the
// pool's LambdaConfig, and writes the pool back complete (see Modify). It
// writes nothing when the pool already has what was asked. The bindings
// are checked (Validate) before anything is read.
func Bind(ctx context.Context, api API, poolID string, set []Binding, clear []Slot, opts ...Option) (Change, error) {
	if err := Validate(set, clear); err != nil {
		return Change{PoolID: poolID}, err
	}
	return Modify(ctx, api, poolID, func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		_, err := Apply(in.LambdaConfig, set, clear)
		return err
	}, opts...)
}

// Show returns the pool's LambdaConfig. When the pool has members the SDK
// cannot represent, it returns what the SDK read together with an
// *UnknownMembersError.
func Show(ctx context.Context, api API, poolID string) (types.LambdaConfigType, error) {
	pool, unknown, err := describe(ctx, api, poolID)
	if err != nil {
		return types.LambdaConfigType{}, err
	}
	var lc types.LambdaConfigType
	if pool.LambdaConfig != nil {
		lc = *pool.LambdaConfig
	}
	if len(unknown) > 0 {
		return lc, &UnknownMembersError{PoolID: poolID, Members: unknown}
	}
	return lc, nil
}

// describe reads the pool and lists the members of the raw response's pool
// that the SDK cannot represent.
func describe(ctx context.Context, api API, poolID string) (*types.UserPoolType, []string, error) {
	var raw []byte
	out, err := api.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)}, captureBody(&raw))
	if err != nil {
		return nil, nil, fmt.Errorf("describe user pool %s: %w", poolID, wrapNotFound(err))
	}
	if out.UserPool == nil {
		return nil, nil, fmt.Errorf("describe user pool %s: the response holds no pool", poolID)
	}
	unknown, err := unknownMembers(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("describe user pool %s: %w", poolID, err)
	}
	return out.UserPool, unknown, nil
}

// wrapNotFound adds ErrPoolNotFound to a ResourceNotFoundException.
func wrapNotFound(err error) error {
	if _, ok := errors.AsType[*types.ResourceNotFoundException](err); ok {
		return fmt.Errorf("%w: %w", ErrPoolNotFound, err)
	}
	return err
}
