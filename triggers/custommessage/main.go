// Command custommessage is the custom message trigger: it writes the email
// and SMS messages of the user pool from the templates in
// pkg/message/templates, in the user's language. See docs/custommessage.md
// for its configuration (APP_NAME, APP_URL, EMAIL_SENDING_ACCOUNT,
// VERIFICATION, LOG_LEVEL, LOG_PERSONAL_DATA).
package main

import (
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("custommessage", func(getenv func(string) string) (*trigger.Handler, error) {
		return message.FromEnv(getenv)
	})
}
