package signup_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// benchEnv is the environment the benchmarks build the function from:
// domain rules under which the fixtures' example.com users sign up and are
// confirmed without a code.
var benchEnv = map[string]string{
	signup.EnvAllowedEmailDomains:     "example.com,example.org",
	signup.EnvBlockedEmailDomains:     "throwaway.example.org",
	signup.EnvAutoConfirmEmailDomains: "example.com",
}

// benchQuiet is the deployed function's logger (JSON at level Info, the
// default of trigger.OptionsFromEnv) writing to io.Discard: the log line
// of every invocation is formatted, but nothing prints.
var benchQuiet = trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))

// Responses the benchmarks expect. Auto-confirmation leaves the email
// unverified: only MARK_UNPROVEN_EMAIL_VERIFIED would set autoVerifyEmail.
const (
	benchConfirmed = `{"autoConfirmUser": true, "autoVerifyEmail": false, "autoVerifyPhone": false}`
	benchUnchanged = `{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}`
)

// BenchmarkPreSignUp measures the pre sign-up function as
// triggers/presignup/main.go builds it (signup.PolicyFromEnv,
// signup.Handler, trigger.PreSignUp), invoked through the adapter the way
// Lambda invokes it, on the fixtures of events/presignup. With
// LINK_FEDERATED_USERS the cognito-idp client is an in-process fake, so
// the figures leave out the SDK and the network; the Linker caches the
// pool's provider names, so a warm function calls ListIdentityProviders
// once, before the loop.
func BenchmarkPreSignUp(b *testing.B) {
	tests := []struct {
		name    string
		fixture string
		link    bool
		users   []types.UserType // the users ListUsers finds, when link is set
		// want is the response the function must return, or denial the
		// message it must refuse the sign-up with.
		want   string
		denial string
		// calls are the cognito-idp calls of one invocation: ListUsers,
		// ListIdentityProviders and AdminLinkProviderForUser, and of the
		// next ones, once the provider names are cached.
		calls, warmCalls [3]int
	}{
		{name: "SignUp", fixture: "PreSignUp_SignUp.json", want: benchConfirmed},
		{name: "AdminCreateUser", fixture: "PreSignUp_AdminCreateUser.json", want: benchUnchanged},
		{name: "ExternalProvider", fixture: "PreSignUp_ExternalProvider.json", want: benchConfirmed},
		{
			name: "ExternalProvider/link/no-native-user", fixture: "PreSignUp_ExternalProvider.json",
			link: true, want: benchConfirmed,
			calls: [3]int{1, 0, 0}, warmCalls: [3]int{1, 0, 0},
		},
		{
			// Linking refuses the sign-up by design: the user must sign in
			// again. The denial is this case's correct answer.
			name: "ExternalProvider/link/linked", fixture: "PreSignUp_ExternalProvider.native-user-match.json",
			link: true, users: []types.UserType{benchJane}, denial: signup.LinkedMessage,
			calls: [3]int{1, 1, 1}, warmCalls: [3]int{1, 0, 1},
		},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			env := maps.Clone(benchEnv)
			api := newBenchCognito(tt.users...)
			if tt.link {
				env[signup.EnvLinkFederatedUsers] = "true"
			}
			h := benchHandler(b, env, api)
			payload := triggertest.Load(b, "../../events/presignup/"+tt.fixture)
			ctx, cancel := triggertest.Context(1 << 40)
			defer cancel()
			check := func(err error) error {
				if tt.denial == "" {
					return err
				}
				if d, ok := errors.AsType[*trigger.Denial](err); !ok || d.Error() != tt.denial {
					return fmt.Errorf("error = %v, want the denial %q", err, tt.denial)
				}
				return nil
			}

			// Check once that the function does its work, so that the loop
			// cannot measure an error path.
			out, err := h.Invoke(ctx, payload)
			if err := check(err); err != nil {
				b.Fatal(err)
			}
			if tt.denial == "" {
				if want := withResponse(b, payload, tt.want); !benchSame(out, want) {
					b.Fatalf("answer:\n%s\nwant:\n%s", out, want)
				}
			}
			if tt.link {
				api.checkFirst(b, tt.calls)
			}

			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			n := 0
			for b.Loop() {
				_, err := h.Invoke(ctx, payload)
				if err := check(err); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if tt.link {
				api.checkWarm(b, tt.calls, tt.warmCalls, n)
			}
		})
	}
}

