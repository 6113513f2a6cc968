// Command verifyauth is the verify auth challenge response trigger of
// passwordless sign-in: it checks the answer, in constant time, against the
// round's code, or its magic-link token, within the code's life. It reads
// the configuration of package passwordless (OTP_*, MAGIC_LINK_URL, ...),
// which defineauth and createauth must share; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/authflow"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("verifyauth", authflow.VerifyFromEnv) }
