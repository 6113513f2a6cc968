package trigger

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// tokenAttributes decodes attributes token by token, the plain way: the
// reference decodeRaw is compared with. As Attributes, it reads the value
// whole first, and so refuses bad JSON with the same errors.
type tokenAttributes map[string]string

func (a *tokenAttributes) UnmarshalJSONFrom(outer *jsontext.Decoder) error {
	raw, err := outer.ReadValue()
	if err != nil {
		return err
	}
	dec := jsontext.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		*a = nil
		return nil
	case '{':
	default:
		return &attributeKindError{kind: tok.Kind()}
	}
	m := tokenAttributes{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		if tok, err = dec.ReadToken(); err != nil {
			return err
		}
		switch tok.Kind() {
		case '"', '0', 't', 'f':
			m[name] = tok.String()
		case 'n':
		default:
			return &attributeKindError{name: name, kind: tok.Kind()}
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*a = m
	return nil
}

// innermost is the message of the error an unmarshaler returned, without
// the library's wrapping, which names the Go type.
func innermost(err error) string {
	if err == nil {
		return ""
	}
	var se *jsonv2.SemanticError
	if errors.As(err, &se) && se.Err != nil {
		return se.Err.Error()
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return syn.Err.Error()
	}
	return err.Error()
}

// checkAttributes decodes in both ways and requires the same attributes,
// or the same error.
func checkAttributes(t *testing.T, in string) {
	t.Helper()
	var got Attributes
	gotErr := jsonv2.Unmarshal([]byte(in), &got)
	var want tokenAttributes
	wantErr := jsonv2.Unmarshal([]byte(in), &want)
	if innermost(gotErr) != innermost(wantErr) {
		t.Fatalf("decoding %q: error %v, token by token %v", in, gotErr, wantErr)
	}
	if gotErr == nil && ((got == nil) != (want == nil) || !maps.Equal(got, Attributes(want))) {
		t.Fatalf("decoding %q: %q, token by token %q", in, got, want)
	}
}

func TestAttributesDecodeAsTokens(t *testing.T) {
	many := make([]string, 40)
	for i := range many {
		many[i] = `"a` + strings.Repeat("x", i) + `":"v"`
	}
	tests := []string{
		`{"sub":"0f1e","email":"jane@example.com","email_verified":"true","locale":"en"}`,
		` { "a" : "1" , "b":"2"  } `,
		`{}`,
		`null`,
		`{"verified":true,"off":false,"n":-12.5e+3,"zero":0,"gone":null,"s":"null"}`,
		`{"esc":"a\"b\\c\u00e9\n\ud83d\ude00","na\u006de":"x","\/":"y"}`,
		`{"long":"` + strings.Repeat("é", 40) + `","k":"` + strings.Repeat("z", 33) + `"}`,
		`{` + strings.Join(many, ",") + `}`,
		`{"o":{"a":"b"}}`,
		`{"a":"1","arr":["x"]}`,
		`"a string"`,
		`[]`,
		`12`,
		`true`,
		`{"a":"1","a":"2"}`,
		`{"a":"1","\u0061":"2"}`,
		`{"a":"\xff"}`,
		`{"a":"1",}`,
		`{"a"}`,
		`{"a":"1"`,
		``,
	}
	for _, in := range tests {
		checkAttributes(t, in)
	}
}

func FuzzAttributes(f *testing.F) {
	for _, s := range []string{`{"sub":"x","email_verified":true}`, `{"a":null,"b":1e3}`, `{"\u00e9":"\\"}`, `{"a":{}}`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkAttributes(t, in)
		// The cache is shared from decoding to decoding: decode twice.
		checkAttributes(t, in)
	})
}
