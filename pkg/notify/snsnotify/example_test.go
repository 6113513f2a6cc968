package snsnotify_test

import (
	"context"
	"log"
	"os"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
)

// Build the sender once in main, then pass the interface to the handler.
func Example() {
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	// Read them with notify.SettingsFromEnv in a function; SMS go only to
	// the countries of SMSCountries.
	countries, err := notify.ParseCallingCodes("1,44")
	if err != nil {
		log.Fatal(err)
	}
	settings := notify.Settings{SMSSenderID: "Example", SMSCountries: countries}
	var sms notify.SMSSender = snsnotify.NewFromConfig(cfg, settings)

	handle := func(ctx context.Context, code string) error {
		// A *notify.Rejected or a *notify.Blocked can be returned as it
		// is: it is a denial with a generic message, and its detail is
		// already in the log.
		return sms.SendSMS(ctx, notify.SMS{To: "+15555550123", Text: "Your code is " + code})
	}
	_ = handle
}
