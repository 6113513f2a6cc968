package customsender_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// exampleCode is what exampleDecrypter finds in every ciphertext.
const exampleCode = "135790"

// exampleDecrypter is an in-memory Decrypter in place of KMS: every
// ciphertext holds exampleCode.
type exampleDecrypter struct{}

func (exampleDecrypter) Decrypt(context.Context, string, string) (string, error) {
	return exampleCode, nil
}

// exampleOutbox is an in-memory email and SMS sender in place of SES and
// SNS. It notes to whom it would send and whether the message shows the
// code, but never the code.
type exampleOutbox struct{ sent []string }

func (o *exampleOutbox) SendEmail(_ context.Context, m notify.Email) error {
	o.sent = append(o.sent, fmt.Sprintf("email to %s, with the code: %v", m.To, strings.Contains(m.Text, exampleCode)))
	return nil
}

func (o *exampleOutbox) SendSMS(_ context.Context, m notify.SMS) error {
	o.sent = append(o.sent, fmt.Sprintf("SMS to %s, with the code: %v", m.To, strings.Contains(m.Text, exampleCode)))
	return nil
}

// quiet is a logger option that writes nowhere.
var quiet = fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler)))

// invokeSample invokes h on the sample event at path in events.FS.
func invokeSample(h *trigger.Handler, path string) {
	event, _ := fs.ReadFile(events.FS, path)
	if _, err := triggertest.Invoke(h, event); err != nil {
		fmt.Println(err)
	}
}

// The shipped custom email sender function, built in your own program
// from a map-backed environment, with an in-memory decrypter and sender in
// place of KMS and SES, and a quiet logger. KMS_KEY_ARN is still required:
// the function refuses to start without it, however it is built.
func ExampleEmailFromEnv() {
	env := map[string]string{
		"KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
		"APP_NAME":    "Example",
		"EMAIL_FROM":  "no-reply@example.com",
	}
	out := &exampleOutbox{}
	h, err := customsender.EmailFromEnv(func(k string) string { return env[k] },
		customsender.WithDecrypter(exampleDecrypter{}), customsender.WithEmail(out), quiet)
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	invokeSample(h, "customemailsender/CustomEmailSender_SignUp.json")
	fmt.Println(out.sent)
	// Output:
	// [email to jane.doe@example.com, with the code: true]
}

// The shipped custom SMS sender function, built with an in-memory
// decrypter and sender in place of KMS and SNS. SMS go only to the calling
// codes of SMS_ALLOWED_CALLING_CODES, whatever sender is given: here +44,
// so the sample's +1 number gets nothing, and nothing is decrypted.
func ExampleSMSFromEnv() {
	for _, codes := range []string{"1", "44"} {
		env := map[string]string{
			"KMS_KEY_ARN":               "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
			"APP_NAME":                  "Example",
			"SMS_ALLOWED_CALLING_CODES": codes,
		}
		out := &exampleOutbox{}
		h, err := customsender.SMSFromEnv(func(k string) string { return env[k] },
			customsender.WithDecrypter(exampleDecrypter{}), customsender.WithSMS(out), quiet)
		if err != nil {
			fmt.Println("cannot start:", err)
			return
		}
		invokeSample(h, "customsmssender/CustomSMSSender_SignUp.json")
		fmt.Printf("SMS_ALLOWED_CALLING_CODES=%s: %q\n", codes, out.sent)
	}
	// Output:
	// SMS_ALLOWED_CALLING_CODES=1: ["SMS to +15555550142, with the code: true"]
	// SMS_ALLOWED_CALLING_CODES=44: []
}
