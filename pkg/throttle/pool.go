package throttle

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognitrig/cognitrig/internal/poollimit"
)

// PoolLimit caps the sends across all the users of one user pool: at
// most Count sends in each fixed window of Per. Windows follow each other
// from the Unix epoch: with a Per of 1h, each runs from one full hour
// (UTC) to the next. A fixed window is simple and atomic to count, but
// lets up to twice Count through in a span of Per that straddles two
// windows.
type PoolLimit struct {
	// Count is the most sends in a window, 1 to 1,000,000.
	Count int
	// Per is the length of a window, from 1m to 24h, in whole seconds.
	Per time.Duration
}

// DefaultPoolLimit returns the pool-wide limit a [Table] applies unless
// told otherwise: 1000 sends per hour.
func DefaultPoolLimit() PoolLimit {
	return PoolLimit{Count: poollimit.DefaultCount, Per: poollimit.DefaultWindow}
}

// String describes the limit, as in "1000 per 1h0m0s".
func (p PoolLimit) String() string { return fmt.Sprintf("%d per %v", p.Count, p.Per) }

// The bounds of a [PoolLimit].
const (
	maxPoolCount = poollimit.MaxCount
	minPoolPer   = poollimit.MinWindow
	maxPoolPer   = poollimit.MaxWindow
)

// check reports a PoolLimit out of bounds.
func (p PoolLimit) check() error {
	switch {
	case p.Count < 1 || p.Count > maxPoolCount:
		return fmt.Errorf("throttle: pool limit %v has Count %d; it must be 1 to %d", p, p.Count, maxPoolCount)
	case p.Per < minPoolPer || p.Per > maxPoolPer:
		return fmt.Errorf("throttle: pool limit %v has Per %v; it must be %v to %v", p, p.Per, minPoolPer, maxPoolPer)
	case p.Per%time.Second != 0:
		return fmt.Errorf("throttle: pool limit %v has Per %v; it must be whole seconds", p, p.Per)
	}
	return nil
}

// WithPoolLimit replaces [DefaultPoolLimit]. Its Count must be 1 to
// 1,000,000 and its Per from 1m to 24h, in whole seconds.
func WithPoolLimit(p PoolLimit) Option {
	return func(o *options) { o.pool = p }
}

// PoolLimit returns the pool-wide limit the table applies.
func (t *Table) PoolLimit() PoolLimit { return t.pool }

// poolWindow is the window of a PoolLimit that holds a moment.
type poolWindow struct {
	// start and end are Unix seconds: the window holds start <= s < end.
	start, end int64
}

// windowAt returns the window of p that holds now. p must have passed
// check.
func windowAt(p PoolLimit, now time.Time) poolWindow {
	per := int64(p.Per / time.Second)
	s := now.Unix()
	start := s - s%per
	if s%per < 0 { // before 1970: round down, not toward zero
		start -= per
	}
	return poolWindow{start: start, end: start + per}
}

// retryAfter is the time from now until the window ends.
func (w poolWindow) retryAfter(now time.Time) time.Duration {
	return max(time.Unix(w.end, 0).Sub(now), 0)
}

// poolKey is the key of the counter of a pool's window: the pool ID, the
// window's length and its start, all in plain text. The per-user keys are
// 64 hexadecimal digits, so the two never meet.
func poolKey(userPoolID string, p PoolLimit, w poolWindow) string {
	return "pool/" + userPoolID + "/" + strconv.FormatInt(int64(p.Per/time.Second), 10) + "/" + strconv.FormatInt(w.start, 10)
}

// poolAllows decides, from the count of sends stored for a window, whether
// p allows one more.
func poolAllows(p PoolLimit, count int64) bool { return count < int64(p.Count) }

// checkPoolID accepts what can be a user pool ID in a key.
func checkPoolID(id string) error {
	if id == "" || len(id) > 255 || !utf8.ValidString(id) {
		return errBadPoolID
	}
	for _, r := range id {
		if r < ' ' || r == 0x7f {
			return errBadPoolID
		}
	}
	return nil
}

