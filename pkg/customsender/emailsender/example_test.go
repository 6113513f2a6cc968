package emailsender_test

import (
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The shipped custom email sender function, built in your own program
// from a map-backed environment, with an in-memory decrypter and sender in
// place of KMS and SES, and a quiet logger. KMS_KEY_ARN is still required:
// the function refuses to start without it, however it is built.
func ExampleFromEnv() {
	env := map[string]string{
		"KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
		"APP_NAME":    "Example",
		"EMAIL_FROM":  "no-reply@example.com",
	}
	out := &customsendertest.Outbox{}
	h, err := emailsender.FromEnv(func(k string) string { return env[k] },
		customsender.WithDecrypter(customsendertest.Decrypter{Code: "135790"}), customsender.WithEmail(out),
		fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler))))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	event, _ := fs.ReadFile(events.FS, "customemailsender/CustomEmailSender_SignUp.json")
	if _, err := triggertest.Invoke(h, event); err != nil {
		fmt.Println(err)
	}
	for _, m := range out.Emails() {
		fmt.Printf("email to %s, with the code: %v\n", m.To, strings.Contains(m.Text, "135790"))
	}
	// Output:
	// email to jane.doe@example.com, with the code: true
}
