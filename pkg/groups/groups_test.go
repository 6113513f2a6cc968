package groups_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const eventsDir = "../../events/postconfirmation/"

// The users of the fixtures.
const (
	janeUser  = "0f1e2d3c-0000-4000-8000-00000000000a" // PostConfirmation_ConfirmSignUp.json
	johnUser  = "0f1e2d3c-0000-4000-8000-00000000000b" // PostConfirmation_ConfirmForgotPassword.json
	chrisUser = "chris.sample"                         // PostConfirmation_ConfirmSignUp.admin-confirmed.json
)

func getenv(m map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := m[k]; ok || !strings.HasPrefix(k, "AWS_") {
			return v
		}
		return os.Getenv(k) // the AWS settings a test points at moto_server
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		value   string
		want    string // the group, or "" when refused
		wantErr string
	}{
		{value: "users", want: "users"},
		{value: "  users ", want: "users"},
		{value: "us-east-1_EXAMPLE01_Google", want: "us-east-1_EXAMPLE01_Google"},
		{value: "Équipe.Ventes+2024", want: "Équipe.Ventes+2024"},
		{value: strings.Repeat("g", 128), want: strings.Repeat("g", 128)},
		{value: "", wantErr: "DEFAULT_GROUP is not set"},
		{value: " \t", wantErr: "DEFAULT_GROUP is not set"},
		{value: "new users", wantErr: "not a group name"},
		{value: "users\x00", wantErr: "not a group name"},
		{value: strings.Repeat("g", 129), wantErr: "not a group name"},
		{value: "\xff", wantErr: "not a group name"},
	}
	for _, tt := range tests {
		c, err := groups.ConfigFromEnv(getenv(map[string]string{groups.EnvDefaultGroup: tt.value}))
		switch {
		case tt.wantErr == "" && (err != nil || c.DefaultGroup != tt.want):
			t.Errorf("ConfigFromEnv(%q) = %q, %v; want %q", tt.value, c.DefaultGroup, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), groups.EnvDefaultGroup)):
			t.Errorf("ConfigFromEnv(%q) error = %v, want one naming %s and saying %q", tt.value, err, groups.EnvDefaultGroup, tt.wantErr)
		}
	}
}

func TestHandlerRefusesWhatCannotWork(t *testing.T) {
	if _, err := groups.Handler(groups.Config{DefaultGroup: "users"}, nil); err == nil {
		t.Error("Handler without a client: nil error")
	}
	if _, err := groups.Handler(groups.Config{}, &cip.Client{}); err == nil || !strings.Contains(err.Error(), groups.EnvDefaultGroup) {
		t.Errorf("Handler without a group: error = %v", err)
	}
}

// TestHandlerAgainstMoto runs the handler, through the adapter, on
// fixtures pointed at a moto_server pool that has the group "users" and
// the fixtures' users. The cases run in order: the second run of a user
// finds them in the group already.
func TestHandlerAgainstMoto(t *testing.T) {
	endpoint := mototest.Start(t)
	api := cip.NewFromConfig(mototest.Config(endpoint), func(o *cip.Options) { o.RetryMaxAttempts = 1 })
	pool := createPool(t, api)
	tests := []struct {
		name       string
		fixture    string
		group      string
		asUser     string   // the event's userName, when not the fixture's
		wantLog    string   // "" when the event must come back unchanged; else the end user gets an internal error and the log says this
		user       string   // whose groups are checked afterwards
		wantGroups []string // their groups
	}{
		{name: "a confirmed user joins the group", fixture: "PostConfirmation_ConfirmSignUp.json", group: "users",
			user: janeUser, wantGroups: []string{"users"}},
		{name: "a second run changes nothing", fixture: "PostConfirmation_ConfirmSignUp.json", group: "users",
			user: janeUser, wantGroups: []string{"users"}},
		{name: "a user in the group already stays in it", fixture: "PostConfirmation_ConfirmSignUp.admin-confirmed.json", group: "users",
			user: chrisUser, wantGroups: []string{"users"}},
		// A call would fail: the group does not exist.
		{name: "a password reset makes no call", fixture: "PostConfirmation_ConfirmForgotPassword.json", group: "no-such-group",
			user: johnUser, wantGroups: nil},
		{name: "a missing group is an internal error that the log names", fixture: "PostConfirmation_ConfirmSignUp.json", group: "no-such-group",
			wantLog: `group \"no-such-group\" not found in user pool ` + pool + `: create it, or set DEFAULT_GROUP to an existing group`,
			user:    janeUser, wantGroups: []string{"users"}},
		{name: "an unknown user is an internal error", fixture: "PostConfirmation_ConfirmSignUp.json", group: "users", asUser: johnUser,
			wantLog: `add the user to group \"users\": operation error Cognito Identity Provider: AdminAddUserToGroup`,
			user:    johnUser, wantGroups: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			fn, err := groups.Handler(groups.Config{DefaultGroup: tt.group}, api)
			if err != nil {
				t.Fatal(err)
			}
			h := trigger.PostConfirmation(fn, trigger.WithLogger(trigger.NewLogger(&logs, slog.LevelInfo)))
			in := inPool(t, eventsDir+tt.fixture, pool, tt.asUser)
			out, err := triggertest.Invoke(h, in)
			if tt.wantLog == "" {
				if err != nil {
					t.Fatalf("Invoke: %v\nlog: %s", err, logs.String())
				}
				triggertest.AssertEqual(t, out, in)
			} else {
				if _, ok := errors.AsType[*trigger.InternalError](err); !ok {
					t.Errorf("Invoke error = %v, want an internal error", err)
				}
				if !strings.Contains(logs.String(), tt.wantLog) {
					t.Errorf("log:\n%s\nwant it to contain %s", logs.String(), tt.wantLog)
				}
			}
			if got := groupsOf(t, api, pool, tt.user); !slices.Equal(got, tt.wantGroups) {
				t.Errorf("groups of %s = %q, want %q", tt.user, got, tt.wantGroups)
			}
		})
	}
}

