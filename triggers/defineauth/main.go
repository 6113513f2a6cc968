// Command defineauth is the define auth challenge trigger of passwordless
// sign-in: it starts a code challenge, counts wrong answers and resends,
// and issues tokens after a correct answer. It reads and checks the
// configuration of package passwordlessenv (OTP_*, REQUIRE_PASSWORD,
// MAGIC_LINK_URL, EMAIL_FROM, ...), which createauth and verifyauth must
// share, and links no AWS SDK; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/passwordlessenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("defineauth", func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordlessenv.DefineFromEnv(getenv)
	})
}
