package trigger_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// eventsDir is the repository's fixture folder.
const eventsDir = "../../events"

type fixture struct {
	path    string
	source  trigger.Source
	version string
	raw     []byte
}

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(eventsDir, "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures under %s (err %v)", eventsDir, err)
	}
	var out []fixture
	for _, p := range paths {
		raw := triggertest.Load(t, p)
		var head struct {
			TriggerSource trigger.Source `json:"triggerSource"`
			Version       string         `json:"version"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, fixture{path: p, source: head.TriggerSource, version: head.Version, raw: raw})
	}
	return out
}

func TestEverySourceHasAFixture(t *testing.T) {
	have := map[trigger.Source]bool{}
	for _, f := range loadFixtures(t) {
		have[f.source] = true
	}
	for _, s := range trigger.Sources() {
		if !have[s] {
			t.Errorf("no fixture under %s has triggerSource %s", eventsDir, s)
		}
	}
}

func TestFixtureNamesMatchTheirSource(t *testing.T) {
	for _, f := range loadFixtures(t) {
		name := filepath.Base(f.path)
		if got, _, _ := strings.Cut(name, "."); got != string(f.source) {
			t.Errorf("%s: file name starts with %q, want the triggerSource %q", f.path, got, f.source)
		}
	}
}

// TestFixturesRoundTrip decodes every fixture strictly into its type and
// checks that re-encoding the untouched event gives equivalent JSON.
func TestFixturesRoundTrip(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(strings.TrimPrefix(f.path, eventsDir+"/"), func(t *testing.T) {
			roundTrip(t, f.raw, trigger.NewEvent(f.source, f.version), true)
		})
	}
}

func roundTrip(t *testing.T, raw []byte, ev trigger.Event, strict bool) {
	t.Helper()
	if ev == nil {
		t.Fatalf("no event type for this fixture")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(ev); err != nil {
		t.Fatalf("decode into %T: %v", ev, err)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("encode %T: %v", ev, err)
	}
	triggertest.AssertEquivalent(t, out, raw)
}

// TestAWSLambdaGoTestdataRoundTrips runs aws-lambda-go's own Cognito sample
// events through our types.
func TestAWSLambdaGoTestdataRoundTrips(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-lambda-go").Output()
	if err != nil {
		t.Fatalf("find aws-lambda-go: %v", err)
	}
	testdata := filepath.Join(strings.TrimSpace(string(dir)), "events", "testdata")
	cases := map[string]trigger.Event{
		"cognito-event-userpools-presignup.json":               new(trigger.PreSignUpEvent),
		"cognito-event-userpools-postconfirmation.json":        new(trigger.PostConfirmationEvent),
		"cognito-event-userpools-preauthentication.json":       new(trigger.PreAuthenticationEvent),
		"cognito-event-userpools-postauthentication.json":      new(trigger.PostAuthenticationEvent),
		"cognito-event-userpools-pretokengen.json":             new(trigger.PreTokenGenerationEvent),
		"cognito-event-userpools-pretokengen-v2.json":          new(trigger.PreTokenGenerationV2Event),
		"cognito-event-userpools-pretokengen-v2_0.json":        new(trigger.PreTokenGenerationV2Event),
		"cognito-event-userpools-custommessage.json":           new(trigger.CustomMessageEvent),
		"cognito-event-userpools-define-auth-challenge.json":   new(trigger.DefineAuthChallengeEvent),
		"cognito-event-userpools-create-auth-challenge.json":   new(trigger.CreateAuthChallengeEvent),
		"cognito-event-userpools-verify-auth-challenge.json":   new(trigger.VerifyAuthChallengeEvent),
		"cognito-event-userpools-migrateuser.json":             new(trigger.UserMigrationEvent),
		"cognito-event-userpools-inbound-federation-oidc.json": new(trigger.InboundFederationEvent),
		"cognito-event-userpools-inbound-federation-saml.json": new(trigger.InboundFederationEvent),
	}
	all, _ := filepath.Glob(filepath.Join(testdata, "cognito-event-userpools-*.json"))
	if len(all) != len(cases) {
		t.Errorf("aws-lambda-go has %d user-pool sample events, this test knows %d: add the new ones", len(all), len(cases))
	}
	for name, ev := range cases {
		t.Run(name, func(t *testing.T) {
			roundTrip(t, triggertest.Load(t, filepath.Join(testdata, name)), ev, false)
		})
	}
}
