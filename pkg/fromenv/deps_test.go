package fromenv_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoSDK keeps package fromenv free of the AWS SDK: the builders
// of functions that call no AWS service (claims, message, and the
// passwordless define and verify) take its options, and must link none.
func TestLinksNoSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go"} {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("package fromenv links %s; it must link no AWS SDK, so that the builders that call no AWS service take its options without one", dep)
			}
		}
	}
}
