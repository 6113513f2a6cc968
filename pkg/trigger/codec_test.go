package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// codecSources has one source of every event type, for the codec tests.
var codecSources = []struct {
	source  Source
	version string
}{
	{"PreSignUp_SignUp", "1"},
	{"PostConfirmation_ConfirmSignUp", "1"},
	{"PreAuthentication_Authentication", "1"},
	{"PostAuthentication_Authentication", "1"},
	{"TokenGeneration_Authentication", "1"},
	{"TokenGeneration_Authentication", "2"},
	{"CustomMessage_SignUp", "1"},
	{"DefineAuthChallenge_Authentication", "1"},
	{"CreateAuthChallenge_Authentication", "1"},
	{"VerifyAuthChallengeResponse_Authentication", "1"},
	{"UserMigration_Authentication", "1"},
	{"CustomEmailSender_SignUp", "1"},
	{"CustomSMSSender_SignUp", "1"},
	{"InboundFederation_ExternalProvider", "1"},
}

// checkCodec decodes payload into every event type with decodeEvent and,
// as the reference, with the library's own struct decoding of the whole
// event: both must accept or refuse it, and decode the same values. What
// encodeEvent returns must be the payload with only the response replaced.
func checkCodec(t *testing.T, payload []byte) {
	t.Helper()
	for _, src := range codecSources {
		got := NewEvent(src.source, src.version).(event)
		req, resp := got.parts()
		lay, err := decodeEvent(payload, got.EventHeader(), req, resp)
		want := NewEvent(src.source, src.version)
		werr := jsonv2.Unmarshal(payload, want)
		if err == errNotObject {
			// The reference takes null as an empty event; the adapter
			// takes objects only.
			if rest := bytes.TrimLeft(payload, " \t\r\n"); len(rest) > 0 && rest[0] == '{' {
				t.Fatalf("%T: an object was refused as not an object", got)
			}
			continue
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%T: decodeEvent error %v, reference error %v", got, err, werr)
		}
		if err != nil {
			if bytes.Contains(payload, []byte("SECRET")) && strings.Contains(err.Error(), "SECRET") {
				t.Fatalf("%T: error %q repeats a value of the payload", got, err)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%T: decodeEvent gave\n%+v\nthe reference\n%+v", got, got, want)
		}
		if resp != nil {
			v1, err1 := json.Marshal(resp)
			v2, err2 := jsonv2.Marshal(resp, encodeOptions)
			if !bytes.Equal(v1, v2) || (err1 == nil) != (err2 == nil) {
				t.Fatalf("%T: the response encodes as %s (%v), encoding/json gives %s (%v)", got, v2, err2, v1, err1)
			}
		}
		before, err := encodeResponse(resp)
		if err != nil {
			t.Fatalf("%T: encodeResponse: %v", got, err)
		}
		out, err := encodeEvent(payload, lay, before, resp)
		if err != nil {
			t.Fatalf("%T: encodeEvent: %v", got, err)
		}
		if !bytes.Equal(out, payload) {
			t.Fatalf("%T: an event whose response nothing changed came back changed: %q", got, out)
		}
		if !json.Valid(out) {
			t.Fatalf("%T: encodeEvent gave invalid JSON %q", got, out)
		}
		if resp == nil {
			if !bytes.Equal(out, payload) {
				t.Fatalf("%T: an event without a response came back changed: %q", got, out)
			}
			continue
		}
		// Outside the response, the payload comes back byte for byte.
		if lay.respStart >= 0 {
			if !bytes.HasPrefix(out, payload[:lay.respStart]) || !bytes.HasSuffix(out, payload[lay.respEnd:]) {
				t.Fatalf("%T: the bytes around the response changed: %q", got, out)
			}
		}
		again := NewEvent(src.source, src.version).(event)
		if err := jsonv2.Unmarshal(out, again); err != nil {
			t.Fatalf("%T: the answer does not decode: %v\n%q", got, err, out)
		}
		_, aresp := again.parts()
		if !reflect.DeepEqual(reflect.ValueOf(aresp).Elem().Interface(), reflect.ValueOf(resp).Elem().Interface()) {
			// Compare as JSON: the response types hold unexported
			// fields that back pointers.
			a, _ := json.Marshal(aresp)
			b, _ := json.Marshal(resp)
			if !bytes.Equal(a, b) {
				t.Fatalf("%T: the answer's response %s, want %s", got, a, b)
			}
		}
	}
}

func TestCodec(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "events", "*", "*.json"))
	if len(paths) == 0 {
		t.Fatal("no fixtures under events/")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(p), func(t *testing.T) { checkCodec(t, b) })
	}
	for _, s := range codecSeeds {
		t.Run(s, func(t *testing.T) { checkCodec(t, []byte(s)) })
	}
}

