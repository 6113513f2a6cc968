package conformance

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// personalAttributes are the user attributes whose values are a user's
// data: none may reach a metric.
var personalAttributes = []string{"email", "phone_number", "sub", "name", "given_name", "family_name",
	"middle_name", "preferred_username", "nickname", "address", "birthdate", "custom:tenant"}

// TestShippedFunctionsWriteValidMetrics runs the nine shipped functions
// on every sample event of their triggers, as they come and with a user
// whose data is easy to spot, and checks every EMF document they write
// against the EMF specification (package metricstest): the _aws member
// with its Timestamp and CloudWatchMetrics, each directive's Namespace,
// Dimensions and Metrics, every dimension of a set a string member of the
// document, every metric a number or an array of numbers, at most 30
// dimensions in a set and 100 metrics in a document. It then checks that
// each invocation wrote its Duration, that every dimension value is one a
// metric may hold, and that none of the event's personal data (email,
// phone number, username, sub, names, client metadata) nor the code
// appears anywhere in the metrics. It checks the format, not a list of
// metrics: the functions may add metrics of their own.
func TestShippedFunctionsWriteValidMetrics(t *testing.T) {
	var out bytes.Buffer
	functions := shippedFunctions(t, trigger.WithMetricsWriter(&out))
	paths, err := fs.Glob(events.FS, "*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	ran := map[trigger.Kind]int{}
	for _, p := range paths {
		raw, err := fs.ReadFile(events.FS, p)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			TriggerSource trigger.Source `json:"triggerSource"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		kind := head.TriggerSource.Kind()
		fn, ok := functions[kind]
		if !ok {
			continue
		}
		for _, variant := range []struct {
			name    string
			payload []byte
		}{
			{"as it came", raw},
			{"with spotted personal data", spotted(t, raw)},
		} {
			t.Run(path.Base(p)+"/"+variant.name, func(t *testing.T) {
				out.Reset()
				ctx, cancel := triggertest.Context(5 * time.Second)
				defer cancel()
				_, _ = fn.Invoke(ctx, variant.payload)
				ran[kind]++
				checkMetrics(t, kind, out.Bytes(), personalData(t, variant.payload))
			})
		}
	}
	for k := range functions {
		if ran[k] == 0 {
			t.Errorf("no sample event ran the shipped %s function", k)
		}
	}
}

// TestShippedFunctionsWriteValidMetricsOnPeerEvents runs the shipped
// functions on the events of the peer corpus that Cognito could send as
// they are, with the checks of TestShippedFunctionsWriteValidMetrics.
func TestShippedFunctionsWriteValidMetricsOnPeerEvents(t *testing.T) {
	dir, files := corpus(t)
	var out bytes.Buffer
	functions := shippedFunctions(t, trigger.WithMetricsWriter(&out))
	for _, name := range files {
		if _, judged := judgements[name]; judged {
			continue
		}
		payload, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			TriggerSource trigger.Source `json:"triggerSource"`
		}
		if err := json.Unmarshal(payload, &head); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		kind := head.TriggerSource.Kind()
		fn, ok := functions[kind]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			out.Reset()
			ctx, cancel := triggertest.Context(5 * time.Second)
			defer cancel()
			_, _ = fn.Invoke(ctx, payload)
			checkMetrics(t, kind, out.Bytes(), personalData(t, payload))
		})
	}
}

// checkMetrics checks what one invocation of the shipped function of
// kind wrote.
func checkMetrics(t *testing.T, kind trigger.Kind, out []byte, personal []string) {
	t.Helper()
	if len(out) == 0 {
		t.Fatal("the function wrote no metrics")
	}
	ms, err := metricstest.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := metricstest.Find(ms, metrics.Duration, map[string]string{metrics.DimTrigger: string(kind)}); len(d) != 1 {
		t.Errorf("got %d Duration metrics for trigger %s, want 1:\n%s", len(d), kind, out)
	}
	for _, m := range ms {
		if m.Namespace != metrics.DefaultNamespace || m.Dims[metrics.DimService] != metrics.DefaultService {
			t.Errorf("%s: namespace %q and service %q, want the defaults", m.Name, m.Namespace, m.Dims[metrics.DimService])
		}
		for name, value := range m.Dims {
			// service and function_name are configuration; every other
			// value comes from the function's code.
			if name != metrics.DimService && name != metrics.DimFunctionName && !metrics.SafeValue(value) {
				t.Errorf("%s: dimension %s has the value %q, which no metric may hold", m.Name, name, value)
			}
		}
	}
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		for _, p := range personal {
			if bytes.Contains(line, []byte(p)) {
				t.Errorf("a metric document holds the personal data %q:\n%s", p, line)
			}
		}
	}
}

// spotted returns payload with a user whose data is easy to spot:
// distinctive values in place of the username and of each personal
// attribute the event has, and client metadata.
func spotted(t *testing.T, payload []byte) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	if _, ok := ev["userName"]; ok {
		ev["userName"] = "spotted_user_name"
	}
	req, _ := ev["request"].(map[string]any)
	if attrs, ok := req["userAttributes"].(map[string]any); ok {
		for _, a := range personalAttributes {
			if _, ok := attrs[a]; !ok {
				continue
			}
			switch a {
			case "email":
				attrs[a] = "spotted.person@example.com"
			case "phone_number":
				attrs[a] = "+15555550123"
			case "sub":
				attrs[a] = "5b0f7e1c-1111-4222-8333-944455556666"
			default:
				attrs[a] = "Spotted" + strings.ReplaceAll(a, "_", "")
			}
		}
	}
	if req != nil {
		req["clientMetadata"] = map[string]any{"spottedKey": "spotted-metadata-value"}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// personalData returns the personal data of an event: its username, the
// values of its personal attributes and of its client metadata, and the
// code the fake decrypter finds. Values shorter than 6 bytes are left out:
// a username such as "user" or "sms" would be found in words of the
// catalog; the spotted variant of each event has long values instead.
func personalData(t *testing.T, payload []byte) []string {
	t.Helper()
	var ev struct {
		UserName string `json:"userName"`
		Request  struct {
			UserAttributes map[string]any    `json:"userAttributes"`
			ClientMetadata map[string]string `json:"clientMetadata"`
		} `json:"request"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	found := []string{"135790"}
	add := func(s string) {
		if len(s) >= 6 && !slices.Contains(found, s) {
			found = append(found, s)
		}
	}
	add(ev.UserName)
	for _, a := range personalAttributes {
		if s, ok := ev.Request.UserAttributes[a].(string); ok {
			add(s)
		}
	}
	for _, v := range ev.Request.ClientMetadata {
		add(v)
	}
	return found
}
