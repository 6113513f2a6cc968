package passwordless_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCreateLinksNoSDKLoader keeps create on awsenv: the SDK's general
// loader (aws-sdk-go-v2/config) and the clients of the credential sources
// a Lambda function never uses (STS, SSO, SSO-OIDC, sign-in) cost
// megabytes of binary and a millisecond of start-up. It lists the
// packages of triggers/createauth as Lambda builds them.
func TestCreateLinksNoSDKLoader(t *testing.T) {
	const sdk = "github.com/aws/aws-sdk-go-v2/"
	forbidden := []string{sdk + "config", sdk + "service/sts", sdk + "service/sso", sdk + "service/ssooidc", sdk + "service/signin"}
	// The functions are a module of their own: list in it.
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", "./createauth")
	cmd.Dir = "../../triggers"
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		t.Fatalf("go list -deps triggers/createauth: %s", msg)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("triggers/createauth links %s; build the SDK clients from awsenv.Load", dep)
			}
		}
	}
}
