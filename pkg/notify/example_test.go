package notify_test

import (
	"context"
	"errors"
	"log"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/pkg/notify"
)

// Build the clients and senders once in main, then pass the interfaces to
// the handler. A rejection can be returned as it is: it is a denial with a
// generic message, and its detail is already in the log.
func Example() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var email notify.EmailSender = notify.NewSES(sesv2.NewFromConfig(cfg), "no-reply@example.com",
		notify.WithConfigurationSet("auth-mail"))
	var sms notify.SMSSender = notify.NewSNS(sns.NewFromConfig(cfg), notify.WithSenderID("Example"))

	handle := func(ctx context.Context, code string) error {
		err := email.SendEmail(ctx, notify.Email{To: "jane@example.org", Subject: "Your code", Text: "Your code is " + code})
		if _, ok := errors.AsType[*notify.Rejected](err); ok {
			return sms.SendSMS(ctx, notify.SMS{To: "+15555550123", Text: "Your code is " + code}) // or return err
		}
		return err
	}
	_ = handle
}
