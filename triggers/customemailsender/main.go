// Command customemailsender is the custom email sender trigger: it
// decrypts each code Cognito hands it (with the AWS Encryption SDK and
// the pool's KMS key) and sends the message through Amazon SES v2, in the
// user's language. It reads KMS_KEY_ARN, EMAIL_FROM, SES_CONFIGURATION_SET,
// APP_NAME, APP_URL, LOG_LEVEL and LOG_PERSONAL_DATA; see
// docs/customsenders.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("customemailsender", func(getenv func(string) string) (*trigger.Handler, error) {
		return emailsender.FromEnv(getenv)
	})
}
