package passwordless_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"time"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// printingSender is an in-memory email sender that prints to whom it
// would send, and whether the message shows a code, but never the code.
type printingSender struct{}

func (printingSender) SendEmail(_ context.Context, m notify.Email) error {
	hasCode := regexp.MustCompile(`\b[0-9]{6}\b`).MatchString(m.Text)
	fmt.Printf("email to %s, with a code: %v\n", m.To, hasCode)
	return nil
}

// allowAll is an in-memory Limiter and PoolLimiter that allows every
// send and prints what it is asked.
type allowAll struct{}

func (allowAll) Allow(_ context.Context, key string) error {
	fmt.Println("limit per user: allowed")
	return nil
}

func (allowAll) AllowPool(_ context.Context, pool string) error {
	fmt.Println("limit of pool", pool+": allowed")
	return nil
}

func (allowAll) CheckPool(context.Context, string) error { return nil }

// The shipped create auth challenge function, built in your own program
// from a map-backed environment, with an in-memory sender and limiter in
// place of SES and the DynamoDB throttle table, a fixed clock and a quiet
// logger. The environment must still name the throttle table and the
// decoy key: createauth refuses to start without them, however it is
// built.
func ExampleCreateFromEnv() {
	env := map[string]string{
		"OTP_CHANNEL":         "email",
		"APP_NAME":            "Example",
		"EMAIL_FROM":          "no-reply@example.com",
		"DECOY_KEY":           "0123456789abcdef0123456789abcdef",
		"SEND_THROTTLE_TABLE": "send-throttle",
	}
	h, err := passwordless.CreateFromEnv(func(k string) string { return env[k] },
		passwordless.WithEmail(printingSender{}),
		passwordless.WithLimiter(allowAll{}),
		passwordless.WithPoolLimiter(allowAll{}),
		passwordless.WithClock(func() time.Time { return time.Unix(1700000000, 0) }),
		fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler))))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	event, _ := fs.ReadFile(events.FS, "createauth/CreateAuthChallenge_Authentication.json")
	out, err := triggertest.Invoke(h, event)
	var ev trigger.CreateAuthChallengeEvent
	if err := errors.Join(err, json.Unmarshal(out, &ev)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("the client is shown:", ev.Response.PublicChallengeParameters["destination"])
	// Output:
	// limit per user: allowed
	// limit of pool us-east-1_EXAMPLE01: allowed
	// email to jane.doe@example.com, with a code: true
	// the client is shown: j***@e***.com
}
