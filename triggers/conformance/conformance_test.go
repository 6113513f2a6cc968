package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cognitrig/cognitrig/internal/modroot"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// EnvCorpus names the folder of the peer corpus when it is not at
// ../shared/peer-events from the repository's root.
const EnvCorpus = "COGNITRIG_PEER_EVENTS"

// quiet keeps the invocation logs out of the test output.
var quiet = trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))

// corpus returns the folder of the peer corpus and its JSON files, as
// slash-separated paths relative to it, sorted. It skips the test, saying
// why, where the corpus is absent.
func corpus(t *testing.T) (string, []string) {
	t.Helper()
	dir := os.Getenv(EnvCorpus)
	if dir == "" {
		root, err := modroot.Find()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "..", "shared", "peer-events")
	}
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.md")); err != nil {
		t.Skipf("the peer corpus is not at %s: it lives outside the repository, next to it in the project's workspace (and in CI); set %s to its folder to run this test", dir, EnvCorpus)
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no JSON file in the peer corpus at %s", dir)
	}
	slices.Sort(files)
	return dir, files
}

// TestPeerCorpus runs every file of the peer corpus. A file without a
// judgement must be accepted as it is; a judged file must be refused as it
// is, with a clear error, and then accepted once repaired. Every accepted
// event goes through the router and through its trigger's handler bound
// directly, and must come back byte for byte, also with unknown members
// added; and through the shipped function of its trigger, which must not
// refuse it.
func TestPeerCorpus(t *testing.T) {
	dir, files := corpus(t)
	for name := range judgements {
		if !slices.Contains(files, name) {
			t.Errorf("judgements.go judges %s, which the corpus does not have: remove it", name)
		}
	}
	router := triggertest.PassThrough(quiet)
	functions := shippedFunctions(t)
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			payload, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				t.Fatal(err)
			}
			// Only an invalid event error refuses the event; a define
			// response that the pass-through handler leaves undecided
			// fails later, in checkEvent.
			_, err = triggertest.Invoke(router, payload)
			var refusal *trigger.InvalidEventError
			errors.As(err, &refusal)
			j, judged := judgements[name]
			switch {
			case !judged && refusal != nil:
				t.Fatalf("refused without a written reason: %v\nIf Cognito could never send this event, say why in judgements.go.", err)
			case judged && refusal == nil:
				t.Fatalf("accepted, but judgements.go says it is refused (%s): remove the judgement", j.refused)
			case judged:
				t.Logf("refused as it is, as judged (%s): %v", j.refused, err)
				if j.runAs == "" {
					return
				}
				payload = repair(t, payload, j.runAs)
			}
			checkEvent(t, router, functions, payload)
		})
	}
}

// handlers are a handler of every trigger that changes nothing.
var handlers = triggertest.PassThroughHandlers(quiet)

// checkEcho checks that h gives payload back byte for byte. A define auth
// challenge handler must decide: the adapter fails one that passes a
// response deciding nothing, or several things, through.
func checkEcho(t *testing.T, name string, kind trigger.Kind, h lambda.Handler, payload []byte) {
	t.Helper()
	out, err := triggertest.Invoke(h, payload)
	switch {
	case kind == trigger.KindDefineAuthChallenge && errors.As(err, new(*trigger.InternalError)):
	case err != nil:
		t.Errorf("%s: refused: %v", name, err)
	case !bytes.Equal(out, payload):
		t.Errorf("%s: the event came back changed:\n%s\nwant it as it came:\n%s", name, out, payload)
	}
}

// checkEvent runs an event Cognito could send.
func checkEvent(t *testing.T, router *trigger.Router, functions map[trigger.Kind]lambda.Handler, payload []byte) {
	t.Helper()
	var head struct {
		TriggerSource trigger.Source `json:"triggerSource"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		t.Fatal(err)
	}
	kind := head.TriggerSource.Kind()
	extra := withUnknownMembers(t, payload)
	for _, c := range []struct {
		name    string
		payload []byte
	}{
		{"as it came", payload},
		{"with unknown members added", extra},
	} {
		checkEcho(t, "the router, "+c.name, kind, router, c.payload)
		// Bound directly, the handlers of the event's trigger: exactly
		// one takes it (pre token generation has one for version 1 and
		// one for versions 2 and 3).
		took := 0
		for _, h := range handlers {
			if h.Kind() != kind {
				continue
			}
			if _, err := triggertest.Invoke(h, c.payload); errors.As(err, new(*trigger.InvalidEventError)) {
				continue
			}
			took++
			checkEcho(t, "the handler bound directly, "+c.name, kind, h, c.payload)
		}
		if took != 1 {
			t.Errorf("%s: %d handlers of the %s trigger take the event, want 1", c.name, took, kind)
		}
	}

	fn, ok := functions[kind]
	if !ok {
		return
	}
	for _, p := range [][]byte{payload, extra} {
		out, err := triggertest.Invoke(fn, p)
		var ie *trigger.InvalidEventError
		if errors.As(err, &ie) {
			t.Errorf("the shipped %s function refused the event: %v", kind, err)
			continue
		}
		if err != nil {
			// A denial, or a failure the function reports for the
			// peers' placeholder data, is the function's decision: the
			// event itself was taken.
			t.Logf("the shipped %s function answered: %v", kind, err)
			continue
		}
		if bytes.Equal(p, extra) {
			checkKept(t, out, kind)
		}
	}
}

// extraMember is added to the event, its request, its response and its
// caller context, to check that members no type knows are kept.
const extraMember = "xConformanceExtra"

var extraValue = json.RawMessage(`{"kept":[1,true,null,"x"]}`)

// withUnknownMembers returns payload with extraMember added at the top
// level and to each object member of it.
func withUnknownMembers(t *testing.T, payload []byte) []byte {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(payload, &top); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"request", "response", "callerContext"} {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(top[m], &obj); err != nil || obj == nil {
			continue
		}
		obj[extraMember] = extraValue
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		top[m] = b
	}
	top[extraMember] = extraValue
	b, err := json.Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkKept checks that the answer of a shipped function still holds the
// unknown members added by withUnknownMembers.
func checkKept(t *testing.T, out []byte, kind trigger.Kind) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(out, &top); err != nil {
		t.Fatalf("the shipped %s function's answer is not a JSON object: %v", kind, err)
	}
	if len(top) == 0 {
		return // an asynchronous sender's answer, which Cognito ignores
	}
	for _, m := range []string{"", "request", "response", "callerContext"} {
		obj := top
		if m != "" {
			obj = nil
			if json.Unmarshal(top[m], &obj) != nil || obj == nil {
				continue
			}
		}
		if v, ok := obj[extraMember]; !ok || !bytes.Equal(v, extraValue) {
			t.Errorf("the shipped %s function dropped or changed the unknown member of %q: %s", kind, m, v)
		}
	}
}

// repair removes a byte-order mark and sets the event's triggerSource,
// keeping the bytes of every other member.
func repair(t *testing.T, payload []byte, source trigger.Source) []byte {
	t.Helper()
	payload = bytes.TrimPrefix(payload, []byte("\xef\xbb\xbf"))
	dec := jsontext.NewDecoder(bytes.NewReader(payload))
	if _, err := dec.ReadToken(); err != nil {
		t.Fatal(err)
	}
	out := []byte{'{'}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(out, name...), ':')
		isSource := string(name) == `"triggerSource"` // name is void after the next read
		value, err := dec.ReadValue()
		if err != nil {
			t.Fatal(err)
		}
		if isSource {
			value, _ = json.Marshal(source)
		}
		out = append(out, value...)
	}
	return append(out, '}')
}
