package message_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The shipped custom message function, built in your own program from a
// map-backed environment with a quiet logger, invoked on a sign-up event:
// Cognito puts the code where the message shows {####}.
func ExampleFromEnv() {
	env := map[string]string{"APP_NAME": "Example", "APP_URL": "https://app.example.com"}
	h, err := message.FromEnv(func(k string) string { return env[k] },
		fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler))))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	event, _ := fs.ReadFile(events.FS, "custommessage/CustomMessage_SignUp.json")
	out, err := triggertest.Invoke(h, event)
	var ev trigger.CustomMessageEvent
	if err := errors.Join(err, json.Unmarshal(out, &ev)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.Response.EmailSubject)
	fmt.Println(ev.Response.SMSMessage)
	// Output:
	// Confirm your email address for Example
	// Your Example verification code is {####}. It expires in 24 hours. Didn't sign up? Ignore this.
}
