// Package cognitolocaltest finds cognito-local for the tests that run it.
package cognitolocaltest

import (
	"path/filepath"
	"testing"

	"github.com/cognitrig/cognitrig/internal/cognitolocal"
	"github.com/cognitrig/cognitrig/internal/modroot"
)

// Tools returns the repository's tools folder, with cognito-local
// installed (npm ci in tools, which make test runs first). Without it the
// test fails, or is skipped under -short.
func Tools(tb testing.TB) string {
	tb.Helper()
	root, err := modroot.Find()
	if err != nil {
		tb.Fatal(err)
	}
	tools := filepath.Join(root, "tools")
	if err := cognitolocal.Installed(tools); err != nil {
		if testing.Short() {
			tb.Skip(err)
		}
		tb.Fatal(err)
	}
	return tools
}
