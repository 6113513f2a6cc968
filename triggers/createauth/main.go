// Command createauth is the create auth challenge trigger of passwordless
// sign-in: it draws a one-time code (and a magic-link token) and sends it
// by email through Amazon SES v2 or by SMS through Amazon SNS, in the
// user's language. It reads the configuration of package passwordless
// (OTP_*, EMAIL_FROM, SMS_*, MAGIC_LINK_URL, SEND_THROTTLE_TABLE,
// POOL_SEND_LIMIT, APP_NAME, ...), which defineauth and verifyauth must
// share. It sends only within limits: it refuses to start without
// SEND_THROTTLE_TABLE unless ALLOW_UNLIMITED_SENDS=true, and sends SMS
// only to SMS_ALLOWED_CALLING_CODES. It reads the decoy key from the
// Secrets Manager secret DECOY_KEY_SECRET_ARN names at its first
// invocation, and fails closed while it cannot; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("createauth", func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordless.CreateFromEnv(getenv)
	})
}
