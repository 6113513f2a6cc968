package trigger_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// A pre sign-up trigger that lets only example.com addresses sign up and
// confirms them without a code. In a function's main, pass h to
// lambda.Start; here it runs on a sample event.
func Example() {
	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		email := ev.Request.UserAttributes["email"]
		if !strings.HasSuffix(email, "@example.com") {
			// Cognito shows this message to the user.
			return trigger.Deny("Please sign up with your example.com address.")
		}
		ev.Response.AutoConfirmUser = trigger.Bool(true)
		ev.Response.AutoVerifyEmail = trigger.Bool(true)
		trigger.Logger(ctx).Info("auto-confirmed", "email", email) // masked in the log
		return nil
	}, trigger.WithLogger(trigger.NewLogger(os.Stderr, slog.LevelInfo)))

	event, _ := os.ReadFile("../../events/presignup/PreSignUp_SignUp.json")
	out, err := triggertest.Invoke(h, event)
	fmt.Println(err, strings.Contains(string(out), `"autoConfirmUser":true`))

	other := strings.Replace(string(event), "@example.com", "@example.org", 1)
	_, err = triggertest.Invoke(h, []byte(other))
	fmt.Println(err)
	// Output:
	// <nil> true
	// Please sign up with your example.com address.
}

// A define auth challenge trigger must choose exactly one outcome; the
// adapter refuses anything else.
func ExampleDefineAuthChallengeResponse() {
	h := trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		s := ev.Request.Session
		switch {
		case len(s) == 0:
			ev.Response.Challenge(trigger.ChallengeCustom)
		case s[len(s)-1].ChallengeName == trigger.ChallengeCustom && s[len(s)-1].ChallengeResult:
			ev.Response.Issue()
		default:
			ev.Response.Fail()
		}
		return nil
	}, trigger.WithLogger(trigger.NewLogger(os.Stderr, slog.LevelInfo)))

	event, _ := os.ReadFile("../../events/defineauth/DefineAuthChallenge_Authentication.right-answer.json")
	out, _ := triggertest.Invoke(h, event)
	var ev trigger.DefineAuthChallengeEvent
	_ = json.Unmarshal(out, &ev)
	fmt.Println(*ev.Response.IssueTokens, *ev.Response.FailAuthentication)
	// Output: true false
}
