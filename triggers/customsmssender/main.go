// Command customsmssender is the custom SMS sender trigger: it decrypts
// each code Cognito hands it (with the AWS Encryption SDK and the pool's
// KMS key) and sends the text through Amazon SNS, in the user's language.
// It reads KMS_KEY_ARN, SMS_SENDER_ID, SMS_ORIGINATION_NUMBER,
// SMS_ALLOWED_CALLING_CODES or SMS_ALLOW_ALL_COUNTRIES (one is required:
// SMS go only to those countries), APP_NAME, APP_URL, LOG_LEVEL and
// LOG_PERSONAL_DATA; see docs/customsenders.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("customsmssender", func(getenv func(string) string) (*trigger.Handler, error) {
		return smssender.FromEnv(getenv)
	})
}
