package throttle_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// t0 is the fake clock's start, in the future so that no real clock
// (moto's included) takes the items for expired.
var t0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// motoTable starts moto_server and creates a table in it. The client
// sends one request at a time: see serialHTTP.
func motoTable(tb testing.TB) (*dynamodb.Client, string) {
	tb.Helper()
	ep := mototest.Start(tb)
	client := dynamodb.NewFromConfig(mototest.Config(ep), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(ep)
		o.HTTPClient = &serialHTTP{client: awshttp.NewBuildableClient()}
	})
	const name = "cognitrig-send-throttle"
	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	if err := throttle.CreateTable(ctx, client, name); err != nil {
		tb.Fatalf("CreateTable: %v", err)
	}
	return client, name
}

// serialHTTP sends one request at a time. moto_server serves requests on
// threads and checks a PutItem's ConditionExpression and stores the item
// without a lock, so two concurrent conditional writes of one item can
// both pass there, where DynamoDB makes each write atomic. One request at
// a time restores that atomicity; concurrent Allow calls still interleave
// their reads and writes. moto answers only once it has stored the item.
type serialHTTP struct {
	mu     sync.Mutex
	client aws.HTTPClient
}

func (s *serialHTTP) Do(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client.Do(r)
}

// allow calls Allow with the 5-second budget of a trigger.
func allow(t *testing.T, tab *throttle.Table, key string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	return tab.Allow(ctx, key)
}

// getItem reads the item of key.
func getItem(t *testing.T, client *dynamodb.Client, table, key string) map[string]types.AttributeValue {
	t.Helper()
	out, err := client.GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: key}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func numberAttr(t *testing.T, item map[string]types.AttributeValue, name string) int64 {
	t.Helper()
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("attribute %q is %T, want a number", name, item[name])
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		t.Fatalf("attribute %q: %v", name, err)
	}
	return v
}

func sendsAttr(t *testing.T, item map[string]types.AttributeValue) []int64 {
	t.Helper()
	l, ok := item["sends"].(*types.AttributeValueMemberL)
	if !ok {
		t.Fatalf("attribute sends is %T, want a list", item["sends"])
	}
	var out []int64
	for _, e := range l.Value {
		out = append(out, numberAttr(t, map[string]types.AttributeValue{"n": e}, "n"))
	}
	return out
}

