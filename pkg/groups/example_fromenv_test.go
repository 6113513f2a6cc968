package groups_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// printingCognito is an in-memory groups.CognitoAPI that prints each
// call.
type printingCognito struct{}

func (printingCognito) AdminAddUserToGroup(_ context.Context, in *cip.AdminAddUserToGroupInput, _ ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error) {
	fmt.Printf("add %s to %s in %s\n", aws.ToString(in.Username), aws.ToString(in.GroupName), aws.ToString(in.UserPoolId))
	return &cip.AdminAddUserToGroupOutput{}, nil
}

// The shipped post confirmation function, built in your own program from
// a map-backed environment, with an in-memory cognito-idp client and a
// quiet logger: a confirmed sign-up joins DEFAULT_GROUP, a confirmed
// password reset makes no call.
func ExampleFromEnv() {
	env := map[string]string{groups.EnvDefaultGroup: "customers"}
	h, err := groups.FromEnv(func(k string) string { return env[k] },
		groups.WithCognito(printingCognito{}),
		fromenv.WithTriggerOptions(trigger.WithLogger(slog.New(slog.DiscardHandler))))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	for _, name := range []string{"PostConfirmation_ConfirmSignUp.json", "PostConfirmation_ConfirmForgotPassword.json"} {
		event, _ := fs.ReadFile(events.FS, "postconfirmation/"+name)
		if _, err := triggertest.Invoke(h, event); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// add 0f1e2d3c-0000-4000-8000-00000000000a to customers in us-east-1_EXAMPLE01
}
