// Command pretoken is the pre token generation trigger: it copies user
// attributes into ID-token claims (ID_TOKEN_CLAIMS_FROM_ATTRIBUTES), adds
// access-token scopes by group (ACCESS_TOKEN_SCOPES_BY_GROUP) and
// suppresses ID-token claims (SUPPRESS_CLAIMS), for version 1, 2 and 3
// events alike. See docs/pretoken.md; the logic lives in pkg/claims.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("pretoken", func(getenv func(string) string) (*trigger.Router, error) {
		return claims.FromEnv(getenv)
	})
}
