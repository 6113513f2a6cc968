package passwordless_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The limits of createauth's default environment, with the real SDK
// clients of SES v2, SNS and DynamoDB against moto_server, the function
// built as its main builds it, on a fake clock.
func TestMotoSendLimits(t *testing.T) {
	endpoint := mototest.Start(t)
	prepareMoto(t, endpoint)
	awscfg := mototest.Config(endpoint)
	ctx := context.Background()
	// hour is a full hour, in the future so that no real clock (moto's
	// included) takes the items for expired.
	hour := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)

	// build builds create as newMotoAuth does, on the clock clk.
	build := func(t *testing.T, clk *triggertest.Clock, extra ...string) *passwordless.Auth {
		t.Helper()
		cfg, err := passwordless.ConfigFromEnv(motoEnv(extra...))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Flow.Now = clk.Now
		opts, err := passwordless.AWSOptions(awscfg, cfg)
		if err != nil {
			t.Fatal(err)
		}
		auth, err := passwordless.New(cfg, append(opts, passwordless.WithDecoyDelay(0))...)
		if err != nil {
			t.Fatal(err)
		}
		return auth
	}
	// signIn starts a sign-in of a user of pool, or of an unknown user
	// when attrs is nil, logging to log.
	signIn := func(auth *passwordless.Auth, clk *triggertest.Clock, log *syncio.Buffer, pool, name string, attrs map[string]string) (*triggertest.Result, error) {
		user := triggertest.WithUser(name, attrs)
		if attrs == nil {
			user = triggertest.WithUnknownUser(name)
		}
		opt := trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))
		sim := triggertest.NewCustomAuth(
			trigger.DefineAuthChallenge(auth.Define, opt), trigger.CreateAuthChallenge(auth.Create, opt), trigger.VerifyAuthChallenge(auth.Verify, opt),
			user, triggertest.WithUserPool(pool), triggertest.WithClock(clk.Now))
		return sim.Start(ctx)
	}
	emailsTo := func(t *testing.T, to string) int {
		n := 0
		for _, m := range mototest.Sent(t, endpoint).Emails {
			if len(m.Destinations.ToAddresses) == 1 && m.Destinations.ToAddresses[0] == to {
				n++
			}
		}
		return n
	}
	refused := func(t *testing.T, step string, res *triggertest.Result, err error) {
		t.Helper()
		expect(t, step, res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		if !strings.Contains(err.Error(), notify.RefusedMessage) {
			t.Errorf("%s: the end user sees %q, want the neutral message", step, err)
		}
	}

	t.Run("the 4th send in an hour across different users is refused with POOL_SEND_LIMIT=3/1h", func(t *testing.T) {
		const pool = "us-east-1_PoolThree"
		clk := triggertest.NewClock(hour.Add(5 * time.Minute))
		auth := build(t, clk, "POOL_SEND_LIMIT", "3/1h")
		log := &syncio.Buffer{}
		for i := range 3 {
			to := fmt.Sprintf("user%d@example.org", i)
			res, err := signIn(auth, clk, log, pool, fmt.Sprintf("three-%d", i), map[string]string{"email": to})
			expect(t, "a send within the pool's limit", res, err, triggertest.OutcomeChallenge, "")
			if emailsTo(t, to) != 1 {
				t.Fatalf("moto holds no code for user %d", i)
			}
		}
		clk.Set(hour.Add(59 * time.Minute))
		res, err := signIn(auth, clk, log, pool, "three-3", map[string]string{"email": "user3@example.org"})
		refused(t, "the 4th user in the hour", res, err)
		if emailsTo(t, "user3@example.org") != 0 {
			t.Error("a send over the pool's limit reached SES")
		}
		res, err = signIn(auth, clk, log, pool, "nobody@example.org", nil)
		refused(t, "an unknown user once the pool's sends are spent", res, err)
		clk.Set(hour.Add(time.Hour))
		res, err = signIn(auth, clk, log, pool, "three-4", map[string]string{"email": "user4@example.org"})
		expect(t, "the next hour", res, err, triggertest.OutcomeChallenge, "")
	})

	t.Run("the 1001st send in an hour across different users is refused by default", func(t *testing.T) {
		const pool = "us-east-1_PoolDefault"
		// 999 sends of the hour already counted, in the item the package
		// documentation of throttle describes.
		_, err := dynamodb.NewFromConfig(awscfg).PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(throttleTable),
			Item: map[string]types.AttributeValue{
				"pk":      &types.AttributeValueMemberS{Value: fmt.Sprintf("pool/%s/3600/%d", pool, hour.Unix())},
				"count":   &types.AttributeValueMemberN{Value: "999"},
				"expires": &types.AttributeValueMemberN{Value: strconv.FormatInt(hour.Add(time.Hour).Unix(), 10)},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		clk := triggertest.NewClock(hour.Add(30 * time.Minute))
		auth := build(t, clk)
		log := &syncio.Buffer{}
		res, err := signIn(auth, clk, log, pool, "default-1000", map[string]string{"email": "thousandth@example.org"})
		expect(t, "the 1000th send", res, err, triggertest.OutcomeChallenge, "")
		res, err = signIn(auth, clk, log, pool, "default-1001", map[string]string{"email": "thousand-first@example.org"})
		refused(t, "the 1001st send", res, err)
		if emailsTo(t, "thousand-first@example.org") != 0 {
			t.Error("the 1001st send reached SES")
		}
	})

	t.Run("SMS to +882 is refused by default", func(t *testing.T) {
		clk := triggertest.NewClock(hour)
		auth := build(t, clk, "SMS_SENDER_ID", "Example")
		log := &syncio.Buffer{}
		res, err := signIn(auth, clk, log, triggertest.DefaultUserPoolID, "premium-sms", map[string]string{"phone_number": premiumPhone})
		expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
		for _, m := range mototest.Sent(t, endpoint).SMS {
			if m.PhoneNumber == premiumPhone {
				t.Fatal("moto holds an SMS to +882")
			}
		}
		if res.Parameters["channel"] == "sms" && res.Parameters["destination"] == trigger.MaskPhone(premiumPhone) {
			t.Errorf("the client is told a code went to %s", res.Parameters["destination"])
		}
		if l := log.String(); !strings.Contains(l, `"limit":"country"`) || strings.Contains(l, premiumPhone) {
			t.Errorf("the log does not name the country rule, or holds the full number:\n%s", l)
		}
	})

	t.Run("the limits fail closed without the table", func(t *testing.T) {
		auth := build(t, triggertest.NewClock(hour), "SEND_THROTTLE_TABLE", "no-such-table")
		res, err := signIn(auth, triggertest.NewClock(hour), &syncio.Buffer{}, triggertest.DefaultUserPoolID, "no-table", map[string]string{"email": "no-table@example.org"})
		expect(t, "start", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		var ce *triggertest.CognitoError
		if !errors.As(err, &ce) || !strings.Contains(ce.Message, "internal error") || emailsTo(t, "no-table@example.org") != 0 {
			t.Errorf("got %v, want the internal error and nothing sent", err)
		}
	})
}
