package smssender_test

import (
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The shipped custom SMS sender function, built in your own program from
// a map-backed environment, with an in-memory decrypter and sender in
// place of KMS and SNS, and a quiet logger. SMS go only to the calling
// codes of SMS_ALLOWED_CALLING_CODES, whatever sender is given: with +44
// alone, the sample's +1 number gets nothing, and nothing is decrypted.
func ExampleFromEnv() {
	quiet := fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler)))
	event, _ := fs.ReadFile(events.FS, "customsmssender/CustomSMSSender_SignUp.json")
	for _, codes := range []string{"1", "44"} {
		getenv := func(k string) string {
			return map[string]string{"KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
				"APP_NAME": "Example", "SMS_ALLOWED_CALLING_CODES": codes}[k]
		}
		out := &customsendertest.Outbox{}
		h, err := smssender.FromEnv(getenv, customsender.WithDecrypter(customsendertest.Decrypter{Code: "135790"}), customsender.WithSMS(out), quiet)
		if err != nil {
			fmt.Println("cannot start:", err)
			return
		}
		if _, err := triggertest.Invoke(h, event); err != nil {
			fmt.Println(err)
		}
		fmt.Printf("SMS_ALLOWED_CALLING_CODES=%s:", codes)
		for _, m := range out.SMS() {
			fmt.Printf(" SMS to %s, with the code: %v", m.To, strings.Contains(m.Text, "135790"))
		}
		fmt.Println()
	}
	// Output:
	// SMS_ALLOWED_CALLING_CODES=1: SMS to +15555550142, with the code: true
	// SMS_ALLOWED_CALLING_CODES=44:
}
