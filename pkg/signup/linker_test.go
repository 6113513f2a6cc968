package signup_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const (
	matchFixture = "PreSignUp_ExternalProvider.native-user-match.json"
	janeEmail    = "jane.doe@example.com"
	janeUsername = "0f1e2d3c-0000-4000-8000-00000000000a"
	poolID       = "us-east-1_EXAMPLE01"
)

var (
	linkOn = map[string]string{signup.EnvLinkFederatedUsers: "true"}
	jane   = signuptest.User{Username: janeUsername, Status: "CONFIRMED",
		Attributes: map[string]string{"email": janeEmail, "email_verified": "true", "sub": janeUsername}}
	// janeAtFacebook is another federated user with Jane's email: it never
	// counts as a native user.
	janeAtFacebook = signuptest.User{Username: "facebook_10001", Status: "EXTERNAL_PROVIDER",
		Attributes: map[string]string{"email": janeEmail, "email_verified": "true"}}
	linked = outcome{denial: signup.LinkedMessage}
)

// linkBody is the AdminLinkProviderForUser request the SDK must send to
// link Google subject 100000000000000000002 to Jane.
const linkBody = `{
	"UserPoolId": "us-east-1_EXAMPLE01",
	"DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": "0f1e2d3c-0000-4000-8000-00000000000a"},
	"SourceUser": {"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "100000000000000000002"}
}`

