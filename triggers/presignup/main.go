// Command presignup is the pre sign-up trigger: it applies the email
// domain rules of ALLOWED_EMAIL_DOMAINS, BLOCKED_EMAIL_DOMAINS and
// AUTO_CONFIRM_EMAIL_DOMAINS, and with LINK_FEDERATED_USERS=true links a
// federated user's first sign-in to the native user with the same email.
// See docs/presignup.md; the policy lives in pkg/signup.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("presignup", func(getenv func(string) string) (*trigger.Handler, error) {
		return signup.FromEnv(getenv)
	})
}
