package metricstest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
)

// doc returns an EMF document with one directive; dims and metrics are
// JSON arrays, members the root members after _aws.
func doc(dims, metrics, members string) string {
	return `{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"ns","Dimensions":` + dims +
		`,"Metrics":` + metrics + `}]}` + members + `}`
}

func TestParseRefusesWhatEMFRefuses(t *testing.T) {
	var many, names, values []string
	for i := range 101 {
		many = append(many, fmt.Sprintf(`"d%d"`, i))
		names = append(names, fmt.Sprintf(`{"Name":"M%d"}`, i))
		values = append(values, fmt.Sprintf(`,"d%d":"v","M%d":1`, i, i))
	}
	tests := []struct {
		name, line, wantErr string
	}{
		{"valid", doc(`[["service"]]`, `[{"Name":"A","Unit":"Count"}]`, `,"service":"s","A":[1,2.5]`), ""},
		{"not JSON", `{"_aws":`, "not a JSON object"},
		{"two objects", doc(`[[]]`, `[{"Name":"A"}]`, `,"A":1`) + `{}`, "after the JSON object"},
		{"no _aws", `{"A":1}`, "no _aws"},
		{"timestamp a string", `{"_aws":{"Timestamp":"1","CloudWatchMetrics":[]}}`, "Timestamp is not a number"},
		{"timestamp negative", `{"_aws":{"Timestamp":-1,"CloudWatchMetrics":[]}}`, "positive whole number"},
		{"no directives", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}}`, "non-empty array"},
		{"no namespace", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Dimensions":[],"Metrics":[{"Name":"A"}]}]},"A":1}`, "Namespace"},
		{"dimension not a member", doc(`[["service"]]`, `[{"Name":"A"}]`, `,"A":1`), `dimension "service" is not a string member`},
		{"dimension a number", doc(`[["service"]]`, `[{"Name":"A"}]`, `,"service":1,"A":1`), `dimension "service" is not a string member`},
		{"31 dimensions", doc(`[[`+strings.Join(many[:31], ",")+`]]`, `[{"Name":"M0"}]`, strings.Join(values[:31], "")), "31 dimensions"},
		{"101 metrics", doc(`[[]]`, `[`+strings.Join(names, ",")+`]`, strings.Join(values, "")), "101 metrics"},
		{"metric missing", doc(`[[]]`, `[{"Name":"A"}]`, ``), "no member"},
		{"metric a string", doc(`[[]]`, `[{"Name":"A"}]`, `,"A":"1"`), "not a number"},
		{"metric an empty array", doc(`[[]]`, `[{"Name":"A"}]`, `,"A":[]`), "array of 0 values"},
		{"101 values", doc(`[[]]`, `[{"Name":"A"}]`, `,"A":[`+strings.Repeat("1,", 100)+`1]`), "array of 101 values"},
		{"bad unit", doc(`[[]]`, `[{"Name":"A","Unit":"Furlongs"}]`, `,"A":1`), "not a unit"},
		{"metric defined twice", doc(`[[]]`, `[{"Name":"A"},{"Name":"A"}]`, `,"A":1`), "defined twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := metricstest.Parse([]byte(tt.line))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestFindAndTotal(t *testing.T) {
	out := doc(`[["service","plan"]]`, `[{"Name":"A","Unit":"Count"}]`, `,"service":"s","plan":"free","A":[1,2]`) + "\n\n" +
		doc(`[["service","plan"]]`, `[{"Name":"A","Unit":"Count"}]`, `,"service":"s","plan":"pro","A":4`) + "\n"
	ms := metricstest.Check(t, []byte(out))
	if got := metricstest.Total(ms, "A", nil); got != 7 {
		t.Errorf("Total = %v, want 7", got)
	}
	if got := metricstest.Total(ms, "A", map[string]string{"plan": "free"}); got != 3 {
		t.Errorf("Total of plan=free = %v, want 3", got)
	}
	if got := metricstest.Find(ms, "B", nil); len(got) != 0 {
		t.Errorf("Find B = %v, want none", got)
	}
}
