package triggertest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// exampleTriggers returns define, create and verify handlers of a toy
// challenge: answer 424242, at most three tries.
func exampleTriggers() (define, create, verify *trigger.Handler) {
	quiet := trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))
	define = trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		s := ev.Request.Session
		switch {
		case len(s) > 0 && s[len(s)-1].ChallengeName == trigger.ChallengeCustom && s[len(s)-1].ChallengeResult:
			ev.Response.Issue()
		case len(s) >= 3:
			ev.Response.Fail()
		default:
			ev.Response.Challenge(trigger.ChallengeCustom)
		}
		return nil
	}, quiet)
	create = trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
		ev.Response.PublicChallengeParameters = map[string]string{"length": "6"}
		ev.Response.PrivateChallengeParameters = map[string]string{"answer": "424242"}
		ev.Response.ChallengeMetadata = "CODE"
		return nil
	}, quiet)
	verify = trigger.VerifyAuthChallenge(func(_ context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
		ev.Response.SetAnswerCorrect(ev.Request.ChallengeAnswer == ev.Request.PrivateChallengeParameters["answer"])
		return nil
	}, quiet)
	return define, create, verify
}

// A client signs in with a wrong answer, then the right one. The simulator
// runs the three triggers as Cognito does and returns what the client sees.
func ExampleCustomAuth() {
	sim := triggertest.NewCustomAuth(exampleTriggers())
	ctx := context.Background()

	res, err := sim.Start(ctx) // InitiateAuth
	fmt.Println(res.Outcome, res.ChallengeName, res.Parameters, err)

	res, err = sim.Respond(ctx, "000000", nil) // RespondToAuthChallenge
	fmt.Println(res.Outcome, res.Rounds, err)

	res, err = sim.Respond(ctx, "424242", map[string]string{"device": "web"})
	fmt.Println(res.Outcome, res.Rounds, err)
	fmt.Println(sim.Session())

	// The session is used up.
	_, err = sim.Respond(ctx, "424242", nil)
	fmt.Println(errors.Is(err, triggertest.NotAuthorizedException))
	// Output:
	// challenge CUSTOM_CHALLENGE map[length:6] <nil>
	// challenge 1 <nil>
	// tokens 2 <nil>
	// [{CUSTOM_CHALLENGE false CODE} {CUSTOM_CHALLENGE true CODE}]
	// true
}

// A test moves the simulator's clock past the app client's
// AuthSessionValidity instead of sleeping.
func ExampleWithClock() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	define, create, verify := exampleTriggers()
	sim := triggertest.NewCustomAuth(define, create, verify,
		triggertest.WithAuthSessionValidity(5*time.Minute),
		triggertest.WithClock(func() time.Time { return now }))
	ctx := context.Background()

	if _, err := sim.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	now = now.Add(6 * time.Minute)
	res, err := sim.Respond(ctx, "424242", nil)
	fmt.Println(res.Outcome)
	if ce, ok := errors.AsType[*triggertest.CognitoError](err); ok {
		fmt.Println(ce.Exception, ce.Message)
	}
	// Output:
	// failed
	// NotAuthorizedException Invalid session for the user, session is expired.
}
