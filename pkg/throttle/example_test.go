package throttle_test

import (
	"context"
	"log"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Build the client and the Table once in main, then ask Allow (the
// user's limits) and AllowPool (the pool's) before each send. A
// *Throttled can be returned as it is: it is a denial with a neutral
// message. Any other error means the limits could not be checked, and
// nothing should be sent.
func Example() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	sends, err := throttle.New(dynamodb.NewFromConfig(cfg), "cognitrig-send-throttle")
	if err != nil {
		log.Fatal(err)
	}
	h := trigger.CreateAuthChallenge(func(ctx context.Context, ev *trigger.CreateAuthChallengeEvent) error {
		if err := sends.Allow(ctx, throttle.Key(ev.UserPoolID, ev.UserName)); err != nil {
			return err
		}
		if err := sends.AllowPool(ctx, ev.UserPoolID); err != nil {
			return err
		}
		// Make the code and send it.
		return nil
	})
	_ = h
}