// benchHandler builds the function from env as triggers/presignup/main.go
// does, with api in place of the SDK client and a quiet logger.
func benchHandler(b *testing.B, env map[string]string, api signup.CognitoAPI) *trigger.Handler {
	b.Helper()
	policy, err := signup.PolicyFromEnv(func(k string) string { return env[k] })
	if err != nil {
		b.Fatalf("PolicyFromEnv: %v", err)
	}
	var linker *signup.Linker
	if policy.LinkFederatedUsers {
		linker = signup.NewLinker(api)
	}
	fn, err := signup.Handler(policy, linker)
	if err != nil {
		b.Fatalf("Handler: %v", err)
	}
	return trigger.PreSignUp(fn, benchQuiet)
}

// withResponse returns the event payload with its response replaced by
// response: what the function must answer.
func withResponse(b *testing.B, payload []byte, response string) []byte {
	b.Helper()
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(payload, &ev); err != nil {
		b.Fatal(err)
	}
	ev["response"] = json.RawMessage(response)
	out, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// benchSame reports whether two JSON documents hold the same data.
func benchSame(a, b []byte) bool {
	same, err := triggertest.Equivalent(a, b)
	return err == nil && same
}

// benchJane is the native user of the native-user-match fixture: her email
// is verified, so the federated user is linked to her.
var benchJane = types.UserType{
	Username:   aws.String("0f1e2d3c-0000-4000-8000-00000000000a"),
	UserStatus: types.UserStatusTypeConfirmed,
	Attributes: []types.AttributeType{
		{Name: aws.String("email"), Value: aws.String("jane.doe@example.com")},
		{Name: aws.String("email_verified"), Value: aws.String("true")},
	},
}

// benchCognito is an in-process signup.CognitoAPI: ListUsers finds its
// users whatever the filter, the pool has the providers Google and
// MyCorp-SAML, and every link succeeds. It counts the calls and keeps
// the last inputs.
type benchCognito struct {
	users     *cip.ListUsersOutput
	providers *cip.ListIdentityProvidersOutput

	counts   [3]int // ListUsers, ListIdentityProviders, AdminLinkProviderForUser
	lastList *cip.ListUsersInput
	lastLink *cip.AdminLinkProviderForUserInput
}

func newBenchCognito(users ...types.UserType) *benchCognito {
	return &benchCognito{
		users: &cip.ListUsersOutput{Users: users},
		providers: &cip.ListIdentityProvidersOutput{Providers: []types.ProviderDescription{
			{ProviderName: aws.String("Google"), ProviderType: types.IdentityProviderTypeTypeGoogle},
			{ProviderName: aws.String("MyCorp-SAML"), ProviderType: types.IdentityProviderTypeTypeSaml},
		}},
	}
}

func (f *benchCognito) ListUsers(_ context.Context, in *cip.ListUsersInput, _ ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	f.counts[0]++
	f.lastList = in
	return f.users, nil
}

func (f *benchCognito) ListIdentityProviders(context.Context, *cip.ListIdentityProvidersInput, ...func(*cip.Options)) (*cip.ListIdentityProvidersOutput, error) {
	f.counts[1]++
	return f.providers, nil
}

func (f *benchCognito) AdminLinkProviderForUser(_ context.Context, in *cip.AdminLinkProviderForUserInput, _ ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error) {
	f.counts[2]++
	f.lastLink = in
	return &cip.AdminLinkProviderForUserOutput{}, nil
}

// checkFirst checks the calls of the first invocation.
func (f *benchCognito) checkFirst(b *testing.B, want [3]int) {
	b.Helper()
	if f.counts != want {
		b.Fatalf("calls (ListUsers, ListIdentityProviders, AdminLinkProviderForUser) = %v, want %v", f.counts, want)
	}
	if f.lastList == nil || aws.ToString(f.lastList.UserPoolId) != "us-east-1_EXAMPLE01" {
		b.Fatalf("ListUsers was not called on the fixture's pool")
	}
	if want[2] > 0 {
		src, dst := f.lastLink.SourceUser, f.lastLink.DestinationUser
		if aws.ToString(src.ProviderName) != "Google" || aws.ToString(src.ProviderAttributeValue) != "100000000000000000002" ||
			aws.ToString(dst.ProviderAttributeValue) != aws.ToString(benchJane.Username) {
			b.Fatalf("AdminLinkProviderForUser links %s %s to %s, want Google 100000000000000000002 to %s",
				aws.ToString(src.ProviderName), aws.ToString(src.ProviderAttributeValue),
				aws.ToString(dst.ProviderAttributeValue), aws.ToString(benchJane.Username))
		}
	}
}

// checkWarm checks that n more invocations made the warm calls each.
func (f *benchCognito) checkWarm(b *testing.B, first, warm [3]int, n int) {
	b.Helper()
	var want [3]int
	for i := range want {
		want[i] = first[i] + n*warm[i]
	}
	if f.counts != want {
		b.Fatalf("after %d more invocations, calls = %v, want %v", n, f.counts, want)
	}
}
