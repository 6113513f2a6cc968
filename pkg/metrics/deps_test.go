package metrics_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps package metrics on the standard library:
// package trigger, which every function links, imports it, and must stay
// free of the AWS SDK and of anything else.
func TestStandardLibraryOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/cognitrig/cognitrig/pkg/metrics" {
			t.Errorf("package metrics links %s; it must link the standard library only, as package trigger imports it", dep)
		}
	}
}
