package trigger

import (
	"bytes"
	"errors"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Attributes are a user's attributes as an event carries them: name to
// value. Cognito sends every value as a string, but events that other
// tools write or replay carry JSON booleans and numbers too
// ("email_verified": true). Attributes take them as their string form
// ("true", "false", the number as written), so that a rule reads true and
// "true" alike; a null value counts as absent. An object or array value
// makes the event invalid.
type Attributes map[string]string

// UnmarshalJSONFrom decodes an attributes object; the adapter's decoder
// calls it. An object of strings, what Cognito sends, decodes as a plain
// map[string]string, through the library's cache of the strings it has
// seen; any other object is read token by token.
func (a *Attributes) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	// A null value must be absent, where the library would give "".
	if !bytes.Contains(raw, jsonNull) && jsonv2.Unmarshal(raw, (*map[string]string)(a)) == nil {
		return nil
	}
	return a.decodeTokens(jsontext.NewDecoder(bytes.NewReader(raw)))
}

// decodeTokens decodes an attributes object that holds values other than
// strings.
func (a *Attributes) decodeTokens(dec *jsontext.Decoder) error {
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
	m := make(Attributes)
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String() // the token is void after the next read
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

// UnmarshalJSON decodes an attributes object for encoding/json, the same
// way as UnmarshalJSONFrom.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	err := jsonv2.Unmarshal(b, a)
	var se *jsonv2.SemanticError
	if errors.As(err, &se) && se.Err != nil {
		return se.Err
	}
	return err
}

// attributeKindError reports an attribute value (or, without a name, an
// attributes member) of a kind Attributes cannot hold. It names no value.
type attributeKindError struct {
	name string
	kind jsontext.Kind
}

func (e *attributeKindError) Error() string {
	if e.name == "" {
		return fmt.Sprintf("the attributes are a JSON %s, want an object", kindName(e.kind))
	}
	return fmt.Sprintf("attribute %q is a JSON %s, want a string", clip(e.name), kindName(e.kind))
}

// want is what a value of the attribute's place must be.
func (e *attributeKindError) want() string {
	if e.name == "" {
		return "an object of attributes"
	}
	return "a string"
}
