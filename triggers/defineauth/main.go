// Command defineauth is the define auth challenge trigger of passwordless
// sign-in: it starts a code challenge, counts wrong answers and resends,
// and issues tokens after a correct answer. It reads and checks the
// configuration of package passwordless (OTP_*, REQUIRE_PASSWORD,
// MAGIC_LINK_URL, EMAIL_FROM, ...), which createauth and verifyauth must
// share. It is built from the SDK-free core of that package,
// internal/passwordlesscore (passwordless.DefineFromEnv is the same
// function), so that it links no AWS SDK; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("defineauth", func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordlesscore.DefineFromEnv(getenv)
	})
}
