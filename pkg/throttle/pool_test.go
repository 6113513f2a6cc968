package throttle_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestDefaultPoolLimit(t *testing.T) {
	if got, want := throttle.DefaultPoolLimit(), (throttle.PoolLimit{Count: 1000, Per: time.Hour}); got != want {
		t.Errorf("DefaultPoolLimit() = %v, want %v", got, want)
	}
	tab, err := throttle.New(&fakeAPI{}, "sends")
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.PoolLimit(); got != throttle.DefaultPoolLimit() {
		t.Errorf("a Table without WithPoolLimit applies %v, want the default", got)
	}
}

func TestPoolLimitBounds(t *testing.T) {
	tests := []struct {
		name string
		p    throttle.PoolLimit
		want string // in the error; "" when New accepts it
	}{
		{name: "smallest", p: throttle.PoolLimit{Count: 1, Per: time.Minute}},
		{name: "largest", p: throttle.PoolLimit{Count: 1_000_000, Per: 24 * time.Hour}},
		{name: "whole seconds", p: throttle.PoolLimit{Count: 50, Per: 90 * time.Second}},
		{name: "zero Count", p: throttle.PoolLimit{Count: 0, Per: time.Hour}, want: "has Count 0; it must be 1 to 1000000"},
		{name: "Count above a million", p: throttle.PoolLimit{Count: 1_000_001, Per: time.Hour}, want: "has Count 1000001"},
		{name: "zero Per", p: throttle.PoolLimit{Count: 1}, want: "has Per 0s; it must be 1m0s to 24h0m0s"},
		{name: "Per under a minute", p: throttle.PoolLimit{Count: 1, Per: 59 * time.Second}, want: "has Per 59s"},
		{name: "Per above a day", p: throttle.PoolLimit{Count: 1, Per: 25 * time.Hour}, want: "has Per 25h0m0s"},
		{name: "Per with a fraction of a second", p: throttle.PoolLimit{Count: 1, Per: 90*time.Second + time.Millisecond}, want: "whole seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := throttle.New(&fakeAPI{}, "sends", throttle.WithPoolLimit(tt.p))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.want == "" && tab.PoolLimit() != tt.p:
				t.Errorf("PoolLimit() = %v, want %v", tab.PoolLimit(), tt.p)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("New error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// counterAPI keeps the pool counters in memory and applies AllowPool's
// conditional increment as DynamoDB does, atomically: enough to test the
// decisions without a DynamoDB (moto_test.go checks the real one).
type counterAPI struct {
	mu      sync.Mutex
	counts  map[string]int64
	expires map[string]string
	updates []*dynamodb.UpdateItemInput
}

func newCounterAPI() *counterAPI {
	return &counterAPI{counts: map[string]int64{}, expires: map[string]string{}}
}

func (c *counterAPI) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := in.Key["pk"].(*types.AttributeValueMemberS).Value
	n, ok := c.counts[key]
	if !ok {
		return &dynamodb.GetItemOutput{}, nil
	}
	return &dynamodb.GetItemOutput{Item: map[string]types.AttributeValue{"count": &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}}}, nil
}

func (c *counterAPI) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return nil, errors.New("counterAPI holds pool counters only")
}

func (c *counterAPI) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates = append(c.updates, in)
	key := in.Key["pk"].(*types.AttributeValueMemberS).Value
	limit, err := strconv.ParseInt(in.ExpressionAttributeValues[":count"].(*types.AttributeValueMemberN).Value, 10, 64)
	if err != nil {
		return nil, err
	}
	if c.counts[key] >= limit {
		return nil, &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	}
	c.counts[key]++
	c.expires[key] = in.ExpressionAttributeValues[":expires"].(*types.AttributeValueMemberN).Value
	return &dynamodb.UpdateItemOutput{}, nil
}

