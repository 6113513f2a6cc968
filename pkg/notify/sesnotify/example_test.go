package sesnotify_test

import (
	"context"
	"log"
	"os"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
)

// Build the sender once in main, then pass the interface to the handler.
func Example() {
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	// Read them with notify.SettingsFromEnv in a function.
	settings := notify.Settings{EmailFrom: "no-reply@example.com", ConfigurationSet: "auth-mail"}
	var email notify.EmailSender = sesnotify.NewFromConfig(cfg, settings)

	handle := func(ctx context.Context, code string) error {
		// A *notify.Rejected can be returned as it is: it is a denial with
		// a generic message, and its detail is already in the log.
		return email.SendEmail(ctx, notify.Email{To: "jane@example.org", Subject: "Your code", Text: "Your code is " + code})
	}
	_ = handle
}
