package claims_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const eventsDir = "../../events"

// fixtureEnv is the configuration the golden files were made with.
var fixtureEnv = map[string]string{
	claims.EnvIDTokenClaimsFromAttributes: "custom:tenant=tenant_id,locale",
	claims.EnvAccessTokenScopesByGroup:    "admins=example-api/admin example-api/write;editors=example-api/write;readers=example-api/read openid",
	claims.EnvSuppressClaims:              "phone_number",
	"LOG_LEVEL":                           "error",
}

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func fromEnv(t *testing.T, env map[string]string) lambda.Handler {
	t.Helper()
	r, err := claims.FromEnv(getenv(env))
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	return r
}

func fixtures(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(eventsDir, "pretokengen-v*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no pre token generation fixtures (err %v)", err)
	}
	return paths
}

// wire is the part of an event the checks read, in its JSON form.
type wire struct {
	Request struct {
		GroupConfiguration json.RawMessage `json:"groupConfiguration"`
	} `json:"request"`
	Response map[string]*struct {
		// Version 1 has the claims at this level, version 2 and 3 under
		// idTokenGeneration.
		ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
		ClaimsToSuppress      []string       `json:"claimsToSuppress"`
		IDTokenGeneration     *struct {
			ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
			ClaimsToSuppress      []string       `json:"claimsToSuppress"`
		} `json:"idTokenGeneration"`
		GroupOverrideDetails json.RawMessage `json:"groupOverrideDetails"`
	} `json:"response"`
}

// TestFixtures runs the function, configured with fixtureEnv, on every pre
// token generation fixture (versions 1, 2 and 3, client credentials
// included) and compares the response with
// testdata/golden/<dir>/<fixture>. After a deliberate change, run
//
//	go test ./pkg/claims -run TestFixtures -update
//
// and review the diff. Whatever the golden files say, the request must
// come back as it was, the groups must be kept whenever the response
// changes anything, and no protected claim may be touched.
func TestFixtures(t *testing.T) {
	h := fromEnv(t, fixtureEnv)
	for _, path := range fixtures(t) {
		name := strings.TrimPrefix(path, eventsDir+"/")
		t.Run(name, func(t *testing.T) {
			in := triggertest.Load(t, path)
			out, err := triggertest.Invoke(h, in)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var got map[string]json.RawMessage
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			golden(t, name, got["response"])
			checkResponse(t, in, out)
		})
	}
}

// checkResponse checks what every answer must keep: the event as it came
// but for its response, the user's groups, and the protected claims.
func checkResponse(t *testing.T, in, out []byte) {
	t.Helper()
	var before, after map[string]json.RawMessage
	if err := json.Unmarshal(in, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &after); err != nil {
		t.Fatal(err)
	}
	after["response"] = before["response"]
	rest, _ := json.Marshal(after)
	triggertest.AssertEqual(t, rest, in)

	var w wire
	if err := json.Unmarshal(out, &w); err != nil {
		t.Fatal(err)
	}
	for _, details := range w.Response {
		if details == nil {
			continue
		}
		if ok, err := triggertest.Equivalent(details.GroupOverrideDetails, w.Request.GroupConfiguration); err != nil || !ok {
			t.Errorf("groupOverrideDetails = %s, want the request's groupConfiguration %s", details.GroupOverrideDetails, w.Request.GroupConfiguration)
		}
		added, suppressed := details.ClaimsToAddOrOverride, details.ClaimsToSuppress
		if id := details.IDTokenGeneration; id != nil {
			added, suppressed = id.ClaimsToAddOrOverride, id.ClaimsToSuppress
		}
		for c := range added {
			suppressed = append(suppressed, c)
		}
		for _, c := range suppressed {
			if claims.Protected(c) {
				t.Errorf("the response changes the protected claim %q", c)
			}
		}
	}
}

// golden compares a response with its golden file, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got json.RawMessage) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("response of %s:\n%s\nwant (%s):\n%s", name, pretty.Bytes(), path, want)
	}
}

func TestUnconfiguredReturnsEveryEventAsItCame(t *testing.T) {
	h := fromEnv(t, map[string]string{"LOG_LEVEL": "error"})
	for _, path := range fixtures(t) {
		in := triggertest.Load(t, path)
		out, err := triggertest.Invoke(h, in)
		if err != nil {
			t.Fatalf("%s: Invoke: %v", path, err)
		}
		triggertest.AssertEqual(t, out, in)
	}
}

