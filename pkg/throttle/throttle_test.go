package throttle_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// fakeAPI answers GetItem, PutItem and UpdateItem with its functions and
// counts the calls.
type fakeAPI struct {
	get                 func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error)
	put                 func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error)
	update              func(*dynamodb.UpdateItemInput) (*dynamodb.UpdateItemOutput, error)
	gets, puts, updates atomic.Int32
}

func (f *fakeAPI) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.gets.Add(1)
	if f.get == nil {
		return &dynamodb.GetItemOutput{}, nil
	}
	return f.get(in)
}

func (f *fakeAPI) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.puts.Add(1)
	if f.put == nil {
		return &dynamodb.PutItemOutput{}, nil
	}
	return f.put(in)
}

func (f *fakeAPI) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	f.updates.Add(1)
	if f.update == nil {
		return &dynamodb.UpdateItemOutput{}, nil
	}
	return f.update(in)
}

// testKey is the key of the tests that need only one.
var testKey = throttle.Key("us-east-1_Example", "alice@example.com")

func TestNewRejects(t *testing.T) {
	client := &fakeAPI{}
	tests := []struct {
		name   string
		client throttle.API
		table  string
		opts   []throttle.Option
		want   string // in the error
	}{
		{name: "nil client", table: "sends", want: "client is nil"},
		{name: "empty table name", client: client, want: "table name is empty"},
		{name: "short table name", client: client, table: "ab", want: `"ab" has 2 characters`},
		{name: "long table name", client: client, table: strings.Repeat("a", 256), want: "has 256 characters"},
		{name: "table name with a slash", client: client, table: "my/table", want: `contains '/'`},
		{name: "table name with a space", client: client, table: "my table", want: `contains ' '`},
		{name: "table name given as an ARN", client: client, table: "arn:aws:dynamodb:us-east-1:123456789012:table/sends", want: `contains ':'`},
		{name: "no limits", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits()}, want: "no limits"},
		{name: "zero Count", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{Count: 0, Per: time.Minute})}, want: "limit 0 (0 per 1m0s) has Count 0"},
		{name: "Count above 100", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{1, time.Minute}, throttle.Limit{101, time.Hour})}, want: "limit 1 (101 per 1h0m0s) has Count 101; it must be 1 to 100"},
		{name: "zero Per", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{Count: 1})}, want: "has Per 0s; it must be 1ms to 24h0m0s"},
		{name: "negative Per", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{1, -time.Second})}, want: "has Per -1s"},
		{name: "Per above a day", client: client, table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{1, 25 * time.Hour})}, want: "has Per 25h0m0s"},
		{name: "nil clock", client: client, table: "sends", opts: []throttle.Option{throttle.WithClock(nil)}, want: "clock is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := throttle.New(tt.client, tt.table, tt.opts...)
			if err == nil {
				t.Fatalf("New returned %v and no error, want an error containing %q", tab, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	tests := []struct {
		name  string
		table string
		opts  []throttle.Option
	}{
		{name: "defaults", table: "sends"},
		{name: "all allowed characters", table: "My_Table-1.v2"},
		{name: "longest name", table: strings.Repeat("a", 255)},
		{name: "limits at the bounds", table: "sends", opts: []throttle.Option{throttle.WithLimits(throttle.Limit{1, time.Millisecond}, throttle.Limit{100, 24 * time.Hour})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := throttle.New(&fakeAPI{}, tt.table, tt.opts...)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if tab.Name() != tt.table {
				t.Errorf("Name() = %q, want %q", tab.Name(), tt.table)
			}
		})
	}
}

func TestDefaultLimits(t *testing.T) {
	got := throttle.DefaultLimits()
	want := []throttle.Limit{{1, 30 * time.Second}, {10, time.Hour}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("DefaultLimits() = %v, want %v", got, want)
	}
	got[0].Count = 50
	if throttle.DefaultLimits()[0].Count != 1 {
		t.Error("DefaultLimits returns a shared slice")
	}
}

func TestKey(t *testing.T) {
	const pool, user = "us-east-1_Example", "alice@example.com"
	k := throttle.Key(pool, user)
	// echo -n "us-east-1_Example/alice@example.com" | sha256sum
	if want := "37c3de9b985631fb40abadd0e9ea09b26d688cdfdd17f3f426de51d47db98cd3"; k != want {
		t.Fatalf("Key(%q, %q) = %q, want %q", pool, user, k, want)
	}
	others := []struct {
		name       string
		pool, user string
	}{
		{"same user in another pool", "us-east-1_Other", user},
		{"another user", pool, "bob@example.com"},
		{"user name differing in case", pool, "Alice@example.com"},
		{"empty user name", pool, ""},
	}
	for _, tt := range others {
		t.Run(tt.name, func(t *testing.T) {
			if got := throttle.Key(tt.pool, tt.user); got == k {
				t.Errorf("Key(%q, %q) = %q, the key of %q in %q", tt.pool, tt.user, got, user, pool)
			}
		})
	}
}

// Whatever limit refused a send, and however long until it frees up, the
// end user sees the same neutral message: it tells neither the limits nor
// whether the pool's sends are spent.
func TestThrottledMessageIsNeutral(t *testing.T) {
	tests := []struct {
		name string
		th   throttle.Throttled
	}{
		{"30-second limit", throttle.Throttled{RetryAfter: 25 * time.Second, Limit: throttle.Limit{1, 30 * time.Second}}},
		{"hourly limit", throttle.Throttled{RetryAfter: 55 * time.Minute, Limit: throttle.Limit{10, time.Hour}}},
		{"contention", throttle.Throttled{RetryAfter: time.Second, Limit: throttle.Limit{1, 30 * time.Second}, Contended: true}},
		{"pool limit", throttle.Throttled{RetryAfter: 3 * time.Hour, Limit: throttle.Limit{1000, time.Hour}, Pool: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&tt.th)
			if err.Error() != notify.RefusedMessage {
				t.Errorf("Error() = %q, want notify.RefusedMessage", err)
			}
			d, ok := errors.AsType[*trigger.Denial](fmt.Errorf("create auth challenge: %w", err))
			if !ok {
				t.Fatal("a wrapped *Throttled does not unwrap to a *trigger.Denial")
			}
			if d.Error() != notify.RefusedMessage {
				t.Errorf("Denial message = %q, want notify.RefusedMessage", d)
			}
		})
	}
}

func TestAllowFailsClosedOnDynamoDBErrors(t *testing.T) {
	keyErr := &smithy.GenericAPIError{Code: "ValidationException", Message: "bad key " + testKey}
	tests := []struct {
		name     string
		get, put error
		op, code string
		want     string // in the text
	}{
		{name: "missing table", get: &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}, op: "GetItem", code: "ResourceNotFoundException", want: "check that the table exists"},
		{name: "missing permission", get: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized on key " + testKey}, op: "GetItem", code: "AccessDeniedException", want: "grant the function dynamodb:GetItem, dynamodb:PutItem and dynamodb:UpdateItem"},
		{name: "write throttled", put: &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}, op: "PutItem", code: "ProvisionedThroughputExceededException", want: "capacity is exceeded"},
		{name: "provider text naming the key", put: keyErr, op: "PutItem", code: "ValidationException", want: "ValidationException"},
		{name: "transport error naming the key", get: fmt.Errorf("connection reset while reading %s", testKey), op: "GetItem", want: "connection reset while reading <key>"},
		{name: "deadline", get: fmt.Errorf("operation error: %w", context.DeadlineExceeded), op: "GetItem", want: "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &fakeAPI{}
			if tt.get != nil {
				api.get = func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) { return nil, tt.get }
			}
			if tt.put != nil {
				api.put = func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) { return nil, tt.put }
			}
			tab, err := throttle.New(api, "sends")
			if err != nil {
				t.Fatal(err)
			}
			err = tab.Allow(t.Context(), testKey)
			e, ok := errors.AsType[*throttle.Error](err)
			if !ok {
				t.Fatalf("Allow = %v (%T), want a *throttle.Error", err, err)
			}
			if e.Op != tt.op || e.Code != tt.code || e.Table != "sends" {
				t.Errorf("Op, Code, Table = %q, %q, %q; want %q, %q, %q", e.Op, e.Code, e.Table, tt.op, tt.code, "sends")
			}
			text := err.Error()
			if strings.Contains(text, testKey) {
				t.Errorf("error text holds the key: %q", text)
			}
			if !strings.Contains(text, tt.want) || !strings.Contains(text, tt.op) {
				t.Errorf("error text = %q, want it to name %q and contain %q", text, tt.op, tt.want)
			}
			if _, ok := errors.AsType[*trigger.Denial](err); ok {
				t.Error("a DynamoDB failure unwraps to a Denial; it must stay internal")
			}
		})
	}
}

