package trigger

import (
	"encoding/json"
	"testing"
)

func TestPeek(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    envelope
		wantErr bool
	}{
		{"plain", `{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"a":[1,{"b":"}"}]}}`, envelope{"PreSignUp_SignUp", "1", true}, false},
		{"escaped key and value", `{"trigger\u0053ource":"PreSignUp\u005fSignUp","request":{}}`, envelope{"PreSignUp_SignUp", "", true}, false},
		{"last duplicate wins", `{"request":{},"request":null}`, envelope{}, false},
		{"non-string source", `{"triggerSource":5,"request":{}}`, envelope{request: true}, false},
		{"white space", " \n{ \"request\" : { } } \t", envelope{request: true}, false},
		{"empty object", `{}`, envelope{}, false},
		{"not an object", `[]`, envelope{}, true},
		{"trailing data", `{} x`, envelope{}, true},
		{"unterminated", `{"request":{"a":"b}`, envelope{}, true},
		{"missing colon", `{"request" {}}`, envelope{}, true},
		{"stray bracket", `{"a":]}`, envelope{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := peek([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("peek(%s) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("peek(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzPeek checks peek against encoding/json: on every valid JSON object it
// succeeds and reads the same triggerSource and version, and it never
// panics on anything else.
func FuzzPeek(f *testing.F) {
	for _, s := range []string{`{}`, `{"triggerSource":"PreSignUp_SignUp","version":"1","request":{}}`,
		`{"a":[1,2,{"b":null}],"triggerSource":"x\"y","request":null}`, `[`, `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := peek(b)
		head, headErr := peekHead(b)
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil || obj == nil {
			return
		}
		if err != nil {
			t.Fatalf("peek failed on a valid object %q: %v", b, err)
		}
		if headErr != nil {
			t.Fatalf("peekHead failed on a valid object %q: %v", b, headErr)
		}
		// Keys are matched exactly, as in the map (encoding/json matches
		// struct fields without case; the handler checks the decoded
		// source again, so the router's exact match is the stricter one).
		str := func(raw json.RawMessage) string {
			var s string
			_ = json.Unmarshal(raw, &s)
			return s
		}
		if env.source != str(obj["triggerSource"]) || env.version != str(obj["version"]) {
			t.Fatalf("peek(%q) = %+v, encoding/json reads source %q version %q", b, env, str(obj["triggerSource"]), str(obj["version"]))
		}
		_ = head // peekHead stops early, so only its success is checked
	})
}
