package trigger

import (
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"

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
// calls it. The decoder reads the value whole, which checks it (well
// formed, valid UTF-8, no duplicate name); decodeRaw then takes the
// members from those bytes, in one pass and without reflection, which is
// most of the cost of decoding an event.
func (a *Attributes) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return a.decodeRaw(raw)
}

// decodeRaw decodes raw, a JSON value the decoder has checked. A null
// value leaves no attributes; anything but an object is an error, as is a
// member whose value is an object or an array. Names and strings are
// unquoted, numbers kept as written, booleans written "true" and "false",
// and null members left out. Names and short values come from a cache of
// those seen before: attribute names and values such as "true" or
// "CONFIRMED" repeat from event to event.
func (a *Attributes) decodeRaw(raw []byte) error {
	i := skipSpace(raw, 0)
	switch k := rawKind(raw[i]); k {
	case 'n':
		*a = nil
		return nil
	case '{':
	default:
		return &attributeKindError{kind: k}
	}
	cache := stringCaches.Get().(*stringCache)
	defer stringCaches.Put(cache)
	type member struct{ name, value string }
	var buf [32]member
	members := buf[:0]
	i = skipSpace(raw, i+1)
	for raw[i] != '}' {
		name, next, err := cache.str(raw, i)
		if err != nil {
			return err
		}
		i = skipSpace(raw, skipSpace(raw, next)+1) // past the colon
		var value string
		null := false
		switch k := rawKind(raw[i]); k {
		case '"':
			if value, i, err = cache.str(raw, i); err != nil {
				return err
			}
		case '0':
			end := i + 1
			for end < len(raw) && strings.IndexByte("0123456789+-.eE", raw[end]) >= 0 {
				end++
			}
			value, i = cache.get(raw[i:end]), end
		case 't':
			value, i = "true", i+len("true")
		case 'f':
			value, i = "false", i+len("false")
		case 'n':
			null, i = true, i+len("null")
		default:
			return &attributeKindError{name: name, kind: k}
		}
		if !null {
			members = append(members, member{name, value})
		}
		if i = skipSpace(raw, i); raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	m := make(Attributes, len(members))
	for _, mb := range members {
		m[mb.name] = mb.value
	}
	*a = m
	return nil
}

// rawKind is the jsontext.Kind of the value that starts with c.
func rawKind(c byte) jsontext.Kind {
	if c == '-' || c >= '0' && c <= '9' {
		return '0'
	}
	return jsontext.Kind(c)
}

// skipSpace returns the offset of the first byte of raw from i on that is
// not JSON white space.
func skipSpace(raw []byte, i int) int {
	for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
		i++
	}
	return i
}

// stringCache holds strings decoded before, by a hash of their bytes; one
// is used by one decoding at a time (stringCaches).
type stringCache [256]string

var (
	stringCaches = sync.Pool{New: func() any { return new(stringCache) }}
	cacheSeed    = maphash.MakeSeed()
)

// maxCached is the length of the longest string a stringCache keeps.
const maxCached = 32

// get returns b as a string, from the cache when it holds it.
func (c *stringCache) get(b []byte) string {
	if len(b) == 0 || len(b) > maxCached {
		return string(b)
	}
	e := &c[maphash.Bytes(cacheSeed, b)%uint64(len(c))]
	if *e != string(b) {
		*e = string(b)
	}
	return *e
}

// str decodes the JSON string that starts at raw[i], and returns it and
// the offset after it.
func (c *stringCache) str(raw []byte, i int) (string, int, error) {
	escaped := false
	j := i + 1
	for raw[j] != '"' {
		if raw[j] == '\\' {
			escaped = true
			j++
		}
		j++
	}
	if !escaped {
		return c.get(raw[i+1 : j]), j + 1, nil
	}
	b, err := jsontext.AppendUnquote(nil, raw[i:j+1])
	return string(b), j + 1, err
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
