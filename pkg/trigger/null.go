package trigger

import (
	"encoding/json"

	"github.com/go-json-experiment/json/jsontext"
)

// String is a string that Cognito sends as null when it is unset. It reads
// and assigns like a plain string; the empty string encodes as JSON null, so
// a field a handler leaves alone goes back to Cognito as it came.
//
// Cognito treats an empty string and null differently in some responses
// (an empty emailMessage, for instance, makes it try to send an empty
// email), which is why the response types use String rather than string.
type String string

// jsonNull is shared: encoding/json copies what MarshalJSON returns and
// never writes to it.
var jsonNull = []byte("null")

// MarshalJSON encodes the empty string as null.
func (s String) MarshalJSON() ([]byte, error) {
	if s == "" {
		return jsonNull, nil
	}
	return json.Marshal(string(s))
}

// compile-time check that String keeps the json.Marshaler contract.
var _ json.Marshaler = String("")

// Bool returns a pointer to b, for the optional boolean response fields that
// Cognito sends as null until a trigger sets them.
func Bool(b bool) *bool { return &b }

// MarshalJSONTo is MarshalJSON for encoders of the JSON v2 API, without an
// intermediate buffer.
func (s String) MarshalJSONTo(enc *jsontext.Encoder) error {
	if s == "" {
		return enc.WriteToken(jsontext.Null)
	}
	return enc.WriteToken(jsontext.String(string(s)))
}