// The pool-wide limit counts the sends of every user of a pool in fixed
// windows, refuses one past the count until the next window, and counts
// only the sends it allows.
func TestAllowPool(t *testing.T) {
	hour := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	type step struct {
		pool       string
		at         time.Duration // after hour
		n          int           // sends at that moment; 1 when 0
		check      bool          // CheckPool rather than AllowPool
		retryAfter time.Duration // 0: every send is allowed; else the last one is refused with this wait
	}
	tests := []struct {
		name  string
		limit *throttle.PoolLimit // nil: the default
		steps []step
	}{
		{name: "the 1001st send in an hour across different users is refused", steps: []step{
			{pool: "p", at: time.Minute, n: 1000},
			{pool: "p", at: 59 * time.Minute, retryAfter: time.Minute},
		}},
		{name: "the next hour starts afresh", steps: []step{
			{pool: "p", at: 0, n: 1000},
			{pool: "p", at: time.Hour - time.Millisecond, retryAfter: time.Millisecond},
			{pool: "p", at: time.Hour, n: 1000},
		}},
		{name: "a refused send is not counted", limit: &throttle.PoolLimit{Count: 2, Per: 10 * time.Minute}, steps: []step{
			{pool: "p", n: 2},
			{pool: "p", at: time.Minute, retryAfter: 9 * time.Minute},
			{pool: "p", at: 2 * time.Minute, retryAfter: 8 * time.Minute},
			{pool: "p", at: 10 * time.Minute, n: 2},
		}},
		{name: "pools are counted apart", limit: &throttle.PoolLimit{Count: 1, Per: time.Hour}, steps: []step{
			{pool: "us-east-1_A"},
			{pool: "us-east-1_B"},
			{pool: "us-east-1_A", retryAfter: time.Hour},
		}},
		{name: "CheckPool refuses what AllowPool would, and records nothing", limit: &throttle.PoolLimit{Count: 3, Per: time.Hour}, steps: []step{
			{pool: "p", check: true, n: 5},
			{pool: "p", n: 3},
			{pool: "p", at: 30 * time.Minute, check: true, retryAfter: 30 * time.Minute},
			{pool: "p", at: time.Hour, check: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newCounterAPI()
			clk := triggertest.NewClock(hour)
			opts := []throttle.Option{throttle.WithClock(clk.Now)}
			if tt.limit != nil {
				opts = append(opts, throttle.WithPoolLimit(*tt.limit))
			}
			tab, err := throttle.New(api, "sends", opts...)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				clk.Set(hour.Add(s.at))
				n := max(s.n, 1)
				for j := range n {
					var err error
					if s.check {
						err = tab.CheckPool(t.Context(), s.pool)
					} else {
						err = tab.AllowPool(t.Context(), s.pool)
					}
					last := j == n-1
					if s.retryAfter == 0 || !last {
						if err != nil {
							t.Fatalf("step %d, send %d of %d: %v, want it allowed", i+1, j+1, n, err)
						}
						continue
					}
					th, ok := errors.AsType[*throttle.Throttled](err)
					if !ok || !th.Pool || th.RetryAfter != s.retryAfter {
						t.Fatalf("step %d, send %d: %v (%+v), want a refusal by the pool limit with RetryAfter %v", i+1, j+1, err, th, s.retryAfter)
					}
					limit := tab.PoolLimit()
					if th.Limit != (throttle.Limit{Count: limit.Count, Per: limit.Per}) || th.Contended {
						t.Errorf("Throttled = %+v, want the pool limit %v", th, limit)
					}
					if _, ok := errors.AsType[*trigger.Denial](err); !ok {
						t.Error("a refusal by the pool limit is not a Denial")
					}
				}
			}
			for key, n := range api.counts {
				if n > int64(tab.PoolLimit().Count) {
					t.Errorf("counter %s holds %d sends, more than %v", key, n, tab.PoolLimit())
				}
			}
		})
	}
}

