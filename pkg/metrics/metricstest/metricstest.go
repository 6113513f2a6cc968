// Package metricstest reads what package metrics writes: it checks every
// document against the CloudWatch Embedded Metric Format specification
// and returns the metrics in them, for tests.
package metricstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// The limits of EMF the check enforces.
const (
	maxDimensions = 30
	maxMetrics    = 100
	maxValues     = 100
	maxNamespace  = 255
	maxName       = 255
)

// Metric is one metric of a document: its values, under its dimensions.
type Metric struct {
	Namespace string
	Name      string
	Unit      string
	// Dims are the dimensions of the metric's first dimension set, with
	// their values.
	Dims map[string]string
	// Values are the metric's values (a single value is one element).
	Values []float64
}

// Sum adds up the values of m.
func (m Metric) Sum() float64 {
	s := 0.0
	for _, v := range m.Values {
		s += v
	}
	return s
}

// Parse checks out, one EMF document per line (empty lines are skipped),
// against the EMF specification, and returns the metrics of every
// document in order. The error says which line breaks which rule.
func Parse(out []byte) ([]Metric, error) {
	var ms []Metric
	for i, line := range bytes.Split(out, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		got, err := parseDoc(line)
		if err != nil {
			return nil, fmt.Errorf("line %d is not a valid EMF document: %w\n%s", i+1, err, line)
		}
		ms = append(ms, got...)
	}
	return ms, nil
}

