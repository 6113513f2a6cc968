// Command defineauth is the define auth challenge trigger of passwordless
// sign-in: it starts a code challenge, counts wrong answers and resends,
// and issues tokens after a correct answer. It reads the configuration of
// package passwordless (OTP_*, REQUIRE_PASSWORD, MAGIC_LINK_URL, ...),
// which createauth and verifyauth must share; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("defineauth", authflow.DefineFromEnv) }
