package trigger_test

import (
	"bytes"
	"encoding/json"
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

// TestFixturesRoundTrip checks that every fixture uses only members the
// types know, and that a handler that changes nothing gives it back byte
// for byte.
func TestFixturesRoundTrip(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(strings.TrimPrefix(f.path, eventsDir+"/"), func(t *testing.T) {
			ev := trigger.NewEvent(f.source, f.version)
			dec := json.NewDecoder(bytes.NewReader(f.raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(ev); err != nil {
				t.Fatalf("decode into %T: %v", ev, err)
			}
			if ev.EventHeader().TriggerSource.Kind() == trigger.KindDefineAuthChallenge {
				// A define handler must decide; the fixtures leave the
				// decision null.
				return
			}
			out, err := triggertest.Invoke(triggertest.PassThrough(quiet), f.raw)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if !bytes.Equal(out, f.raw) {
				t.Errorf("the event came back changed:\n%s\nwant:\n%s", out, f.raw)
			}
		})
	}
}