// Check is Parse that fails tb on an invalid document.
func Check(tb testing.TB, out []byte) []Metric {
	tb.Helper()
	ms, err := Parse(out)
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

// Find returns the metrics named name whose dimensions include dims.
func Find(ms []Metric, name string, dims map[string]string) []Metric {
	var found []Metric
	for _, m := range ms {
		if m.Name != name {
			continue
		}
		ok := true
		for k, v := range dims {
			ok = ok && m.Dims[k] == v
		}
		if ok {
			found = append(found, m)
		}
	}
	return found
}

// Total adds up the values of the metrics named name whose dimensions
// include dims.
func Total(ms []Metric, name string, dims map[string]string) float64 {
	s := 0.0
	for _, m := range Find(ms, name, dims) {
		s += m.Sum()
	}
	return s
}

// Counted runs fn with a context that collects metrics, as a handler's
// does, and returns what fn counted: each metric's name, followed by its
// dimensions other than service as |dim=value in the order of their
// names, to its total. The documents are checked against EMF, and a
// record the collector dropped or changed fails tb.
func Counted(tb testing.TB, fn func(ctx context.Context)) map[string]float64 {
	tb.Helper()
	var c metrics.Collector
	c.Open()
	fn(metrics.NewContext(context.Background(), &c))
	if n, problem := c.Problems(); n > 0 {
		tb.Errorf("%d metric records dropped or changed: %s", n, problem)
	}
	var out bytes.Buffer
	if err := metrics.NewEmitter(&out, "test", "test", "").Flush(&c, false); err != nil {
		tb.Fatal(err)
	}
	got := map[string]float64{}
	for _, m := range Check(tb, out.Bytes()) {
		key := m.Name
		for _, d := range slices.Sorted(maps.Keys(m.Dims)) {
			if d != metrics.DimService {
				key += "|" + d + "=" + m.Dims[d]
			}
		}
		got[key] += m.Sum()
	}
	return got
}

// HandlerCounted returns, sorted, the metrics of ms that a handler
// counted, leaving out those the trigger adapter writes for every
// invocation (ColdStart, Duration, Errors, Denials): each by its name,
// followed by /reason when it has a reason.
func HandlerCounted(ms []Metric) []string {
	got := map[string]bool{}
	for _, m := range ms {
		switch m.Name {
		case metrics.ColdStart, metrics.Duration, metrics.Errors, metrics.Denials:
			continue
		}
		key := m.Name
		if r, ok := m.Dims[metrics.DimReason]; ok {
			key += "/" + r
		}
		got[key] = true
	}
	return slices.Sorted(maps.Keys(got))
}

func parseDoc(line []byte) ([]Metric, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no _aws object")
	}
	ts, ok := aws["Timestamp"].(json.Number)
	if !ok {
		return nil, fmt.Errorf("_aws.Timestamp is not a number")
	}
	if n, err := ts.Int64(); err != nil || n <= 0 {
		return nil, fmt.Errorf("_aws.Timestamp %s is not a positive whole number of milliseconds", ts)
	}
	dirs, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(dirs) == 0 {
		return nil, fmt.Errorf("_aws.CloudWatchMetrics is not a non-empty array")
	}
	var ms []Metric
	defined := map[string]bool{}
	for d, dv := range dirs {
		dir, ok := dv.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("directive %d is not an object", d)
		}
		ns, ok := dir["Namespace"].(string)
		if !ok || ns == "" || len(ns) > maxNamespace {
			return nil, fmt.Errorf("directive %d: Namespace is not a string of 1 to %d characters", d, maxNamespace)
		}
		sets, ok := dir["Dimensions"].([]any)
		if !ok {
			return nil, fmt.Errorf("directive %d: Dimensions is not an array", d)
		}
		var first map[string]string
		for s, sv := range sets {
			set, ok := sv.([]any)
			if !ok {
				return nil, fmt.Errorf("directive %d: dimension set %d is not an array", d, s)
			}
			if len(set) > maxDimensions {
				return nil, fmt.Errorf("directive %d: dimension set %d has %d dimensions; EMF allows %d", d, s, len(set), maxDimensions)
			}
			dims := map[string]string{}
			for _, kv := range set {
				k, ok := kv.(string)
				if !ok {
					return nil, fmt.Errorf("directive %d: dimension set %d holds a non-string", d, s)
				}
				v, ok := root[k].(string)
				if !ok {
					return nil, fmt.Errorf("directive %d: dimension %q is not a string member of the root", d, k)
				}
				if v == "" {
					return nil, fmt.Errorf("directive %d: dimension %q is empty", d, k)
				}
				if _, dup := dims[k]; dup {
					return nil, fmt.Errorf("directive %d: dimension %q twice in a set", d, k)
				}
				dims[k] = v
			}
			if first == nil {
				first = dims
			}
		}
		defs, ok := dir["Metrics"].([]any)
		if !ok || len(defs) == 0 {
			return nil, fmt.Errorf("directive %d: Metrics is not a non-empty array", d)
		}
		if len(defs) > maxMetrics {
			return nil, fmt.Errorf("directive %d: %d metrics; EMF allows %d", d, len(defs), maxMetrics)
		}
		for _, mv := range defs {
			def, ok := mv.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("directive %d: a metric definition is not an object", d)
			}
			name, ok := def["Name"].(string)
			if !ok || name == "" || len(name) > maxName {
				return nil, fmt.Errorf("directive %d: a metric Name is not a string of 1 to %d characters", d, maxName)
			}
			if defined[name] {
				return nil, fmt.Errorf("metric %q defined twice in the document", name)
			}
			defined[name] = true
			unit := "None"
			if u, present := def["Unit"]; present {
				if unit, ok = u.(string); !ok || !validUnit(unit) {
					return nil, fmt.Errorf("metric %q: Unit %v is not a unit of EMF", name, u)
				}
			}
			values, err := numbers(root[name])
			if err != nil {
				return nil, fmt.Errorf("metric %q: %w", name, err)
			}
			ms = append(ms, Metric{Namespace: ns, Name: name, Unit: unit, Dims: first, Values: values})
		}
	}
	if len(defined) > maxMetrics {
		return nil, fmt.Errorf("%d metrics in the document; EMF allows %d", len(defined), maxMetrics)
	}
	return ms, nil
}

// numbers reads a metric's member: a number or an array of 1 to 100
// numbers.
func numbers(v any) ([]float64, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := number(x)
		return []float64{f}, err
	case []any:
		if len(x) == 0 || len(x) > maxValues {
			return nil, fmt.Errorf("an array of %d values; EMF takes 1 to %d", len(x), maxValues)
		}
		out := make([]float64, len(x))
		for i, e := range x {
			n, ok := e.(json.Number)
			if !ok {
				return nil, fmt.Errorf("value %d is not a number", i)
			}
			f, err := number(n)
			if err != nil {
				return nil, err
			}
			out[i] = f
		}
		return out, nil
	case nil:
		return nil, fmt.Errorf("no member in the root")
	}
	return nil, fmt.Errorf("member is %T, not a number or an array of numbers", v)
}

func number(n json.Number) (float64, error) {
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("%s is not a finite number", n)
	}
	return f, nil
}

func validUnit(u string) bool {
	switch u {
	case "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
		"Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
		"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
		"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
		"Count/Second", "None":
		return true
	}
	return false
}
