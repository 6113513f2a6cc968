package triggertest_test

import (
	"testing"

	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestEquivalent(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"order and space", `{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1 }`, true},
		{"null equals missing", `{"a":1,"b":null}`, `{"a":1}`, true},
		{"nested null equals missing", `{"r":{"x":null}}`, `{"r":{}}`, true},
		{"empty string is not null", `{"a":""}`, `{"a":null}`, false},
		{"false is not null", `{"a":false}`, `{}`, false},
		{"array order matters", `[1,2]`, `[2,1]`, false},
		{"different value", `{"a":"x"}`, `{"a":"y"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := triggertest.Equivalent([]byte(tt.a), []byte(tt.b))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Equivalent(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
	if _, err := triggertest.Equivalent([]byte(`{`), []byte(`{}`)); err == nil {
		t.Error("Equivalent accepted malformed JSON")
	}
}

func TestContextLooksLikeLambdas(t *testing.T) {
	ctx, cancel := triggertest.Context(5e9)
	defer cancel()
	if _, ok := ctx.Deadline(); !ok {
		t.Error("context has no deadline")
	}
}
