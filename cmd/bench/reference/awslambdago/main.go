// Command awslambdago is a reference for the performance suite (go run
// ./cmd/bench): a define auth challenge function written with
// aws-lambda-go alone, its own event type and no logging, as people write
// them without this framework. Its start-up, size and memory are what
// every function here is compared with.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(_ context.Context, ev *events.CognitoEventUserPoolsDefineAuthChallenge) (*events.CognitoEventUserPoolsDefineAuthChallenge, error) {
		if n := len(ev.Request.Session); n > 0 && ev.Request.Session[n-1].ChallengeResult {
			ev.Response.IssueTokens = true
			return ev, nil
		}
		ev.Response.ChallengeName = "CUSTOM_CHALLENGE"
		return ev, nil
	})
}
