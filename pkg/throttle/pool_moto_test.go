package throttle_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The pool-wide limit through the real SDK client against moto_server.
func TestMotoPool(t *testing.T) {
	client, table := motoTable(t)
	hour := t0.Add(10 * time.Hour)

	t.Run("the 1001st send in an hour across different users is refused", func(t *testing.T) {
		clk := triggertest.NewClock(hour.Add(time.Minute))
		tab, err := throttle.New(client, table, throttle.WithClock(clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		const pool = "us-east-1_Default"
		key := fmt.Sprintf("pool/%s/3600/%d", pool, hour.Unix())
		// 999 sends of the hour so far, as AllowPool counts them (1000
		// real calls would make a slow test, and a retried call on a
		// loaded machine counts twice, on purpose: see AllowPool).
		if _, err := client.PutItem(t.Context(), &dynamodb.PutItemInput{
			TableName: aws.String(table),
			Item: map[string]types.AttributeValue{
				"pk":      &types.AttributeValueMemberS{Value: key},
				"count":   &types.AttributeValueMemberN{Value: "999"},
				"expires": &types.AttributeValueMemberN{Value: fmt.Sprint(hour.Add(time.Hour).Unix())},
			},
		}); err != nil {
			t.Fatal(err)
		}
		if err := tab.AllowPool(t.Context(), pool); err != nil {
			t.Fatalf("send 1000 of the hour: %v", err)
		}
		clk.Set(hour.Add(59 * time.Minute))
		err = tab.AllowPool(t.Context(), pool)
		th, ok := errors.AsType[*throttle.Throttled](err)
		if !ok || !th.Pool || th.RetryAfter != time.Minute {
			t.Fatalf("send 1001 = %v (%+v), want a refusal by the pool limit until the hour ends", err, th)
		}
		if err := tab.CheckPool(t.Context(), pool); !isThrottled(err) {
			t.Errorf("CheckPool after 1000 sends = %v, want a refusal", err)
		}
		item := getItem(t, client, table, key)
		if got := numberAttr(t, item, "count"); got != 1000 {
			t.Errorf("count = %d, want 1000: a refused send is not counted", got)
		}
		if got, want := numberAttr(t, item, "expires"), hour.Add(time.Hour).Unix(); got != want {
			t.Errorf("expires = %d, want the end of the window, %d", got, want)
		}
		clk.Set(hour.Add(time.Hour))
		if err := tab.AllowPool(t.Context(), pool); err != nil {
			t.Errorf("the first send of the next hour = %v, want it allowed", err)
		}
	})

	t.Run("limits", func(t *testing.T) {
		p := throttle.PoolLimit{Count: 3, Per: 10 * time.Minute}
		type step struct {
			pool    string
			at      time.Duration
			check   bool
			refused bool
		}
		tests := []struct {
			name  string
			steps []step
		}{
			{"a window's sends are spent, then the next window's are fresh", []step{
				{pool: "a"}, {pool: "a", at: time.Minute}, {pool: "a", at: 9 * time.Minute},
				{pool: "a", at: 9 * time.Minute, refused: true},
				{pool: "a", at: 10 * time.Minute},
			}},
			{"CheckPool counts nothing", []step{
				{pool: "b", check: true}, {pool: "b", check: true}, {pool: "b", check: true}, {pool: "b", check: true},
				{pool: "b"}, {pool: "b"}, {pool: "b"},
				{pool: "b", check: true, refused: true},
				{pool: "b", refused: true},
			}},
			{"pools are counted apart", []step{
				{pool: "c"}, {pool: "c"}, {pool: "c"}, {pool: "c", refused: true},
				{pool: "d"},
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk := triggertest.NewClock(hour)
				tab, _ := throttle.New(client, table, throttle.WithPoolLimit(p), throttle.WithClock(clk.Now))
				for i, s := range tt.steps {
					clk.Set(hour.Add(s.at))
					pool := tt.name + "/" + s.pool
					var err error
					if s.check {
						err = tab.CheckPool(t.Context(), pool)
					} else {
						err = tab.AllowPool(t.Context(), pool)
					}
					if s.refused != isThrottled(err) || !s.refused && err != nil {
						t.Fatalf("step %d = %v, want refused %v", i+1, err, s.refused)
					}
				}
			})
		}
	})

	t.Run("concurrent sends never pass the pool limit", func(t *testing.T) {
		const senders, limit = 16, 5
		tab, _ := throttle.New(client, table, throttle.WithPoolLimit(throttle.PoolLimit{Count: limit, Per: time.Hour}), throttle.WithClock(func() time.Time { return hour }))
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			passed int
			start  = make(chan struct{})
		)
		for range senders {
			wg.Go(func() {
				<-start
				err := tab.AllowPool(t.Context(), "concurrent")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					passed++
				case !isThrottled(err):
					t.Errorf("a concurrent send failed: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if passed != limit {
			t.Errorf("%d of %d concurrent sends passed, want exactly %d", passed, senders, limit)
		}
	})

	t.Run("the item holds only the count and expires", func(t *testing.T) {
		tab, _ := throttle.New(client, table, throttle.WithClock(func() time.Time { return hour.Add(90 * time.Second) }))
		if err := tab.AllowPool(t.Context(), "us-east-1_Item"); err != nil {
			t.Fatal(err)
		}
		item := getItem(t, client, table, fmt.Sprintf("pool/us-east-1_Item/3600/%d", hour.Unix()))
		if names := attrNames(item); fmt.Sprint(names) != "[count expires pk]" {
			t.Errorf("item has attributes %v, want count, expires and pk", names)
		}
	})
}