func TestMoto(t *testing.T) {
	client, table := motoTable(t)

	t.Run("limits", func(t *testing.T) { testMotoLimits(t, client, table) })

	t.Run("keys are independent", func(t *testing.T) {
		clk := triggertest.NewClock(t0)
		tab, _ := throttle.New(client, table, throttle.WithClock(clk.Now))
		alice, bob := throttle.Key("pool-a", "alice"), throttle.Key("pool-a", "bob")
		aliceB := throttle.Key("pool-b", "alice")
		for _, k := range []string{alice, bob, aliceB} {
			if err := allow(t, tab, k); err != nil {
				t.Fatalf("first send for a key: %v", err)
			}
		}
		for _, k := range []string{alice, bob, aliceB} {
			if err := allow(t, tab, k); !isThrottled(err) {
				t.Fatalf("second send for a key = %v, want *Throttled", err)
			}
		}
	})

	t.Run("concurrent sends for one key let one through", func(t *testing.T) {
		testMotoConcurrent(t, client, table, throttle.DefaultLimits(), 1)
	})
	t.Run("concurrent sends never pass a burst limit", func(t *testing.T) {
		testMotoConcurrent(t, client, table, []throttle.Limit{{Count: 3, Per: time.Minute}}, 3)
	})

	t.Run("a send racing between read and write is seen", func(t *testing.T) {
		clk := triggertest.NewClock(t0)
		key := throttle.Key("pool", "racer")
		other, _ := throttle.New(client, table, throttle.WithClock(clk.Now))
		racing := &raceAPI{API: client, before: func() {
			if err := allow(t, other, key); err != nil {
				t.Errorf("the racing send: %v", err)
			}
		}}
		tab, _ := throttle.New(racing, table, throttle.WithClock(clk.Now))
		err := allow(t, tab, key)
		th, ok := errors.AsType[*throttle.Throttled](err)
		if !ok || th.Contended || th.RetryAfter != 30*time.Second {
			t.Fatalf("Allow that lost the race = %v (%+v), want *Throttled by the 30s limit", err, th)
		}
		if racing.gets != 2 || racing.puts != 1 {
			t.Errorf("GetItem, PutItem calls = %d, %d; want 2 (a re-read after the lost write), 1", racing.gets, racing.puts)
		}
		if got := sendsAttr(t, getItem(t, client, table, key)); len(got) != 1 {
			t.Errorf("stored sends = %v, want the racing send only", got)
		}
	})

	t.Run("item holds expires and no user name, and the table has TTL", func(t *testing.T) {
		clk := triggertest.NewClock(t0.Add(123 * time.Millisecond))
		tab, _ := throttle.New(client, table, throttle.WithClock(clk.Now))
		const pool, user = "us-east-1_Example", "carol.personal@example.com"
		key := throttle.Key(pool, user)
		if err := allow(t, tab, key); err != nil {
			t.Fatal(err)
		}
		item := getItem(t, client, table, key)
		if len(item) != 5 {
			t.Errorf("item has attributes %v, want pk, sends, version, expires and writer", attrNames(item))
		}
		if w, ok := item["writer"].(*types.AttributeValueMemberS); !ok || len(w.Value) != 16 || strings.Contains(w.Value, "carol") {
			t.Errorf("writer = %v, want a random token of 16 characters", item["writer"])
		}
		if got, want := numberAttr(t, item, "expires"), t0.Add(time.Hour+time.Second).Unix(); got != want {
			t.Errorf("expires = %d, want %d (last send + 1h, rounded up to a second)", got, want)
		}
		if got := numberAttr(t, item, "version"); got != 1 {
			t.Errorf("version = %d, want 1", got)
		}
		if got, want := sendsAttr(t, item), clk.Now().UnixMilli(); len(got) != 1 || got[0] != want {
			t.Errorf("sends = %v, want [%d]", got, want)
		}
		out, err := client.Scan(t.Context(), &dynamodb.ScanInput{TableName: aws.String(table)})
		if err != nil {
			t.Fatal(err)
		}
		dump := fmt.Sprintf("%#v", out.Items)
		for _, v := range out.Items {
			dump += fmt.Sprint(v["pk"].(*types.AttributeValueMemberS).Value)
		}
		for _, personal := range []string{user, "carol", "example.com", pool} {
			if strings.Contains(dump, personal) {
				t.Errorf("the table holds %q", personal)
			}
		}
		ttl, err := client.DescribeTimeToLive(t.Context(), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
		if err != nil {
			t.Fatal(err)
		}
		if d := ttl.TimeToLiveDescription; d == nil || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != "expires" {
			t.Errorf("Time to Live = %+v, want ENABLED on expires", d)
		}
	})

	t.Run("expired item counts as empty but keeps its version", func(t *testing.T) {
		key := throttle.Key("pool", "expired")
		now := t0.Add(10 * time.Minute)
		_, err := client.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"pk":      &types.AttributeValueMemberS{Value: key},
			"sends":   &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(-10*time.Second).UnixMilli(), 10)}}},
			"version": &types.AttributeValueMemberN{Value: "7"},
			"expires": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(-time.Second).Unix(), 10)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		rec := &raceAPI{API: client}
		tab, _ := throttle.New(rec, table, throttle.WithClock(func() time.Time { return now }))
		if err := allow(t, tab, key); err != nil {
			t.Fatalf("Allow over an expired item = %v, want nil", err)
		}
		if c := aws.ToString(rec.lastPut.ConditionExpression); c != "#v = :v" || rec.lastPut.ExpressionAttributeValues[":v"].(*types.AttributeValueMemberN).Value != "7" {
			t.Errorf("PutItem condition = %q with %v, want the version condition on 7", c, rec.lastPut.ExpressionAttributeValues)
		}
		item := getItem(t, client, table, key)
		if v, s := numberAttr(t, item, "version"), sendsAttr(t, item); v != 8 || len(s) != 1 || s[0] != now.UnixMilli() {
			t.Errorf("version, sends = %d, %v; want 8, [%d]", v, s, now.UnixMilli())
		}
	})

	t.Run("corrupt item is an Error", func(t *testing.T) {
		key := throttle.Key("pool", "corrupt")
		_, err := client.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"pk":      &types.AttributeValueMemberS{Value: key},
			"sends":   &types.AttributeValueMemberS{Value: "yesterday"},
			"version": &types.AttributeValueMemberN{Value: "1"},
			"expires": &types.AttributeValueMemberN{Value: strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		tab, _ := throttle.New(client, table, throttle.WithClock(func() time.Time { return t0 }))
		err = allow(t, tab, key)
		if e, ok := errors.AsType[*throttle.Error](err); !ok || !strings.Contains(err.Error(), `attribute "sends"`) || strings.Contains(err.Error(), key) {
			t.Fatalf("Allow = %v (%T, %+v), want a *throttle.Error naming attribute sends and not the key", err, err, e)
		}
	})

	t.Run("missing table is an Error", func(t *testing.T) {
		tab, _ := throttle.New(client, "no-such-table")
		err := allow(t, tab, throttle.Key("pool", "user"))
		if e, ok := errors.AsType[*throttle.Error](err); !ok || e.Code != "ResourceNotFoundException" {
			t.Fatalf("Allow = %v (%T), want a *throttle.Error with Code ResourceNotFoundException", err, err)
		}
	})

	t.Run("CreateTable keeps an existing table", func(t *testing.T) {
		if err := throttle.CreateTable(t.Context(), client, table); err != nil {
			t.Fatalf("CreateTable again: %v", err)
		}
	})

	t.Run("CreateTable refuses a table with another key", func(t *testing.T) {
		const other = "other-schema"
		_, err := client.CreateTable(t.Context(), &dynamodb.CreateTableInput{
			TableName:            aws.String(other),
			BillingMode:          types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		})
		if err != nil {
			t.Fatal(err)
		}
		err = throttle.CreateTable(t.Context(), client, other)
		if err == nil || !strings.Contains(err.Error(), "another key schema") {
			t.Fatalf("CreateTable over a table keyed by id = %v, want an error about the key schema", err)
		}
	})
}

