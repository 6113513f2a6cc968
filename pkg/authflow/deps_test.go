package authflow_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDecidingFunctionsLinkNoSDK keeps define and verify, which only
// decide, free of what create needs to send: the AWS SDK (megabytes of
// binary and milliseconds of start-up) and the message templates. It
// lists their packages as Lambda builds them, with lambda.norpc.
func TestDecidingFunctionsLinkNoSDK(t *testing.T) {
	for _, fn := range []string{"defineauth", "verifyauth"} {
		out, err := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", "../../triggers/"+fn).Output()
		if err != nil {
			t.Fatalf("go list -deps triggers/%s: %v", fn, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, bad := range []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go", "html/template", "text/template"} {
				if strings.HasPrefix(dep, bad) {
					t.Errorf("triggers/%s links %s", fn, dep)
				}
			}
		}
	}
}