// AllowPool is one conditional UpdateItem of the window's counter, keyed
// by the pool, the window's length and its start, with Time to Live at
// the window's end.
func TestAllowPoolRequest(t *testing.T) {
	api := newCounterAPI()
	now := time.Date(2030, 1, 1, 10, 59, 59, 500_000_000, time.UTC)
	tab, _ := throttle.New(api, "sends", throttle.WithClock(func() time.Time { return now }))
	if err := tab.AllowPool(t.Context(), "us-east-1_Example"); err != nil {
		t.Fatal(err)
	}
	in := api.updates[0]
	start, end := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC).Unix(), time.Date(2030, 1, 1, 11, 0, 0, 0, time.UTC).Unix()
	checks := []struct{ what, got, want string }{
		{"table", aws.ToString(in.TableName), "sends"},
		{"key", in.Key["pk"].(*types.AttributeValueMemberS).Value, fmt.Sprintf("pool/us-east-1_Example/3600/%d", start)},
		{"update", aws.ToString(in.UpdateExpression), "ADD #c :one SET #e = :expires"},
		{"condition", aws.ToString(in.ConditionExpression), "attribute_not_exists(#c) OR #c < :count"},
		{"names", fmt.Sprint(in.ExpressionAttributeNames), "map[#c:count #e:expires]"},
		{":one", in.ExpressionAttributeValues[":one"].(*types.AttributeValueMemberN).Value, "1"},
		{":count", in.ExpressionAttributeValues[":count"].(*types.AttributeValueMemberN).Value, "1000"},
		{":expires", in.ExpressionAttributeValues[":expires"].(*types.AttributeValueMemberN).Value, strconv.FormatInt(end, 10)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("UpdateItem %s = %q, want %q", c.what, c.got, c.want)
		}
	}
}

// The pool-wide limit fails closed: DynamoDB's failures and unreadable
// counters are internal errors, never a go-ahead nor a denial.
func TestPoolFailsClosed(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized to perform dynamodb:UpdateItem"}
	tests := []struct {
		name     string
		api      *fakeAPI
		check    bool
		pool     string
		op, code string
		want     string // in the text
	}{
		{name: "AllowPool without permission", api: &fakeAPI{update: func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) { return nil, denied }},
			pool: "p", op: "UpdateItem", code: "AccessDeniedException", want: "dynamodb:UpdateItem"},
		{name: "AllowPool on a missing table", api: &fakeAPI{update: func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error) {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}
		}}, pool: "p", op: "UpdateItem", code: "ResourceNotFoundException", want: "check that the table exists"},
		{name: "CheckPool over a spent deadline", api: &fakeAPI{get: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
			return nil, fmt.Errorf("operation error: %w", context.DeadlineExceeded)
		}}, check: true, pool: "p", op: "GetItem", want: "deadline exceeded"},
		{name: "CheckPool on a counter that is not a number", api: &fakeAPI{get: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
			return &dynamodb.GetItemOutput{Item: map[string]types.AttributeValue{"count": &types.AttributeValueMemberS{Value: "many"}}}, nil
		}}, check: true, pool: "p", op: "read item", want: `attribute "count" is not a number`},
		{name: "AllowPool without a pool ID", api: &fakeAPI{}, pool: "", op: "AllowPool", want: "userPoolId"},
		{name: "CheckPool with a pool ID holding a line break", api: &fakeAPI{}, check: true, pool: "a\nb", op: "CheckPool", want: "userPoolId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, _ := throttle.New(tt.api, "sends")
			var err error
			if tt.check {
				err = tab.CheckPool(t.Context(), tt.pool)
			} else {
				err = tab.AllowPool(t.Context(), tt.pool)
			}
			e, ok := errors.AsType[*throttle.Error](err)
			if !ok {
				t.Fatalf("got %v (%T), want a *throttle.Error", err, err)
			}
			if e.Op != tt.op || e.Code != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q (Op %q, Code %q), want Op %q, Code %q and text containing %q", err, e.Op, e.Code, tt.op, tt.code, tt.want)
			}
			if _, ok := errors.AsType[*trigger.Denial](err); ok {
				t.Error("a failure unwraps to a Denial; it must stay internal")
			}
			if tt.pool == "" && tt.api.updates.Load()+tt.api.gets.Load() != 0 {
				t.Error("a bad pool ID reached DynamoDB")
			}
		})
	}
}
