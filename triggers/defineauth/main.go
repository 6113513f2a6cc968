// Command defineauth is the define auth challenge trigger of passwordless
// sign-in: it starts a code challenge, counts wrong answers and resends,
// and issues tokens after a correct answer. It reads the configuration of
// package passwordless (OTP_*, REQUIRE_PASSWORD, MAGIC_LINK_URL, ...),
// which createauth and verifyauth must share; see docs/passwordless.md.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("defineauth", newHandler) }

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
	return trigger.DefineAuthChallenge(auth.Define, opts...), nil
}
