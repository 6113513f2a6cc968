package groups_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// BenchmarkPostConfirmation measures the post confirmation function of
// triggers/postconfirmation, built as groups.FromEnv builds it
// (groups.ConfigFromEnv with DEFAULT_GROUP set, groups.Handler,
// trigger.PostConfirmation) but with an in-process fake in place of the
// SDK's cognito-idp client, and the deployed logger (JSON at level Info)
// writing to io.Discard. It invokes the function through the adapter the
// way Lambda does; the figures leave out the SDK and the network.
func BenchmarkPostConfirmation(b *testing.B) {
	env := map[string]string{groups.EnvDefaultGroup: "users"}
	cfg, err := groups.ConfigFromEnv(getenv(env))
	if err != nil {
		b.Fatalf("ConfigFromEnv: %v", err)
	}
	api := &benchCognito{}
	fn, err := groups.Handler(cfg, api)
	if err != nil {
		b.Fatalf("Handler: %v", err)
	}
	h := trigger.PostConfirmation(fn, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))
	payload := triggertest.Load(b, eventsDir+"PostConfirmation_ConfirmSignUp.json")
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()

	// Check once that the function does its work, so that the loop cannot
	// measure an error path: the user is added to the group, and the event
	// comes back as it came.
	out, err := h.Invoke(ctx, payload)
	if err != nil {
		b.Fatalf("Invoke: %v", err)
	}
	if same, err := triggertest.Equivalent(out, payload); err != nil || !same {
		b.Fatalf("answer:\n%s\nwant the event as it came:\n%s", out, payload)
	}
	if api.calls != 1 {
		b.Fatalf("AdminAddUserToGroup called %d times, want once", api.calls)
	}
	if in := api.last; aws.ToString(in.UserPoolId) != "us-east-1_EXAMPLE01" || aws.ToString(in.Username) != janeUser || aws.ToString(in.GroupName) != "users" {
		b.Fatalf("AdminAddUserToGroup adds %s to %s in %s, want %s to users in us-east-1_EXAMPLE01",
			aws.ToString(in.Username), aws.ToString(in.GroupName), aws.ToString(in.UserPoolId), janeUser)
	}

	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	n := 0
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if api.calls != n+1 {
		b.Fatalf("AdminAddUserToGroup called %d times in %d invocations", api.calls, n+1)
	}
}

// benchCognito is an in-process groups.CognitoAPI whose every call
// succeeds. It counts the calls and keeps the last input.
type benchCognito struct {
	calls int
	last  *cip.AdminAddUserToGroupInput
}

func (f *benchCognito) AdminAddUserToGroup(_ context.Context, in *cip.AdminAddUserToGroupInput, _ ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error) {
	f.calls++
	f.last = in
	return &cip.AdminAddUserToGroupOutput{}, nil
}
