// Command verifyauth is the verify auth challenge response trigger of
// passwordless sign-in: it checks the answer, in constant time, against the
// round's code, or its magic-link token, within the code's life. It reads
// the configuration of package passwordless (OTP_*, MAGIC_LINK_URL, ...),
// which defineauth and createauth must share; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("verifyauth", newHandler) }

func newHandler(getenv func(string) string) (*trigger.Handler, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := passwordless.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	auth, err := passwordless.New(cfg)
	if err != nil {
		return nil, err
	}
	return trigger.VerifyAuthChallenge(auth.Verify, opts...), nil
}