// codecSeeds are payloads at the edges of the codec.
var codecSeeds = []string{
	`{}`,
	` { } `,
	`{"triggerSource":"PreSignUp_SignUp","request":{}}`,
	`{"request":{},"response":null}`,
	`{"request":{},"response":{"autoConfirmUser":true}}`,
	`{"response":{},"request":{}}  `,
	`{"version":"1","version":"2"}`,
	`{"Request":{"userAttributes":{"a":"b"}}}`,
	`{"request":{"userAttributes":{"a":"SECRET","a":"b"}}}`,
	`{"re\u0071uest":{"userAttributes":{"a":"b"}},"respons\u0065":{}}`,
	`{"request":{"userAttributes":{"a":1}}}`,
	`{"request":{"userAttributes":"SECRET"}}`,
	`{"request":{"session":[{"challengeName":"X","challengeResult":"SECRET"}]}}`,
	`{"callerContext":{"clientId":"c"},"userName":null,"x":[1,{"y":"}"}]}`,
	"{\"request\":{\"userAttributes\":{\"a\":\"\xff\"}}}",
	`{"request":{}}{}`,
	`{"request":{},}`,
	`{"request"`,
	`[]`,
	`null`,
	``,
}

func FuzzCodec(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "events", "*", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range codecSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkCodec)
}

func TestDecodeErrorsSayWhatAndWhere(t *testing.T) {
	tests := []struct {
		payload string
		want    string
	}{
		{`{"request":{"userAttributes":{"a":{}}}}`, "field request.userAttributes.a is a JSON object, want a string"},
		{`{"request":{"userAttributes":["a"]}}`, "field request.userAttributes is a JSON array, want an object of attributes"},
		{`{"request":{"validationData":{"a":1}}}`, "field request.validationData.a is a JSON number, want string"},
		{`{"request":{},"request":{}}`, "duplicate member name"},
		{"{\"region\":\"\xff\"}", "invalid UTF-8"},
		{`{"request":{"userAttributes":{`, "ends early"},
		{`{"request":{}} x`, "after the top-level object"},
		{`{"request":{} "x"}`, "malformed JSON at byte 14"},
	}
	for _, tt := range tests {
		var ev PreSignUpEvent
		req, resp := ev.parts()
		_, err := decodeEvent([]byte(tt.payload), &ev.Header, req, resp)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("decodeEvent(%q) error = %v, want it to contain %q", tt.payload, err, tt.want)
		}
	}
}

