package notify_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// A trigger's main reads the sending settings once, at start-up, and
// refuses to start when it would send SMS to no country. The environment
// is a map here; in a main, pass os.Getenv. Numbers outside the allowed
// calling codes, or not in E.164 form, get no SMS.
func ExampleSettingsFromEnv() {
	env := map[string]string{
		notify.EnvEmailFrom:              "Example <no-reply@example.com>",
		notify.EnvSMSSenderID:            "Example",
		notify.EnvSMSAllowedCallingCodes: "1, +44",
	}
	s, err := notify.SettingsFromEnv(func(k string) string { return env[k] })
	if err == nil {
		err = s.CheckSMS()
	}
	if err != nil {
		fmt.Println("bad configuration:", err)
		return
	}
	fmt.Println("email from:", s.EmailFrom)
	fmt.Println("SMS from:", s.SMSSenderID, "to:", s.SMSCountries)
	for _, phone := range []string{"+15555550123", "+447700900123", "+33612345678", "5555550123"} {
		fmt.Printf("%s allowed: %v\n", phone, s.SMSCountries.Allows(phone))
	}
	// Output:
	// email from: Example <no-reply@example.com>
	// SMS from: Example to: +1,+44
	// +15555550123 allowed: true
	// +447700900123 allowed: true
	// +33612345678 allowed: false
	// 5555550123 allowed: false
}

// outbox is an in-memory EmailSender, as a unit test passes in place of
// the SES sender of package sesnotify. It refuses the addresses in
// rejected the way SES refuses an address for good.
type outbox struct {
	rejected map[string]bool
	sent     []notify.Email
}

func (o *outbox) SendEmail(_ context.Context, m notify.Email) error {
	if o.rejected[m.To] {
		return &notify.Rejected{Channel: notify.ChannelEmail, Service: "ses", Code: "MessageRejected", To: trigger.MaskEmail(m.To)}
	}
	o.sent = append(o.sent, m)
	return nil
}

// sendCode is trigger code that needs only an EmailSender.
func sendCode(ctx context.Context, s notify.EmailSender, to, code string) error {
	return s.SendEmail(ctx, notify.Email{To: to, Subject: "Your sign-in code", Text: "Your code is " + code})
}

// A trigger sends through the small EmailSender interface, so that a test
// passes a fake. A message prints without its body, which holds the code,
// and with its address masked; a refusal for good unwraps to a
// trigger.Denial, whose message the end user sees.
func ExampleEmailSender() {
	ctx := context.Background()
	box := &outbox{rejected: map[string]bool{"bounce@example.com": true}}

	for _, to := range []string{"jane.doe@example.com", "bounce@example.com"} {
		err := sendCode(ctx, box, to, "135790")
		var denial *trigger.Denial
		switch {
		case err == nil:
			fmt.Println("sent:", box.sent[len(box.sent)-1])
		case errors.As(err, &denial):
			fmt.Println("refused:", err)
		default:
			fmt.Println("internal error:", err)
		}
	}
	// Output:
	// sent: email to j***@e***.com
	// refused: The email could not be sent to your address. Check the address or use another sign-in method.
}
