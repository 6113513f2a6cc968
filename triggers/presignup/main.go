// Command presignup is the pre sign-up trigger. For now it lets every
// sign-up through unchanged; the sign-up policies (allowed and blocked
// email domains, auto-confirmation) come with their own issue.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	opts, err := trigger.OptionsFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "presignup: bad configuration:", err)
		os.Exit(1)
	}
	lambda.Start(trigger.PreSignUp(passThrough, opts...))
}

// passThrough accepts the sign-up as Cognito sent it.
func passThrough(context.Context, *trigger.PreSignUpEvent) error { return nil }