func TestLinkFederatedUsers(t *testing.T) {
	tests := []struct {
		name      string
		pool      signuptest.Pool
		env       map[string]string
		fixture   string // matchFixture when empty
		userName  string
		edit      func(map[string]string)
		want      outcome
		wantCalls string // the operations called, in order
		wantLink  string // the AdminLinkProviderForUser body; "" for none
	}{
		{
			name:      "one native user: link it and ask to sign in again",
			pool:      signuptest.Pool{Users: []signuptest.User{jane, janeAtFacebook}, Providers: []string{"Google", "MyCorp-SAML"}},
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders AdminLinkProviderForUser",
			wantLink:  linkBody,
		},
		{
			name:      "no native user: the sign-up goes on",
			pool:      signuptest.Pool{Users: []signuptest.User{janeAtFacebook}, Providers: []string{"Google"}},
			want:      outcome{},
			wantCalls: "ListUsers",
		},
		{
			name: "several native users: refused",
			pool: signuptest.Pool{Users: []signuptest.User{jane, {Username: "jane-again", Status: "FORCE_CHANGE_PASSWORD",
				Attributes: map[string]string{"email": janeEmail, "email_verified": "true"}}}},
			want:      outcome{denial: signup.SeveralAccountsMessage},
			wantCalls: "ListUsers",
		},
		{
			name: "pages of users and providers are all read",
			pool: signuptest.Pool{PageSize: 1, Users: []signuptest.User{janeAtFacebook, jane},
				Providers: []string{"Facebook", "MyCorp-SAML", "Google"}},
			want:      linked,
			wantCalls: "ListUsers ListUsers ListIdentityProviders ListIdentityProviders ListIdentityProviders AdminLinkProviderForUser",
			wantLink:  linkBody,
		},
		{
			name:      "provider name with an underscore is split against the pool's names",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google", "My_Corp"}},
			userName:  "My_Corp_jane_doe",
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders AdminLinkProviderForUser",
			wantLink: `{"UserPoolId": "us-east-1_EXAMPLE01",
				"DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": "0f1e2d3c-0000-4000-8000-00000000000a"},
				"SourceUser": {"ProviderName": "My_Corp", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "jane_doe"}}`,
		},
		{
			name: "link that exists already counts as made",
			pool: signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"},
				Errors: map[string]signuptest.Error{"AdminLinkProviderForUser": {Type: "InvalidParameterException",
					Message: "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser"}}},
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders AdminLinkProviderForUser",
			wantLink:  linkBody,
		},
		{
			name: "link seen in the native user's identities is not made again",
			pool: signuptest.Pool{Users: []signuptest.User{{Username: janeUsername, Status: "CONFIRMED", Attributes: map[string]string{
				"email": janeEmail, "email_verified": "true",
				"identities": `[{"userId":"100000000000000000002","providerName":"Google","providerType":"Google","issuer":null,"primary":false,"dateCreated":1700000000000}]`,
			}}}, Providers: []string{"Google"}},
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders",
		},
		{
			name: "native user whose email is not verified is not linked",
			pool: signuptest.Pool{Users: []signuptest.User{{Username: janeUsername, Status: "UNCONFIRMED",
				Attributes: map[string]string{"email": janeEmail, "email_verified": "false"}}}},
			want:      outcome{},
			wantCalls: "ListUsers",
		},
		{
			name:      "email the identity provider did not verify is not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}},
			edit:      func(a map[string]string) { a["email_verified"] = "false" },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified absent: no proof, not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { delete(a, "email_verified") },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified False: not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { a["email_verified"] = "False" },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified 0: not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { a["email_verified"] = "0" },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified empty: not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { a["email_verified"] = "" },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified 1: not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { a["email_verified"] = "1" },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "email_verified TRUE in upper case: linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			edit:      func(a map[string]string) { a["email_verified"] = "TRUE" },
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders AdminLinkProviderForUser",
			wantLink:  linkBody,
		},
		{
			name:      "trusted provider without email_verified: linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google", "MyCorp-SAML"}},
			env:       map[string]string{signup.EnvTrustUnverifiedEmailProviders: "MyCorp-SAML"},
			userName:  "MyCorp-SAML_jane",
			edit:      func(a map[string]string) { delete(a, "email_verified") },
			want:      linked,
			wantCalls: "ListIdentityProviders ListUsers AdminLinkProviderForUser",
			wantLink: `{"UserPoolId": "us-east-1_EXAMPLE01",
				"DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": "0f1e2d3c-0000-4000-8000-00000000000a"},
				"SourceUser": {"ProviderName": "MyCorp-SAML", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "jane"}}`,
		},
		{
			name:      "untrusted provider without email_verified is not linked when another is trusted",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google", "MyCorp-SAML"}},
			env:       map[string]string{signup.EnvTrustUnverifiedEmailProviders: "MyCorp-SAML"},
			edit:      func(a map[string]string) { delete(a, "email_verified") },
			want:      outcome{},
			wantCalls: "ListIdentityProviders",
		},
		{
			name:      "trust in a provider is not trust in one whose name it prefixes",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Okta", "Okta_EU"}},
			env:       map[string]string{signup.EnvTrustUnverifiedEmailProviders: "Okta"},
			userName:  "Okta_EU_00u1fake",
			edit:      func(a map[string]string) { delete(a, "email_verified") },
			want:      outcome{},
			wantCalls: "ListIdentityProviders",
		},
		{
			name:      "trust is by the pool's spelling of the name",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"MyCorp-SAML"}},
			env:       map[string]string{signup.EnvTrustUnverifiedEmailProviders: "mycorp-saml"},
			userName:  "MyCorp-SAML_jane",
			edit:      func(a map[string]string) { delete(a, "email_verified") },
			want:      outcome{},
			wantCalls: "ListIdentityProviders",
		},
		{
			name:      "federated user without an email is not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}},
			edit:      func(a map[string]string) { delete(a, "email") },
			want:      outcome{},
			wantCalls: "",
		},
		{
			name:      "ambiguous provider names: not linked rather than guessed",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Okta", "Okta_EU"}},
			userName:  "Okta_EU_00u1fake",
			want:      outcome{},
			wantCalls: "ListUsers ListIdentityProviders",
		},
		{
			name:      "unknown provider: the names are fetched again once, then not linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}},
			userName:  "Acme_1234",
			want:      outcome{},
			wantCalls: "ListUsers ListIdentityProviders",
		},
		{
			name:      "built-in provider missing from the pool's list: split at the first underscore",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}},
			want:      linked,
			wantCalls: "ListUsers ListIdentityProviders AdminLinkProviderForUser",
			wantLink:  linkBody,
		},
		{
			name:      "blocked domain is refused before any call",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}},
			env:       map[string]string{signup.EnvBlockedEmailDomains: "example.com"},
			want:      outcome{denial: blocked},
			wantCalls: "",
		},
		{
			name:      "sign-ups that are not federated are never linked",
			pool:      signuptest.Pool{Users: []signuptest.User{jane}},
			fixture:   "PreSignUp_SignUp.json",
			want:      outcome{},
			wantCalls: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := signuptest.NewCognito(t, tt.pool)
			env := map[string]string{}
			for k, v := range linkOn {
				env[k] = v
			}
			for k, v := range tt.env {
				env[k] = v
			}
			fixture := tt.fixture
			if fixture == "" {
				fixture = matchFixture
			}
			inv := invocation{env: env, linker: signup.NewLinker(signuptest.Client(fake.URL)), fixture: fixture,
				userName: tt.userName, edit: tt.edit}
			inv.check(t, tt.want)

			calls := fake.Calls()
			var ops []string
			for _, c := range calls {
				ops = append(ops, c.Operation)
				if !c.Signed {
					t.Errorf("%s was not signed with SigV4", c.Operation)
				}
			}
			if got := strings.Join(ops, " "); got != tt.wantCalls {
				t.Errorf("calls = %q, want %q", got, tt.wantCalls)
			}
			if len(calls) > 0 && calls[0].Operation == "ListUsers" {
				assertJSON(t, calls[0].Body, `{"UserPoolId": "us-east-1_EXAMPLE01", "Filter": "email = \"jane.doe@example.com\""}`)
			}
			if links := fake.CallsOf("AdminLinkProviderForUser"); tt.wantLink != "" {
				if len(links) != 1 {
					t.Fatalf("AdminLinkProviderForUser called %d times, want once", len(links))
				}
				assertJSON(t, links[0].Body, tt.wantLink)
			}
		})
	}
}