// errBadPoolID is the Err of an *Error for a user pool ID that cannot be
// part of a key.
var errBadPoolID = errors.New("the user pool ID must be 1 to 255 bytes of printable UTF-8; pass the event's userPoolId")

// AllowPool records one send for the user pool userPoolID (the event's
// userPoolId) and returns nil when the pool-wide limit ([PoolLimit])
// allows it. It returns a [*Throttled] with Pool set when the window's
// sends are spent, recording nothing then, or a [*Error] when DynamoDB
// fails; the caller should then send nothing (fail closed). Ask it only
// for a message that is really sent, after the per-user [Table.Allow]
// (so that sends the per-user limit refuses do not spend the pool's); ask
// [Table.CheckPool] for a round that sends nothing. It honors ctx's
// deadline.
//
// It is one UpdateItem that adds 1 to the window's counter on the
// condition that it is below Count, so concurrent calls never let more
// than Count sends through in a window. A call whose write succeeded but
// whose answer was lost, and that the retries then repeat, counts one
// send twice: the count errs toward refusing, never toward sending.
func (t *Table) AllowPool(ctx context.Context, userPoolID string) error {
	if err := checkPoolID(userPoolID); err != nil {
		return &Error{Op: "AllowPool", Table: t.name, Err: err}
	}
	now := t.now()
	w := windowAt(t.pool, now)
	_, err := t.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(t.name),
		Key:                 map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: poolKey(userPoolID, t.pool, w)}},
		UpdateExpression:    aws.String("ADD #c :one SET #e = :expires"),
		ConditionExpression: aws.String("attribute_not_exists(#c) OR #c < :count"),
		ExpressionAttributeNames: map[string]string{
			"#c": attrCount,
			"#e": attrExpires,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one":     &types.AttributeValueMemberN{Value: "1"},
			":count":   &types.AttributeValueMemberN{Value: strconv.Itoa(t.pool.Count)},
			":expires": &types.AttributeValueMemberN{Value: strconv.FormatInt(w.end, 10)},
		},
	}, withRetryer(t.retryer))
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return t.poolThrottled(w, now)
	}
	return t.fail("UpdateItem", err, "")
}

// CheckPool reports, recording nothing, whether the pool-wide limit would
// refuse a send for the user pool userPoolID now: a [*Throttled] with Pool
// set when the window's sends are spent, nil when they are not, a
// [*Error] when DynamoDB fails or the counter cannot be read. A round
// that sends nothing (for an unknown user, say) asks it in place of
// [Table.AllowPool], so that it is refused exactly when a real send would
// be, without spending the pool's sends. It is one strongly consistent
// GetItem.
func (t *Table) CheckPool(ctx context.Context, userPoolID string) error {
	if err := checkPoolID(userPoolID); err != nil {
		return &Error{Op: "CheckPool", Table: t.name, Err: err}
	}
	now := t.now()
	w := windowAt(t.pool, now)
	out, err := t.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:                aws.String(t.name),
		Key:                      map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: poolKey(userPoolID, t.pool, w)}},
		ConsistentRead:           aws.Bool(true),
		ProjectionExpression:     aws.String("#c"),
		ExpressionAttributeNames: map[string]string{"#c": attrCount},
	}, withRetryer(t.retryer))
	if err != nil {
		return t.fail("GetItem", err, "")
	}
	var count int64
	if out.Item != nil {
		if count, err = t.number(out.Item, attrCount); err != nil {
			return err
		}
	}
	if !poolAllows(t.pool, count) {
		return t.poolThrottled(w, now)
	}
	return nil
}

// poolThrottled is the refusal of a send by the pool-wide limit in w.
func (t *Table) poolThrottled(w poolWindow, now time.Time) *Throttled {
	return &Throttled{RetryAfter: w.retryAfter(now), Limit: Limit{Count: t.pool.Count, Per: t.pool.Per}, Pool: true}
}
