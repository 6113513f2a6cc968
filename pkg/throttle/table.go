package throttle

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/tablename"
)

// API is the part of *dynamodb.Client that a [Table] uses: GetItem and
// PutItem for the per-user limits, UpdateItem and GetItem for the
// pool-wide one. Tests pass a fake to inject failures.
type API interface {
	GetItem(ctx context.Context, params *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, params *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, params *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// methods is an API over the three methods of a *dynamodb.Client, so
// that a Table built by NewFromConfig keeps those methods and not the
// client: see NewFromConfig.
type methods struct {
	getItem    func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	putItem    func(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	updateItem func(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

func (m methods) GetItem(ctx context.Context, params *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return m.getItem(ctx, params, optFns...)
}

func (m methods) PutItem(ctx context.Context, params *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return m.putItem(ctx, params, optFns...)
}

func (m methods) UpdateItem(ctx context.Context, params *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return m.updateItem(ctx, params, optFns...)
}

// The attribute names of an item; see the package documentation.
const (
	attrKey     = "pk"
	attrSends   = "sends"
	attrVersion = "version"
	attrExpires = "expires"
	// attrWriter holds a random token of the Allow call that wrote the
	// item, so that the call knows its own write (see Allow).
	attrWriter = "writer"
	// attrCount is the sends of a pool's window.
	attrCount = "count"
)

// conflictAttempts is the most reads and decisions of one Allow: the first
// and the re-reads after a conditional write lost a race.
const conflictAttempts = 3

// Table enforces send limits with a DynamoDB table: per user ([Table.Allow],
// [DefaultLimits]) and across a user pool ([Table.AllowPool],
// [DefaultPoolLimit]). Make one with [New]; it is safe for concurrent use.
type Table struct {
	client  API
	name    string
	limits  []Limit
	pool    PoolLimit
	longest time.Duration
	now     func() time.Time
	retryer aws.RetryerV2
}

// Option configures a [Table].
type Option func(*options)

type options struct {
	limits []Limit
	pool   PoolLimit
	now    func() time.Time
}

// WithLimits replaces [DefaultLimits]. Each limit's Count must be 1 to 100
// and its Per from 1ms to 24h.
func WithLimits(limits ...Limit) Option {
	return func(o *options) { o.limits = slices.Clone(limits) }
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// New returns a Table that keeps its items in the DynamoDB table named
// table, through client, which the caller builds once and reuses. It makes
// no network call. It fails when client is nil, the name breaks DynamoDB's
// naming rules (3 to 255 letters, digits, "_", "-" and ".") or a limit is
// out of bounds, with an error naming the problem. Options: [WithLimits],
// [WithPoolLimit], [WithClock].
func New(client API, table string, opts ...Option) (*Table, error) {
	o := options{limits: DefaultLimits(), pool: DefaultPoolLimit(), now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if client == nil {
		return nil, errors.New("throttle: the DynamoDB client is nil; pass one built with dynamodb.NewFromConfig")
	}
	if err := CheckTableName(table); err != nil {
		return nil, err
	}
	if err := checkLimits(o.limits); err != nil {
		return nil, err
	}
	if err := o.pool.check(); err != nil {
		return nil, err
	}
	if o.now == nil {
		return nil, errors.New("throttle: the clock is nil; pass a function to WithClock, or leave it out for time.Now")
	}
	t := &Table{client: client, name: table, limits: o.limits, pool: o.pool, now: o.now, retryer: newRetryer()}
	for _, l := range o.limits {
		t.longest = max(t.longest, l.Per)
	}
	return t, nil
}

// NewFromConfig is [New] over a DynamoDB client built from awscfg; it is
// how a deployed function builds its Table, once, at start-up. It makes no
// network call.
//
// Prefer it to New(dynamodb.NewFromConfig(awscfg), ...) in a program that
// also runs templates (text/template, html/template): the Table then holds
// only the three methods it calls, while a *dynamodb.Client stored in the
// API interface would make the Go linker keep the client's whole API
// (every exported method of a type that may reach an interface value is
// kept once a template can call methods by name), about 1.7 MB.
func NewFromConfig(awscfg aws.Config, table string, opts ...Option) (*Table, error) {
	c := dynamodb.NewFromConfig(awscfg)
	return New(methods{getItem: c.GetItem, putItem: c.PutItem, updateItem: c.UpdateItem}, table, opts...)
}

// CheckTableName reports whether name follows DynamoDB's table naming
// rules, so that a configuration can be checked before any client exists.
func CheckTableName(name string) error {
	if name == "" {
		return errors.New("throttle: the table name is empty; pass the name of the DynamoDB table")
	}
	if err := tablename.Check(name); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// Limits returns a copy of the limits the table applies.
func (t *Table) Limits() []Limit { return slices.Clone(t.limits) }

// Key returns the item key for a user of a user pool: the hex SHA-256 of
// "<userPoolID>/<userName>", so that the table holds no personal data
// (user names are often email addresses). Pass the userName of the trigger
// event, which stays the same across sign-ins.
func Key(userPoolID, userName string) string {
	sum := sha256.Sum256([]byte(userPoolID + "/" + userName))
	return hex.EncodeToString(sum[:])
}

// Allow records one send for key and returns nil when every limit allows
// it. It returns a [*Throttled] when a limit would be exceeded, and records
// nothing then, or a [*Error] when DynamoDB fails or the stored item cannot
// be read; the caller should then send nothing (fail closed). key should
// come from [Key]. Allow honors ctx's deadline.
func (t *Table) Allow(ctx context.Context, key string) error {
	if key == "" || len(key) > 2048 {
		return &Error{Op: "Allow", Table: t.name, Err: errBadKey}
	}
	ddbKey := map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: key}}
	// Each write of this call carries token: when the SDK retried a write
	// whose first attempt was stored but whose answer was lost, the retry
	// fails its condition against that very item, which the next read
	// knows by the token.
	token := writeToken()
	wrote := false
	for range conflictAttempts {
		now := t.now()
		out, err := t.client.GetItem(ctx, &dynamodb.GetItemInput{
			TableName:      aws.String(t.name),
			Key:            ddbKey,
			ConsistentRead: aws.Bool(true),
		}, withRetryer(t.retryer))
		if err != nil {
			return t.fail("GetItem", err, key)
		}
		st, err := t.readItem(out.Item, now)
		if err != nil {
			return err
		}
		if wrote && st.writer == token {
			return nil // the item is this call's write: the send is recorded
		}
		d := decide(t.limits, st.sends, now.UnixMilli())
		if !d.allowed {
			return &Throttled{RetryAfter: d.retryAfter, Limit: d.limit}
		}
		in := t.putInput(key, d.kept, st, token)
		_, err = t.client.PutItem(ctx, in, withRetryer(t.retryer))
		if err == nil {
			return nil
		}
		if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); !ok {
			return t.fail("PutItem", err, key)
		}
		wrote = true
	}
	shortest := t.limits[0]
	for _, l := range t.limits {
		if l.Per < shortest.Per {
			shortest = l
		}
	}
	return &Throttled{RetryAfter: time.Second, Limit: shortest, Contended: true}
}

// stored is what Allow read.
type stored struct {
	exists  bool
	version int64
	writer  string  // the token of the write, "" for an item without one
	sends   []int64 // nil when absent or expired
}

// readItem reads item, which is nil when there is none. An expired item
// keeps its version but has no sends.
func (t *Table) readItem(item map[string]types.AttributeValue, now time.Time) (stored, error) {
	if item == nil {
		return stored{}, nil
	}
	st := stored{exists: true}
	if w, ok := item[attrWriter].(*types.AttributeValueMemberS); ok {
		st.writer = w.Value
	}
	var err error
	if st.version, err = t.number(item, attrVersion); err != nil {
		return stored{}, err
	}
	expires, err := t.number(item, attrExpires)
	if err != nil {
		return stored{}, err
	}
	if expires <= now.Unix() {
		return st, nil
	}
	switch v := item[attrSends].(type) {
	case nil:
		return stored{}, corrupt(t.name, attrSends, "is missing")
	case *types.AttributeValueMemberL:
		st.sends = make([]int64, 0, len(v.Value))
		for _, e := range v.Value {
			n, ok := e.(*types.AttributeValueMemberN)
			if !ok {
				return stored{}, corrupt(t.name, attrSends, "holds a value that is not a number")
			}
			ms, err := strconv.ParseInt(n.Value, 10, 64)
			if err != nil {
				return stored{}, corrupt(t.name, attrSends, "holds a number that is not a whole Unix time in milliseconds")
			}
			st.sends = append(st.sends, ms)
		}
	case *types.AttributeValueMemberNS:
		st.sends = make([]int64, 0, len(v.Value))
		for _, s := range v.Value {
			ms, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return stored{}, corrupt(t.name, attrSends, "holds a number that is not a whole Unix time in milliseconds")
			}
			st.sends = append(st.sends, ms)
		}
	default:
		return stored{}, corrupt(t.name, attrSends, "is not a list of numbers")
	}
	return st, nil
}

// number reads a whole number attribute.
func (t *Table) number(item map[string]types.AttributeValue, attr string) (int64, error) {
	v, ok := item[attr]
	if !ok {
		return 0, corrupt(t.name, attr, "is missing")
	}
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0, corrupt(t.name, attr, "is not a number")
	}
	i, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, corrupt(t.name, attr, "is not a whole number")
	}
	return i, nil
}

// putInput writes the item with sends, on the condition that it is still
// the one read.
func (t *Table) putInput(key string, sends []int64, st stored, token string) *dynamodb.PutItemInput {
	list := make([]types.AttributeValue, len(sends))
	for i, ms := range sends {
		list[i] = &types.AttributeValueMemberN{Value: strconv.FormatInt(ms, 10)}
	}
	last := sends[len(sends)-1]
	expires := ceilDiv(last+t.longest.Milliseconds(), 1000)
	in := &dynamodb.PutItemInput{
		TableName: aws.String(t.name),
		Item: map[string]types.AttributeValue{
			attrKey:     &types.AttributeValueMemberS{Value: key},
			attrSends:   &types.AttributeValueMemberL{Value: list},
			attrVersion: &types.AttributeValueMemberN{Value: strconv.FormatInt(st.version+1, 10)},
			attrExpires: &types.AttributeValueMemberN{Value: strconv.FormatInt(expires, 10)},
			attrWriter:  &types.AttributeValueMemberS{Value: token},
		},
	}
	if st.exists {
		in.ConditionExpression = aws.String("#v = :v")
		in.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		in.ExpressionAttributeValues = map[string]types.AttributeValue{
			":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(st.version, 10)},
		}
	} else {
		in.ConditionExpression = aws.String("attribute_not_exists(#k)")
		in.ExpressionAttributeNames = map[string]string{"#k": attrKey}
	}
	return in
}

// ceilDiv divides a by b > 0, rounding up.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b > 0 {
		q++
	}
	return q
}

// fail turns the error of a DynamoDB call into an *Error.
func (t *Table) fail(op string, err error, key string) *Error {
	e := &Error{Op: op, Table: t.name}
	if api, ok := errors.AsType[smithy.APIError](err); ok {
		e.Code = api.ErrorCode()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.Err = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		e.Err = context.Canceled
	default:
		e.Err = hideKey(err, key)
	}
	return e
}

// writeToken returns a random token that tells one Allow call's writes
// from every other's.
func writeToken() string {
	b := make([]byte, 12)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