func TestAllowRejectsBadKeys(t *testing.T) {
	for _, key := range []string{"", strings.Repeat("k", 2049)} {
		api := &fakeAPI{}
		tab, _ := throttle.New(api, "sends")
		err := tab.Allow(t.Context(), key)
		if _, ok := errors.AsType[*throttle.Error](err); !ok || !strings.Contains(err.Error(), "derive it with Key") {
			t.Errorf("Allow with a %d-byte key = %v, want a *throttle.Error that says to use Key", len(key), err)
		}
		if api.gets.Load() != 0 {
			t.Errorf("Allow with a %d-byte key called GetItem", len(key))
		}
	}
}

func TestAllowCorruptItem(t *testing.T) {
	future := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	n := func(s string) types.AttributeValue { return &types.AttributeValueMemberN{Value: s} }
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	list := func(v ...types.AttributeValue) types.AttributeValue { return &types.AttributeValueMemberL{Value: v} }
	expires := n(fmt.Sprint(future.Add(time.Hour).Unix()))
	recent := n(fmt.Sprint(future.Add(-time.Minute).UnixMilli()))
	tests := []struct {
		name string
		item map[string]types.AttributeValue
		attr string // named by the error; "" when the item is fine
	}{
		{name: "version missing", item: map[string]types.AttributeValue{"sends": list(), "expires": expires}, attr: "version"},
		{name: "version a string", item: map[string]types.AttributeValue{"sends": list(), "version": s("1"), "expires": expires}, attr: "version"},
		{name: "version a fraction", item: map[string]types.AttributeValue{"sends": list(), "version": n("1.5"), "expires": expires}, attr: "version"},
		{name: "expires missing", item: map[string]types.AttributeValue{"sends": list(), "version": n("1")}, attr: "expires"},
		{name: "expires a list", item: map[string]types.AttributeValue{"sends": list(), "version": n("1"), "expires": list()}, attr: "expires"},
		{name: "sends missing", item: map[string]types.AttributeValue{"version": n("1"), "expires": expires}, attr: "sends"},
		{name: "sends a string", item: map[string]types.AttributeValue{"sends": s("x"), "version": n("1"), "expires": expires}, attr: "sends"},
		{name: "sends holding a string", item: map[string]types.AttributeValue{"sends": list(recent, s("x")), "version": n("1"), "expires": expires}, attr: "sends"},
		{name: "sends holding a fraction", item: map[string]types.AttributeValue{"sends": list(n("1.5")), "version": n("1"), "expires": expires}, attr: "sends"},
		{name: "sends as a number set holding a fraction", item: map[string]types.AttributeValue{"sends": &types.AttributeValueMemberNS{Value: []string{"2e3"}}, "version": n("1"), "expires": expires}, attr: "sends"},
		{name: "sends as a number set is read", item: map[string]types.AttributeValue{"sends": &types.AttributeValueMemberNS{Value: []string{fmt.Sprint(future.Add(-time.Minute).UnixMilli())}}, "version": n("1"), "expires": expires}},
		{name: "corrupt sends of an expired item are ignored", item: map[string]types.AttributeValue{"sends": s("x"), "version": n("1"), "expires": n("1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.item["pk"] = s(testKey)
			api := &fakeAPI{get: func(*dynamodb.GetItemInput) (*dynamodb.GetItemOutput, error) {
				return &dynamodb.GetItemOutput{Item: tt.item}, nil
			}}
			tab, _ := throttle.New(api, "sends", throttle.WithClock(func() time.Time { return future }))
			err := tab.Allow(t.Context(), testKey)
			if tt.attr == "" {
				if err != nil {
					t.Fatalf("Allow = %v, want nil", err)
				}
				return
			}
			e, ok := errors.AsType[*throttle.Error](err)
			if !ok {
				t.Fatalf("Allow = %v (%T), want a *throttle.Error", err, err)
			}
			if e.Op != "read item" || !strings.Contains(err.Error(), fmt.Sprintf("attribute %q", tt.attr)) {
				t.Errorf("Allow = %q (Op %q), want Op \"read item\" and text naming attribute %q", err, e.Op, tt.attr)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error text holds the key: %q", err)
			}
			if api.puts.Load() != 0 {
				t.Error("Allow wrote over a corrupt item")
			}
		})
	}
}

func TestAllowGivesUpAfterRepeatedConflicts(t *testing.T) {
	api := &fakeAPI{put: func(*dynamodb.PutItemInput) (*dynamodb.PutItemOutput, error) {
		return nil, &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")}
	}}
	tab, _ := throttle.New(api, "sends")
	err := tab.Allow(t.Context(), testKey)
	th, ok := errors.AsType[*throttle.Throttled](err)
	if !ok {
		t.Fatalf("Allow = %v (%T), want a *throttle.Throttled", err, err)
	}
	if !th.Contended || th.RetryAfter != time.Second || th.Limit != (throttle.Limit{1, 30 * time.Second}) {
		t.Errorf("Throttled = %+v, want Contended, RetryAfter 1s and the 30s limit", th)
	}
	if g, p := api.gets.Load(), api.puts.Load(); g != 3 || p != 3 {
		t.Errorf("GetItem, PutItem calls = %d, %d; want 3, 3", g, p)
	}
}

// ddbServer is a DynamoDB endpoint that answers each request with the
// next of its answers, repeating the last, and counts the requests.
type ddbServer struct {
	answers  []ddbAnswer
	requests atomic.Int32
}

type ddbAnswer struct {
	status     int
	code       string // the error's __type; "" for success
	retryAfter string // x-amz-retry-after, milliseconds
}

func (s *ddbServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.requests.Add(1)) - 1
	a := s.answers[min(i, len(s.answers)-1)]
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", i))
	if a.retryAfter != "" {
		w.Header().Set("X-Amz-Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.status)
	if a.code == "" {
		fmt.Fprint(w, `{}`)
		return
	}
	fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":"failed for key %s"}`, a.code, testKey)
}

func TestAllowRetriesBriefly(t *testing.T) {
	ok := ddbAnswer{status: 200}
	internal := ddbAnswer{status: 500, code: "InternalServerError"}
	tests := []struct {
		name     string
		answers  []ddbAnswer
		deadline time.Duration
		requests int32
		code     string // "" when Allow should return nil
		want     string // in the error
	}{
		{name: "5xx then success", answers: []ddbAnswer{internal, ok}, deadline: 5 * time.Second, requests: 3},
		{name: "5xx outlasting 3 attempts", answers: []ddbAnswer{internal}, deadline: 5 * time.Second, requests: 3, code: "InternalServerError"},
		{name: "throttling outlasting 3 attempts", answers: []ddbAnswer{{status: 400, code: "ProvisionedThroughputExceededException"}}, deadline: 5 * time.Second, requests: 3, code: "ProvisionedThroughputExceededException"},
		{name: "5xx with no deadline", answers: []ddbAnswer{internal}, requests: 3, code: "InternalServerError"},
		{name: "missing table is not retried", answers: []ddbAnswer{{status: 400, code: "ResourceNotFoundException"}}, deadline: 5 * time.Second, requests: 1, code: "ResourceNotFoundException"},
		{name: "near deadline stops retries", answers: []ddbAnswer{internal}, deadline: 250 * time.Millisecond, requests: 1, code: "InternalServerError", want: "deadline was near"},
		{name: "long retry-after stops retries", answers: []ddbAnswer{{status: 500, code: "InternalServerError", retryAfter: "3000"}}, deadline: 5 * time.Second, requests: 1, code: "InternalServerError", want: "asked to wait longer"},
		{name: "short retry-after is honored", answers: []ddbAnswer{{status: 500, code: "InternalServerError", retryAfter: "50"}, ok}, deadline: 5 * time.Second, requests: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &ddbServer{answers: tt.answers}
			hs := httptest.NewServer(srv)
			defer hs.Close()
			client := dynamodb.NewFromConfig(mototest.Config(hs.URL), func(o *dynamodb.Options) {
				o.BaseEndpoint = aws.String(hs.URL)
				o.RetryMaxAttempts = 10 // Allow must override the client's retries
			})
			tab, _ := throttle.New(client, "sends")
			ctx := t.Context()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			err := tab.Allow(ctx, testKey)
			if got := srv.requests.Load(); got != tt.requests {
				t.Errorf("requests = %d, want %d", got, tt.requests)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Allow = %v, want nil", err)
				}
				return
			}
			e, ok := errors.AsType[*throttle.Error](err)
			if !ok {
				t.Fatalf("Allow = %v (%T), want a *throttle.Error", err, err)
			}
			if e.Code != tt.code || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), testKey) {
				t.Errorf("Allow = %q (Code %q), want Code %q, text containing %q and not the key", err, e.Code, tt.code, tt.want)
			}
		})
	}
}
