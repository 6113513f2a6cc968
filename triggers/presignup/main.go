// Command presignup is the pre sign-up trigger: it applies the email
// domain rules of ALLOWED_EMAIL_DOMAINS, BLOCKED_EMAIL_DOMAINS and
// AUTO_CONFIRM_EMAIL_DOMAINS, and with LINK_FEDERATED_USERS=true links a
// federated user's first sign-in to the native user with the same email.
// See docs/presignup.md; the policy lives in pkg/signup.
package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() { trigger.Main("presignup", newHandler) }

// newHandler builds the function from its environment. The SDK client is
// built only when linking is on; building it makes no network call.
func newHandler(getenv func(string) string) (*trigger.Handler, error) {
	opts, err := trigger.OptionsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	policy, err := signup.PolicyFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	var linker *signup.Linker
	if policy.LinkFederatedUsers {
		cfg, err := awsenv.Load(getenv)
		if err != nil {
			return nil, fmt.Errorf("load the AWS SDK configuration for %s: %w", signup.EnvLinkFederatedUsers, err)
		}
		linker = signup.NewLinker(cognitoidentityprovider.NewFromConfig(cfg))
	}
	fn, err := signup.Handler(policy, linker)
	if err != nil {
		return nil, err
	}
	return trigger.PreSignUp(fn, opts...), nil
}
