package triggertest_test

import (
	"testing"

	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestCompareJSON(t *testing.T) {
	tests := []struct {
		name         string
		a, b         string
		equiv, equal bool
	}{
		{"order and space", `{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1 }`, true, true},
		{"null and missing", `{"a":1,"b":null}`, `{"a":1}`, true, false},
		{"nested null and missing", `{"r":{"x":null}}`, `{"r":{}}`, true, false},
		{"null and false", `{"a":null}`, `{"a":false}`, false, false},
		{"empty string is not null", `{"a":""}`, `{"a":null}`, false, false},
		{"false is not missing", `{"a":false}`, `{}`, false, false},
		{"array order matters", `[1,2]`, `[2,1]`, false, false},
		{"different value", `{"a":"x"}`, `{"a":"y"}`, false, false},
		{"a number written two ways", `{"a":1}`, `{"a":1.0}`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				name string
				fn   func(a, b []byte) (bool, error)
				want bool
			}{{"Equivalent", triggertest.Equivalent, tt.equiv}, {"Equal", triggertest.Equal, tt.equal}} {
				got, err := c.fn([]byte(tt.a), []byte(tt.b))
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("%s(%s, %s) = %v, want %v", c.name, tt.a, tt.b, got, c.want)
				}
			}
		})
	}
	for _, fn := range []func(a, b []byte) (bool, error){triggertest.Equivalent, triggertest.Equal} {
		if _, err := fn([]byte(`{`), []byte(`{}`)); err == nil {
			t.Error("malformed JSON accepted")
		}
		if _, err := fn([]byte(`{} {}`), []byte(`{}`)); err == nil {
			t.Error("two documents accepted as one")
		}
	}
}

func TestContextLooksLikeLambdas(t *testing.T) {
	ctx, cancel := triggertest.Context(5e9)
	defer cancel()
	if _, ok := ctx.Deadline(); !ok {
		t.Error("context has no deadline")
	}
}
