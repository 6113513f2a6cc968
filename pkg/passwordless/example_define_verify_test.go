package passwordless_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// quiet is a logger option that writes nowhere.
var quiet = fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler)))

// invokeSample invokes h on the sample event at path in events.FS, and
// decodes the response into ev.
func invokeSample(h *trigger.Handler, path string, ev any) error {
	event, _ := fs.ReadFile(events.FS, path)
	out, err := triggertest.Invoke(h, event)
	return errors.Join(err, json.Unmarshal(out, ev))
}

// The shipped define auth challenge function, built in your own program
// from a map-backed environment with a quiet logger: a first round starts
// a code challenge, and a right answer issues tokens.
func ExampleDefineFromEnv() {
	env := map[string]string{passwordless.EnvMaxAttempts: "3"}
	h, err := passwordless.DefineFromEnv(func(k string) string { return env[k] }, quiet)
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	for _, name := range []string{"DefineAuthChallenge_Authentication.first-round.json", "DefineAuthChallenge_Authentication.otp-right-answer.json"} {
		var ev trigger.DefineAuthChallengeEvent
		if err := invokeSample(h, "defineauth/"+name, &ev); err != nil {
			fmt.Println(err)
			return
		}
		r := ev.Response
		fmt.Printf("challenge %q, issue tokens %v\n", r.ChallengeName, r.IssueTokens != nil && *r.IssueTokens)
	}
	// Output:
	// challenge "CUSTOM_CHALLENGE", issue tokens false
	// challenge "", issue tokens true
}

// The shipped verify auth challenge response function, built with a clock
// of yours: the sample answer is right while its code lives, and refused
// once the code has expired.
func ExampleVerifyFromEnv() {
	issued := time.Unix(1700000000, 0) // when the sample event's code was sent
	for _, now := range []time.Time{issued.Add(time.Minute), issued.Add(time.Hour)} {
		h, err := passwordless.VerifyFromEnv(func(string) string { return "" }, quiet,
			passwordless.WithClock(func() time.Time { return now }))
		if err != nil {
			fmt.Println("cannot start:", err)
			return
		}
		var ev trigger.VerifyAuthChallengeEvent
		if err := invokeSample(h, "verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json", &ev); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%v after the code was sent: answer correct %v\n", now.Sub(issued), *ev.Response.AnswerCorrect)
	}
	// Output:
	// 1m0s after the code was sent: answer correct true
	// 1h0m0s after the code was sent: answer correct false
}