// testMotoLimits runs send sequences against the default limits, each for
// its own key and clock.
func testMotoLimits(t *testing.T, client *dynamodb.Client, table string) {
	type step struct {
		at         time.Duration // after t0
		retryAfter time.Duration // 0: the send is allowed
		limit      throttle.Limit
	}
	short, hour := throttle.Limit{1, 30 * time.Second}, throttle.Limit{10, time.Hour}
	// tenSends are ten sends 30s apart from t0, all allowed.
	var tenSends []step
	for i := range 10 {
		tenSends = append(tenSends, step{at: time.Duration(i) * 30 * time.Second})
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first send is allowed", []step{{at: 0}}},
		{"second send within 30s waits the rest of the 30s", []step{{at: 0}, {at: 10 * time.Second, retryAfter: 20 * time.Second, limit: short}, {at: 29 * time.Second, retryAfter: time.Second, limit: short}}},
		{"send 30s later is allowed", []step{{at: 0}, {at: 30 * time.Second}}},
		{"throttled send is not recorded", []step{{at: 0}, {at: 29 * time.Second, retryAfter: time.Second, limit: short}, {at: 30 * time.Second}}},
		{"eleventh send in the hour waits for the oldest to leave", append(slices.Clone(tenSends),
			step{at: 300 * time.Second, retryAfter: time.Hour - 300*time.Second, limit: hour},
			step{at: 50 * time.Minute, retryAfter: 10 * time.Minute, limit: hour},
			step{at: time.Hour - time.Millisecond, retryAfter: time.Millisecond, limit: hour},
			step{at: time.Hour},
			step{at: time.Hour + 10*time.Second, retryAfter: 20 * time.Second, limit: short},
			step{at: time.Hour + 30*time.Second},
			step{at: time.Hour + 60*time.Second}, // the send at 60s leaves as this one comes
		)},
		{"sends hours apart are all allowed", []step{{at: 0}, {at: 2 * time.Hour}, {at: 48 * time.Hour}}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := throttle.Key("limits", strconv.Itoa(i))
			clk := triggertest.NewClock(time.Time{})
			tab, err := throttle.New(client, table, throttle.WithClock(clk.Now))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.steps {
				clk.Set(t0.Add(s.at))
				err := allow(t, tab, key)
				if s.retryAfter == 0 {
					if err != nil {
						t.Fatalf("send at %v = %v, want allowed", s.at, err)
					}
					continue
				}
				th, ok := errors.AsType[*throttle.Throttled](err)
				if !ok {
					t.Fatalf("send at %v = %v, want *Throttled", s.at, err)
				}
				if th.RetryAfter != s.retryAfter || th.Limit != s.limit {
					t.Errorf("send at %v: RetryAfter, Limit = %v, %v; want %v, %v", s.at, th.RetryAfter, th.Limit, s.retryAfter, s.limit)
				}
			}
		})
	}
}

