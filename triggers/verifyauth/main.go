// Command verifyauth is the verify auth challenge response trigger of
// passwordless sign-in: it checks the answer, in constant time, against the
// round's code, or its magic-link token, within the code's life. It reads
// and checks the configuration of package passwordless (OTP_*,
// MAGIC_LINK_URL, EMAIL_FROM, ...), which defineauth and createauth must
// share. It is built from the SDK-free core of that package,
// internal/passwordlesscore (passwordless.VerifyFromEnv is the same
// function), so that it links no AWS SDK; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("verifyauth", func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordlesscore.VerifyFromEnv(getenv)
	})
}
