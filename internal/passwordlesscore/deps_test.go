package passwordlesscore_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
)

// TestDecidingFunctionsLinkNoSDK keeps define and verify, which only
// decide, free of what create needs to send: the AWS SDK (megabytes of
// binary and milliseconds of start-up) and the message templates. It
// lists their packages as Lambda builds them, with lambda.norpc (without
// it, aws-lambda-go links net/rpc, which links html/template).
func TestDecidingFunctionsLinkNoSDK(t *testing.T) {
	forbidden := []string{"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go", "html/template", "text/template"}
	for _, fn := range []string{"defineauth", "verifyauth"} {
		t.Run(fn, func(t *testing.T) {
			for _, dep := range buildtest.Deps(t, "../../triggers/"+fn) {
				for _, bad := range forbidden {
					if dep == bad || strings.HasPrefix(dep, bad+"/") {
						t.Errorf("triggers/%s links %s; define and verify must build from packages that link neither the AWS SDK nor the templates", fn, dep)
					}
				}
			}
		})
	}
}