func TestReadHead(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    head
		wantErr bool
	}{
		{"plain", `{"version":"1","triggerSource":"PreSignUp_SignUp","request":{"a":[1,{"b":"}"}]}}`, head{"PreSignUp_SignUp", "1"}, false},
		{"escaped key and value", `{"trigger\u0053ource":"PreSignUp\u005fSignUp","request":{}}`, head{"PreSignUp_SignUp", ""}, false},
		{"non-string source", `{"triggerSource":5,"request":{}}`, head{}, false},
		{"white space", " \n{ \"version\" : \"2\" } \t", head{version: "2"}, false},
		{"empty object", `{}`, head{}, false},
		{"not an object", `[]`, head{}, true},
		{"unterminated", `{"request":{"a":"b}`, head{}, true},
		{"missing colon", `{"request" {}}`, head{}, true},
		{"stray bracket", `{"a":]}`, head{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readHead([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("readHead(%s) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("readHead(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzReadHead checks readHead against the library's decoding of the two
// members: on every object the library decodes, readHead succeeds and
// reads the same strings.
func FuzzReadHead(f *testing.F) {
	for _, s := range []string{`{}`, `{"triggerSource":"PreSignUp_SignUp","version":"1","request":{}}`,
		`{"a":[1,2,{"b":null}],"triggerSource":"x\"y","request":null}`, `[`, `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := readHead(b)
		var ref struct {
			TriggerSource any `json:"triggerSource"`
			Version       any `json:"version"`
		}
		if jsonv2.Unmarshal(b, &ref) != nil || !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{")) {
			return
		}
		if err != nil {
			t.Fatalf("readHead failed on an object the library decodes %q: %v", b, err)
		}
		str := func(v any) string { s, _ := v.(string); return s }
		if got.source != str(ref.TriggerSource) || got.version != str(ref.Version) {
			t.Fatalf("readHead(%q) = %+v, the library reads %+v", b, got, ref)
		}
	})
}

// TestSameTokens checks the test the response merge uses to send the
// handler's response whole: the same JSON but for white space between
// tokens, never inside a string.
func TestSameTokens(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{`{"a":null}`, `{"a":null}`, true},
		{"{ \"a\" :\n\tnull ,\r\n \"b\":[1, 2] }", `{"a":null,"b":[1,2]}`, true},
		{` null `, `null`, true},
		{`{"a":"x y"}`, `{"a":"xy"}`, false},
		{`{"a":"x\" y"}`, `{"a":"x\"y"}`, false},
		{`{"a":"x\\" ,"b":1}`, `{"a":"x\\","b":1}`, true},
		{`{"a":"x\\"}`, `{"a":"x\\\""}`, false},
		{`{"a":null}`, `{"a":null,"b":1}`, false},
		{`{"b":1,"a":null}`, `{"a":null,"b":1}`, false},
		{`{"a":1}`, `{"a":10}`, false},
		{`{"a":1 0}`, `{"a":10}`, true}, // not JSON; the merge only compares valid values
		{``, `  `, true},
		{`"`, `" `, false},
	}
	for _, tt := range tests {
		if got := sameTokens([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("sameTokens(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := sameTokens([]byte(tt.b), []byte(tt.a)); got != tt.want {
			t.Errorf("sameTokens(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

// stringMaps is a response with string maps, as the library writes it
// through reflection (jsonv1.DefaultOptionsV1) and as marshalStringMap
// writes it.
type stringMaps struct {
	A map[string]string `json:"a"`
	B map[string]string `json:"b"`
}

func checkStringMaps(t *testing.T, v stringMaps) {
	t.Helper()
	want, wantErr := jsonv2.Marshal(v, jsonv1.DefaultOptionsV1())
	got, err := encodeResponse(&v)
	if (err != nil) != (wantErr != nil) || string(got) != string(want) {
		t.Errorf("encodeResponse(%q) = %s, %v; the library writes %s, %v", v, got, err, want, wantErr)
	}
}

func TestMarshalStringMap(t *testing.T) {
	many := map[string]string{}
	for i := range 40 {
		many[fmt.Sprintf("k%02d", 39-i)] = fmt.Sprint(i)
	}
	tests := []struct {
		name string
		v    stringMaps
	}{
		{"nil and empty", stringMaps{A: nil, B: map[string]string{}}},
		{"sorted", stringMaps{A: map[string]string{"b": "2", "a": "1", "B": "3", "": "empty"}}},
		{"escaped", stringMaps{A: map[string]string{"<k>": "a&b\"c\\d\n\u2028\x01", "é": "日本"}}},
		{"invalid UTF-8", stringMaps{A: map[string]string{"\xff": "\xfe\xfd", "a\xc3": "x"}}},
		{"more than the stack holds", stringMaps{A: many, B: map[string]string{"x": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkStringMaps(t, tt.v) })
	}
}

func FuzzMarshalStringMap(f *testing.F) {
	f.Add("answerHash", "abc", "email", "j***@e***.com", "<&>")
	f.Add("\xff", "\xfe", "\u2028", "", "\x00")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3 string) {
		checkStringMaps(t, stringMaps{A: map[string]string{k1: v1, k2: v2, k3: v1 + v2}, B: map[string]string{v2: k3}})
	})
}
