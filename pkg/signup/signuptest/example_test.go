package signuptest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
)

// exampleT stands in for the *testing.T that a test passes to NewCognito
// and an Example does not get: it keeps the cleanups, which close the
// server, and runs them when done. Any other method of testing.TB panics.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (*exampleT) Helper()            {}
func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) done() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// The body of a test of account linking: a local Cognito on 127.0.0.1
// holds a native user with a verified email, and the Linker, given a
// client of the real SDK pointed at it, links the first sign-in of a
// Google user with that email to her. The server records the calls, to
// check what the SDK sent.
func Example() {
	t := &exampleT{} // in a test: the *testing.T
	defer t.done()

	cognito := signuptest.NewCognito(t, signuptest.Pool{
		Users: []signuptest.User{{Username: "jane", Status: "CONFIRMED",
			Attributes: map[string]string{"email": "jane.doe@example.com", "email_verified": "true"}}},
		Providers: []string{"Google"},
	})
	linker := signup.NewLinker(signuptest.Client(cognito.URL))

	res, err := linker.Link(context.Background(), signup.FederatedUser{
		PoolID:        "us-east-1_EXAMPLE01",
		UserName:      "Google_100000000000000000002",
		Email:         "jane.doe@example.com",
		EmailVerified: true,
	})
	fmt.Println("result:", res, err)
	for _, call := range cognito.Calls() {
		fmt.Println(call.Operation, "signed:", call.Signed)
	}
	fmt.Printf("%s\n", cognito.CallsOf("AdminLinkProviderForUser")[0].Body)
	// Output:
	// result: linked <nil>
	// ListUsers signed: true
	// ListIdentityProviders signed: true
	// AdminLinkProviderForUser signed: true
	// {"DestinationUser":{"ProviderAttributeValue":"jane","ProviderName":"Cognito"},"SourceUser":{"ProviderAttributeName":"Cognito_Subject","ProviderAttributeValue":"100000000000000000002","ProviderName":"Google"},"UserPoolId":"us-east-1_EXAMPLE01"}
}
