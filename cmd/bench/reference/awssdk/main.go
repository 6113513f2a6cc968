// Command awssdk is a reference for the performance suite (go run
// ./cmd/bench): the awslambdago reference plus what a function that sends
// messages usually builds at start-up, the AWS SDK's default configuration
// loader (config.LoadDefaultConfig) and SES v2 and SNS clients. It shows
// what the SDK alone costs in start-up, size and memory.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatalf("awssdk: load the AWS configuration: %v", err)
	}
	ses, topics := sesv2.NewFromConfig(cfg), sns.NewFromConfig(cfg)
	lambda.Start(func(_ context.Context, ev *events.CognitoEventUserPoolsDefineAuthChallenge) (*events.CognitoEventUserPoolsDefineAuthChallenge, error) {
		if ses == nil || topics == nil {
			panic("awssdk: no clients")
		}
		ev.Response.ChallengeName = "CUSTOM_CHALLENGE"
		return ev, nil
	})
}
