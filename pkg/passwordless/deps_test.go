package passwordless_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
)

// TestCreateLinksNoSDKLoader keeps create on awsenv: the SDK's general
// loader (aws-sdk-go-v2/config) and the clients of the credential sources
// a Lambda function never uses (STS, SSO, SSO-OIDC, sign-in) cost
// megabytes of binary and a millisecond of start-up. It lists the
// packages of triggers/createauth as Lambda builds them.
func TestCreateLinksNoSDKLoader(t *testing.T) {
	const sdk = "github.com/aws/aws-sdk-go-v2/"
	forbidden := []string{sdk + "config", sdk + "service/sts", sdk + "service/sso", sdk + "service/ssooidc", sdk + "service/signin"}
	for _, dep := range buildtest.Deps(t, "../../triggers/createauth") {
		for _, bad := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("triggers/createauth links %s; build the SDK clients from awsenv.Load", dep)
			}
		}
	}
}