func TestFromEnvRefusesBadConfiguration(t *testing.T) {
	tests := []struct {
		env     map[string]string
		wantErr string
	}{
		{map[string]string{claims.EnvIDTokenClaimsFromAttributes: "custom:id=cognito:username"}, claims.EnvIDTokenClaimsFromAttributes},
		{map[string]string{claims.EnvIDTokenClaimsFromAttributes: "custom:tenant:tenant_id"}, claims.EnvIDTokenClaimsFromAttributes},
		{map[string]string{claims.EnvAccessTokenScopesByGroup: "admins"}, claims.EnvAccessTokenScopesByGroup},
		{map[string]string{claims.EnvSuppressClaims: "sub"}, claims.EnvSuppressClaims},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
	}
	for _, tt := range tests {
		_, err := claims.FromEnv(getenv(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("FromEnv(%v) error = %v, want one naming %s", tt.env, err, tt.wantErr)
		}
	}
}

// TestWhatIsNotDoneIsLogged runs events whose changes are dropped or
// cannot be made, and checks the event and the log line, which must carry
// no personal data.
func TestWhatIsNotDoneIsLogged(t *testing.T) {
	cfg, err := claims.ConfigFromEnv(getenv(fixtureEnv))
	if err != nil {
		t.Fatal(err)
	}
	c, err := claims.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		fixture string
		edit    func(map[string]any) // changes the decoded request
		wantLog []string             // the log contains each
		changed bool
	}{
		{name: "too many claims: no change", fixture: "pretokengen-v2/TokenGeneration_Authentication.json",
			edit:    addAttributes(claims.MaxClaimsAndScopes),
			wantLog: []string{`"msg":"tokens left unchanged: a token would hold more claims and scopes than Cognito allows"`, `"token_kind":"id"`}},
		{name: "too many scopes: no change", fixture: "pretokengen-v3/TokenGeneration_Authentication.json",
			edit:    addScopes(claims.MaxClaimsAndScopes),
			wantLog: []string{`"token_kind":"access"`, `"limit":5000`}},
		{name: "version 1: scopes not added, claims changed", fixture: "pretokengen-v1/TokenGeneration_Authentication.json",
			wantLog: []string{`"msg":"scopes not added: version 1 events cannot change the access token`, `"variable":"ACCESS_TOKEN_SCOPES_BY_GROUP","scopes":2`}, changed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			opt := trigger.WithLogger(trigger.NewLogger(&logs, slog.LevelInfo))
			r, err := trigger.NewRouter(trigger.PreTokenGeneration(c.HandleV1, opt), trigger.PreTokenGenerationV2(c.HandleV2, opt))
			if err != nil {
				t.Fatal(err)
			}
			in := edited(t, filepath.Join(eventsDir, tt.fixture), tt.edit)
			out, err := triggertest.Invoke(r, in)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if same, _ := triggertest.Equivalent(out, in); same == tt.changed {
				t.Errorf("event changed = %v, want %v", !same, tt.changed)
			}
			for _, want := range tt.wantLog {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log:\n%s\nwant it to contain %s", logs.String(), want)
				}
			}
			for _, personal := range []string{"jane", "tenant-example-a", "admins"} {
				if strings.Contains(logs.String(), personal) {
					t.Errorf("the log carries %q:\n%s", personal, logs.String())
				}
			}
		})
	}
}

// edited returns a fixture after edit changed its request.
func edited(t *testing.T, path string, edit func(map[string]any)) []byte {
	t.Helper()
	ev := triggertest.LoadEvent[map[string]any](t, path)
	if edit != nil {
		edit((*ev)["request"].(map[string]any))
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func addAttributes(n int) func(map[string]any) {
	return func(req map[string]any) {
		attrs := req["userAttributes"].(map[string]any)
		for i := range n {
			attrs["custom:a"+strconv.Itoa(i)] = "x"
		}
	}
}

func addScopes(n int) func(map[string]any) {
	return func(req map[string]any) {
		scopes := req["scopes"].([]any)
		for i := range n {
			scopes = append(scopes, "api/s"+strconv.Itoa(i))
		}
		req["scopes"] = scopes
	}
}