// testMotoConcurrent makes 8 sends for one key at the same instant, several
// times, and checks that at most want pass, and that the item holds them.
func testMotoConcurrent(t *testing.T, client *dynamodb.Client, table string, limits []throttle.Limit, want int) {
	const senders, rounds = 8, 5
	for round := range rounds {
		key := throttle.Key("concurrent", fmt.Sprint(want, "/", round))
		tab, _ := throttle.New(client, table, throttle.WithLimits(limits...), throttle.WithClock(func() time.Time { return t0 }))
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, senders)
		)
		for i := range senders {
			wg.Go(func() {
				<-start
				errs[i] = allow(t, tab, key)
			})
		}
		close(start)
		wg.Wait()
		passed, contended := 0, 0
		for _, err := range errs {
			th, ok := errors.AsType[*throttle.Throttled](err)
			switch {
			case err == nil:
				passed++
			case ok && th.Contended:
				contended++
			case ok:
			default:
				t.Fatalf("round %d: a concurrent send failed: %v", round, err)
			}
		}
		stored := len(sendsAttr(t, getItem(t, client, table, key)))
		t.Logf("round %d: %d of %d sends passed, %d refused for contention", round, passed, senders, contended)
		if passed > want || passed < 1 || stored != passed {
			t.Errorf("round %d: %d sends passed and %d are stored; want 1 to %d, all stored", round, passed, stored, want)
		}
		if want == 1 && passed != 1 {
			t.Errorf("round %d: %d sends passed, want exactly 1", round, passed)
		}
	}
}

// raceAPI passes calls to API, counts them, keeps the last PutItem input,
// and runs before ahead of the first PutItem.
type raceAPI struct {
	throttle.API
	before     func()
	gets, puts int
	lastPut    *dynamodb.PutItemInput
}

func (r *raceAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	r.gets++
	return r.API.GetItem(ctx, in, opts...)
}

func (r *raceAPI) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	r.puts++
	r.lastPut = in
	if r.before != nil {
		r.before()
		r.before = nil
	}
	return r.API.PutItem(ctx, in, opts...)
}

func isThrottled(err error) bool {
	_, ok := errors.AsType[*throttle.Throttled](err)
	return ok
}

func attrNames(item map[string]types.AttributeValue) []string {
	var names []string
	for n := range item {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func BenchmarkAllowMoto(b *testing.B) {
	client, table := motoTable(b)
	tab, _ := throttle.New(client, table)
	i := 0
	for b.Loop() {
		i++
		if err := tab.Allow(b.Context(), throttle.Key("bench", strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// lostAnswer stores the first PutItem in moto and answers it with a
// server error, as when DynamoDB's answer is lost: the SDK then sends the
// same write again, whose condition fails against the item it stored.
type lostAnswer struct {
	client aws.HTTPClient
	mu     sync.Mutex
	lost   int
}

func (l *lostAnswer) Do(r *http.Request) (*http.Response, error) {
	resp, err := l.client.Do(r)
	if err != nil || !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".PutItem") {
		return resp, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost > 0 {
		return resp, nil
	}
	l.lost++
	resp.Body.Close()
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"the answer was lost"}`
	return &http.Response{
		StatusCode: http.StatusInternalServerError, Status: "500 Internal Server Error",
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: r,
	}, nil
}

// A send whose write was stored but whose answer was lost is allowed, and
// recorded once: the SDK's retry of the write fails its condition against
// the item the first attempt stored, which Allow recognizes as its own.
func TestMotoLostAnswer(t *testing.T) {
	const table = "cognitrig-send-throttle"
	ep := mototest.Start(t)
	lost := &lostAnswer{client: awshttp.NewBuildableClient()}
	client := dynamodb.NewFromConfig(mototest.Config(ep), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(ep)
		o.HTTPClient = lost
	})
	if err := throttle.CreateTable(t.Context(), client, table); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	clk := triggertest.NewClock(t0)
	tab, err := throttle.New(client, table, throttle.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	key := throttle.Key("pool", "lost")
	if err := allow(t, tab, key); err != nil {
		t.Fatalf("the send whose answer was lost = %v, want allowed", err)
	}
	if lost.lost != 1 {
		t.Fatalf("%d answers lost, want 1: the test did not lose the write's answer", lost.lost)
	}
	item := getItem(t, client, table, key)
	if sends := item["sends"].(*types.AttributeValueMemberL).Value; len(sends) != 1 {
		t.Errorf("the item holds %d sends, want the one", len(sends))
	}
	clk.Set(t0.Add(10 * time.Second))
	if err := allow(t, tab, key); !isThrottled(err) {
		t.Errorf("the next send 10s later = %v, want *Throttled", err)
	}
}
