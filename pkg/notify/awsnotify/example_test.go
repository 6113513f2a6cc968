package awsnotify_test

import (
	"context"
	"errors"
	"log"
	"os"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
)

// Build the senders once in main, then pass the interfaces to the
// handler. A rejection can be returned as it is: it is a denial with a
// generic message, and its detail is already in the log.
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
	settings := notify.Settings{EmailFrom: "no-reply@example.com", ConfigurationSet: "auth-mail", SMSSenderID: "Example", SMSCountries: countries}
	var email notify.EmailSender = awsnotify.NewSESFromConfig(cfg, settings)
	var sms notify.SMSSender = awsnotify.NewSNSFromConfig(cfg, settings)

	handle := func(ctx context.Context, code string) error {
		err := email.SendEmail(ctx, notify.Email{To: "jane@example.org", Subject: "Your code", Text: "Your code is " + code})
		if _, ok := errors.AsType[*notify.Rejected](err); ok {
			return sms.SendSMS(ctx, notify.SMS{To: "+15555550123", Text: "Your code is " + code}) // or return err
		}
		return err
	}
	_ = handle
}