// assertJSON fails the test when got and want are not the same JSON,
// ignoring a pagination token.
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	delete(g, "PaginationToken")
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("request body = %s, want %s", gb, wb)
	}
}

func TestLinkFailuresAreInternalErrors(t *testing.T) {
	tests := []struct {
		name  string
		pool  signuptest.Pool
		check func(t *testing.T, err error, logs string)
	}{
		{
			name: "ListUsers refused",
			pool: signuptest.Pool{Errors: map[string]signuptest.Error{"ListUsers": {Type: "NotAuthorizedException",
				Message: "not allowed to list users"}}},
		},
		{
			name: "ListIdentityProviders throttled",
			pool: signuptest.Pool{Users: []signuptest.User{jane}, Errors: map[string]signuptest.Error{"ListIdentityProviders": {
				Type: "TooManyRequestsException", Message: "Rate exceeded"}}},
		},
		{
			name: "AdminLinkProviderForUser refused, its message holding the email",
			pool: signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}, Errors: map[string]signuptest.Error{
				"AdminLinkProviderForUser": {Type: "InvalidParameterException", Message: "user jane.doe@example.com has an immutable attribute"}}},
			check: func(t *testing.T, _ error, logs string) {
				if !strings.Contains(logs, "j***@e***.com") || !strings.Contains(logs, "InvalidParameterException") {
					t.Errorf("the log does not show the masked SDK error:\n%s", logs)
				}
			},
		},
		{
			name: "server error",
			pool: signuptest.Pool{Errors: map[string]signuptest.Error{"ListUsers": {Type: "InternalErrorException",
				Message: "boom", Status: 500}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := signuptest.NewCognito(t, tt.pool)
			inv := invocation{env: linkOn, linker: signup.NewLinker(signuptest.Client(fake.URL)), fixture: matchFixture}
			_, logs, err := inv.run(t)
			var ie *trigger.InternalError
			if !errors.As(err, &ie) || ie.RequestID == "" {
				t.Fatalf("error = %v, want an internal error with a reference", err)
			}
			if strings.Contains(err.Error(), "Exception") {
				t.Errorf("the user sees the SDK error: %v", err)
			}
			if !strings.Contains(logs, `"outcome":"error"`) || strings.Contains(logs, janeEmail) {
				t.Errorf("log line of the failure (want outcome error, email masked):\n%s", logs)
			}
			if tt.check != nil {
				tt.check(t, err, logs)
			}
		})
	}
}

