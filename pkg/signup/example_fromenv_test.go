package signup_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// exampleCognito is an in-memory signup.CognitoAPI: one native user with
// a verified email, the identity provider Google, and links that succeed
// and are printed.
type exampleCognito struct{}

func (exampleCognito) ListUsers(context.Context, *cip.ListUsersInput, ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	return &cip.ListUsersOutput{Users: []types.UserType{{
		Username:   aws.String("jane-native"),
		UserStatus: types.UserStatusTypeConfirmed,
		Attributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String("jane.doe@example.com")},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
		},
	}}}, nil
}

func (exampleCognito) ListIdentityProviders(context.Context, *cip.ListIdentityProvidersInput, ...func(*cip.Options)) (*cip.ListIdentityProvidersOutput, error) {
	return &cip.ListIdentityProvidersOutput{Providers: []types.ProviderDescription{{ProviderName: aws.String("Google")}}}, nil
}

func (exampleCognito) AdminLinkProviderForUser(_ context.Context, in *cip.AdminLinkProviderForUserInput, _ ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error) {
	fmt.Printf("link %s to %s\n", aws.ToString(in.SourceUser.ProviderName), aws.ToString(in.DestinationUser.ProviderAttributeValue))
	return &cip.AdminLinkProviderForUserOutput{}, nil
}

// The shipped pre sign-up function, built in your own program from a
// map-backed environment, with an in-memory cognito-idp client and a quiet
// logger: a federated user's first sign-in is linked to the native user
// with the same email, and refused with a message asking to sign in again.
// In a main, pass the handler to lambda.Start, or call its Invoke.
func ExampleFromEnv() {
	env := map[string]string{
		signup.EnvLinkFederatedUsers:  "true",
		signup.EnvAllowedEmailDomains: "example.com",
	}
	h, err := signup.FromEnv(func(k string) string { return env[k] },
		signup.WithCognito(exampleCognito{}),
		fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler))))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	event, _ := fs.ReadFile(events.FS, "presignup/PreSignUp_ExternalProvider.native-user-match.json")
	_, err = triggertest.Invoke(h, event)
	fmt.Println("refused:", err)
	// Output:
	// link Google to jane-native
	// refused: Your sign-in is now linked to your existing account. Please sign in again to continue.
}
