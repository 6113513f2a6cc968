package trigger

import (
	"bytes"
	"fmt"

	"github.com/go-json-experiment/json/jsontext"
)

// The adapter gives the response back as it came, except for what the
// handler changed. It encodes the decoded response twice, before and after
// the handler; where the two encodings agree, the handler changed nothing
// and the incoming bytes go back, so that null stays null, a missing
// member stays missing and a member no type of this package knows is kept.
// Where they differ, the handler's value goes back, object by object down
// to the member that changed.

// member is one member of a JSON object: its name, quoted as it was
// written and unquoted, and its value's bytes.
type member struct {
	quoted []byte
	name   []byte
	value  []byte
}

// objectMembers returns the members of the JSON object v, in order, with
// their bytes sliced from v. It reports false when v is not an object.
// v must be valid JSON without duplicate names, as the adapter's decoder
// and encoder guarantee.
func objectMembers(v []byte) ([]member, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || v[0] != '{' {
		return nil, false
	}
	d := getDecoder(v)
	defer d.release()
	dec := d.dec
	if _, err := dec.ReadToken(); err != nil {
		return nil, false
	}
	ms := make([]member, 0, 8)
	for dec.PeekKind() != '}' {
		q, err := dec.ReadValue()
		if err != nil {
			return nil, false
		}
		qEnd := int(dec.InputOffset())
		quoted := v[qEnd-len(q) : qEnd]
		name := quoted[1 : len(quoted)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			if name, err = jsontext.AppendUnquote(nil, quoted); err != nil {
				return nil, false
			}
		}
		val, err := dec.ReadValue()
		if err != nil {
			return nil, false
		}
		end := int(dec.InputOffset())
		ms = append(ms, member{quoted: quoted, name: name, value: v[end-len(val) : end]})
	}
	return ms, true
}

// find returns the member of ms named name.
func find(ms []member, name []byte) (member, bool) {
	for _, m := range ms {
		if bytes.Equal(m.name, name) {
			return m, true
		}
	}
	return member{}, false
}

// mergeValue appends to dst the value to send back for a value that came
// in as orig, encoded as before when decoded and as after once the handler
// ran. It fails when an incoming member that no type knows differs only in
// case from one the handler set: a reader that ignores case could take it
// instead of the handler's.
func mergeValue(dst, orig, before, after []byte, path string) ([]byte, error) {
	switch {
	case bytes.Equal(before, after):
		return append(dst, orig...), nil
	case sameTokens(orig, before):
		// It came as this package encodes it (but for white space), with
		// no member the types do not know: what the handler left is what
		// goes back.
		return append(dst, after...), nil
	}
	om, ok := objectMembers(orig)
	if !ok {
		return append(dst, after...), nil
	}
	bm, ok := objectMembers(before)
	if !ok {
		return append(dst, after...), nil
	}
	am, ok := objectMembers(after)
	if !ok {
		return append(dst, after...), nil
	}
	dst = append(dst, '{')
	first := true
	sep := func() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
	}
	var err error
	for _, o := range om {
		a, inAfter := find(am, o.name)
		b, inBefore := find(bm, o.name)
		switch {
		case !inAfter && inBefore:
			// The handler removed it (an entry of a map).
			continue
		case !inAfter:
			if shadow, ok := foldMatch(am, bm, o.name); ok {
				return nil, &shadowError{path: path, name: string(o.name), known: string(shadow)}
			}
			sep()
			dst = append(append(append(dst, o.quoted...), ':'), o.value...)
		default:
			sep()
			dst = append(append(dst, o.quoted...), ':')
			if dst, err = mergeValue(dst, o.value, b.value, a.value, path+string(o.name)+"."); err != nil {
				return nil, err
			}
		}
	}
	for _, a := range am {
		if _, inOrig := find(om, a.name); inOrig {
			continue
		}
		if b, ok := find(bm, a.name); ok && bytes.Equal(b.value, a.value) {
			// Missing when it came, and left alone: it stays missing.
			continue
		}
		sep()
		dst = append(append(append(dst, a.quoted...), ':'), a.value...)
	}
	return append(dst, '}'), nil
}

// sameTokens reports whether the JSON texts a and b are the same but for
// the white space between their tokens: the same values, members in the
// same order, strings written alike.
func sameTokens(a, b []byte) bool {
	i, j := 0, 0
	inString := false
	for {
		if !inString {
			for i < len(a) && isJSONSpace(a[i]) {
				i++
			}
			for j < len(b) && isJSONSpace(b[j]) {
				j++
			}
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		c := a[i]
		if c != b[j] {
			return false
		}
		i, j = i+1, j+1
		switch {
		case inString && c == '\\':
			// The escaped byte, which may be a quote, must be equal too.
			if i == len(a) || j == len(b) || a[i] != b[j] {
				return false
			}
			i, j = i+1, j+1
		case c == '"':
			inString = !inString
		}
	}
}

func isJSONSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// foldMatch returns the name of a member the handler changed that differs
// from name only in case.
func foldMatch(after, before []member, name []byte) ([]byte, bool) {
	for _, a := range after {
		if !bytes.EqualFold(a.name, name) {
			continue
		}
		if b, ok := find(before, a.name); ok && bytes.Equal(b.value, a.value) {
			continue
		}
		return a.name, true
	}
	return nil, false
}

// shadowError reports an incoming response member that differs only in
// case from one the handler set.
type shadowError struct {
	path, name, known string
}

func (e *shadowError) Error() string {
	return fmt.Sprintf("the response member %q differs from %q only in case; Cognito sends %q alone", clip(e.path+e.name), e.path+e.known, e.path+e.known)
}