// TestLinkRunsWithinTheDeadlineBudget holds every answer back longer than
// the handler's budget: the SDK call must give up with the budget, and
// the failure is a timeout.
func TestLinkRunsWithinTheDeadlineBudget(t *testing.T) {
	fake := signuptest.NewCognito(t, signuptest.Pool{Users: []signuptest.User{jane}, Delay: 3 * time.Second})
	fn, err := signup.Handler(signup.Policy{LinkFederatedUsers: true}, signup.NewLinker(signuptest.Client(fake.URL)))
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	h := trigger.PreSignUp(fn, trigger.WithBudget(400*time.Millisecond, 100*time.Millisecond),
		trigger.WithLogger(trigger.NewLogger(&logs, nil)))
	start := time.Now()
	_, err = h.Invoke(context.Background(), triggertest.Load(t, fixtures+matchFixture))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the invocation took %v, want it cut at the 300ms budget", took)
	}
	var ie *trigger.InternalError
	if !errors.As(err, &ie) || !strings.Contains(logs.String(), `"outcome":"timeout"`) {
		t.Errorf("error = %v, log:\n%s\nwant an internal error logged as a timeout", err, logs.String())
	}
}

func TestLinkerCachesProviderNames(t *testing.T) {
	tests := []struct {
		name     string
		opts     []signup.LinkerOption
		links    int
		wantList int
	}{
		{"fetched once within the TTL", nil, 3, 1},
		{"fetched for every link with no TTL", []signup.LinkerOption{signup.WithProviderCacheTTL(0)}, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := signuptest.NewCognito(t, signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}})
			l := signup.NewLinker(signuptest.Client(fake.URL), tt.opts...)
			for range tt.links {
				res, err := l.Link(context.Background(), signup.FederatedUser{PoolID: poolID, UserName: "Google_100000000000000000002", Email: janeEmail, EmailVerified: true})
				if err != nil || res != signup.Linked {
					t.Fatalf("Link() = %v, %v; want linked", res, err)
				}
			}
			if got := len(fake.CallsOf("ListIdentityProviders")); got != tt.wantList {
				t.Errorf("ListIdentityProviders called %d times for %d links, want %d", got, tt.links, tt.wantList)
			}
		})
	}
}

// TestLinkReadsJSONBooleans sends email_verified as a JSON boolean, as
// some tools that replay events do: true links like "true", false does
// not.
func TestLinkReadsJSONBooleans(t *testing.T) {
	tests := []struct {
		value     string
		want      outcome
		wantCalls int
	}{
		{`true`, linked, 3},
		{`false`, outcome{}, 0},
		{`null`, outcome{}, 0},
		{`1`, outcome{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			fake := signuptest.NewCognito(t, signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}})
			policy, err := signup.PolicyFromEnv(func(k string) string { return linkOn[k] })
			if err != nil {
				t.Fatal(err)
			}
			fn, err := signup.Handler(policy, signup.NewLinker(signuptest.Client(fake.URL)))
			if err != nil {
				t.Fatal(err)
			}
			in := string(triggertest.Load(t, fixtures+matchFixture))
			payload := strings.Replace(in, `"email_verified": "true"`, `"email_verified": `+tt.value, 1)
			if payload == in {
				t.Fatal("fixture changed: no email_verified to replace")
			}
			_, err = triggertest.Invoke(trigger.PreSignUp(fn), []byte(payload))
			var d *trigger.Denial
			switch {
			case tt.want.denial != "" && (!errors.As(err, &d) || d.Error() != tt.want.denial):
				t.Errorf("error = %v, want the denial %q", err, tt.want.denial)
			case tt.want.denial == "" && err != nil:
				t.Errorf("error = %v, want the sign-up to go on", err)
			}
			if got := len(fake.Calls()); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
		})
	}
}
