// Command custommessage is the custom message trigger: it writes the email
// and SMS messages of the user pool from the templates in
// pkg/message/templates, in the user's language. See docs/custommessage.md
// for its configuration (APP_NAME, APP_URL, EMAIL_SENDING_ACCOUNT,
// VERIFICATION, LOG_LEVEL, LOG_PERSONAL_DATA).
package main

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("custommessage", newHandler) }

// newHandler reads the configuration and loads the embedded templates.
// The tests of package message verified them, so they are neither parsed
// nor checked here but parsed on first use (see message.LoadDefaults); if
// they changed since, without the tests run, they are parsed and checked
// here, and a broken one stops the start.
func newHandler(getenv func(string) string) (*trigger.Handler, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := message.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	set, err := message.LoadDefaults()
	if err != nil {
		return nil, fmt.Errorf("templates in pkg/message/templates:\n%w", err)
	}
	cm, err := message.NewCustomMessage(set, cfg)
	if err != nil {
		return nil, err
	}
	return trigger.CustomMessage(cm.Handle, opts...), nil
}