// TestFromEnv builds the function the way Lambda starts it, with the SDK
// configured by the standard AWS_* variables only, pointed at moto_server.
func TestFromEnv(t *testing.T) {
	endpoint := mototest.Start(t)
	mototest.Setenv(t, endpoint)
	api := cip.NewFromConfig(mototest.Config(endpoint))
	pool := createPool(t, api)
	tests := []struct {
		env     map[string]string
		wantErr string // the variable the error names; "" when the function must start
	}{
		{env: map[string]string{groups.EnvDefaultGroup: "users", "LOG_LEVEL": "error"}},
		{env: map[string]string{"LOG_LEVEL": "error"}, wantErr: groups.EnvDefaultGroup},
		{env: map[string]string{groups.EnvDefaultGroup: "new users"}, wantErr: groups.EnvDefaultGroup},
		{env: map[string]string{groups.EnvDefaultGroup: "users", "LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
	}
	for _, tt := range tests {
		h, err := groups.FromEnv(getenv(tt.env))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("FromEnv(%v) error = %v, want one naming %s", tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("FromEnv(%v): %v", tt.env, err)
		}
		if _, err := triggertest.Invoke(h, inPool(t, eventsDir+"PostConfirmation_ConfirmSignUp.json", pool, "")); err != nil {
			t.Fatalf("Invoke: %v", err)
		}
		if got := groupsOf(t, api, pool, janeUser); !slices.Equal(got, []string{"users"}) {
			t.Errorf("groups = %q, want [users]", got)
		}
	}
}

// createPool creates a pool with the group "users" and the fixtures'
// users (chris is in the group already; john, as the unknown user of one
// case, is not created), and returns its ID.
func createPool(t *testing.T, api *cip.Client) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := api.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("groups-test")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := out.UserPool.Id
	if _, err := api.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("users")}); err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	for _, u := range []string{janeUser, chrisUser} {
		// The SDK retries a request moto failed to answer, and a retry
		// of a create that went through finds the user there: that is
		// the state wanted.
		_, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(u), MessageAction: types.MessageActionTypeSuppress})
		if _, exists := errors.AsType[*types.UsernameExistsException](err); err != nil && !exists {
			t.Fatalf("AdminCreateUser %s: %v", u, err)
		}
	}
	if _, err := api.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String(chrisUser), GroupName: aws.String("users")}); err != nil {
		t.Fatalf("AdminAddUserToGroup: %v", err)
	}
	return aws.ToString(pool)
}

// inPool returns a fixture pointed at pool, and at user unless it is "".
func inPool(t *testing.T, path, pool, user string) []byte {
	t.Helper()
	ev := *triggertest.LoadEvent[map[string]any](t, path)
	ev["userPoolId"] = pool
	if user != "" {
		ev["userName"] = user
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// groupsOf returns the names of a user's groups, sorted; nil for a user
// the pool does not have.
func groupsOf(t *testing.T, api *cip.Client, pool, user string) []string {
	t.Helper()
	out, err := api.AdminListGroupsForUser(t.Context(), &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String(user)})
	if _, ok := errors.AsType[*types.UserNotFoundException](err); ok {
		return nil
	}
	if err != nil {
		t.Fatalf("AdminListGroupsForUser %s: %v", user, err)
	}
	var names []string
	for _, g := range out.Groups {
		names = append(names, aws.ToString(g.GroupName))
	}
	slices.Sort(names)
	return names
}
