package trigger

import (
	"encoding/json"
	"errors"
	"fmt"
)

// envelope is what peek reads from an event without decoding it.
type envelope struct {
	source  string
	version string
	// request reports whether the top-level object has a "request" member
	// whose value is an object.
	request bool
}

// errNotObject is returned by peek for a payload that is not a JSON object.
var errNotObject = errors.New("the event is not a JSON object")

// peekHead reads the top-level triggerSource and version of a JSON object,
// and stops as soon as it has both. Cognito sends them first, so a router
// reads a few dozen bytes of the event. It does not validate the rest.
func peekHead(b []byte) (envelope, error) {
	return scan(b, true)
}

// peek reads the top-level triggerSource, version and request members of a
// JSON object in one pass, without allocating unless a key or string value
// contains escapes. Like encoding/json, it keeps the last of duplicate
// keys. It checks the structure it walks (brackets, strings, separators)
// but not every detail of number and literal syntax; callers decode the
// payload with encoding/json afterwards, which does.
func peek(b []byte) (envelope, error) {
	return scan(b, false)
}

func scan(b []byte, headOnly bool) (envelope, error) {
	var env envelope
	var haveSource, haveVersion bool
	s := scanner{b: b}
	s.space()
	if !s.eat('{') {
		return env, errNotObject
	}
	s.space()
	if s.eat('}') {
		return env, s.end()
	}
	for {
		s.space()
		key, err := s.str()
		if err != nil {
			return env, err
		}
		s.space()
		if !s.eat(':') {
			return env, s.fail("expected ':' after object key")
		}
		s.space()
		switch string(key) {
		case "triggerSource", "version":
			v, isStr, err := s.value()
			if err != nil {
				return env, err
			}
			val := ""
			if isStr {
				val = string(v)
			}
			if string(key) == "version" {
				env.version, haveVersion = val, true
			} else {
				env.source, haveSource = val, true
			}
			if headOnly && haveSource && haveVersion {
				return env, nil
			}
		case "request":
			env.request = s.peekByte() == '{'
			if err := s.skip(); err != nil {
				return env, err
			}
		default:
			if err := s.skip(); err != nil {
				return env, err
			}
		}
		s.space()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return env, s.end()
		}
		return env, s.fail("expected ',' or '}' after object member")
	}
}

type scanner struct {
	b []byte
	i int
}

func (s *scanner) fail(msg string) error {
	return fmt.Errorf("malformed JSON at byte %d: %s", s.i, msg)
}

func (s *scanner) end() error {
	s.space()
	if s.i != len(s.b) {
		return s.fail("unexpected data after the top-level object")
	}
	return nil
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scanner) peekByte() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// str reads a JSON string and returns its value. A string without escapes
// is returned as a slice of the input, without copying.
func (s *scanner) str() ([]byte, error) {
	if !s.eat('"') {
		return nil, s.fail("expected a string")
	}
	start := s.i
	escaped := false
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			raw := s.b[start:s.i]
			s.i++
			if !escaped {
				return raw, nil
			}
			var v string
			if err := json.Unmarshal(s.b[start-1:s.i], &v); err != nil {
				return nil, s.fail("invalid string escape")
			}
			return []byte(v), nil
		case c == '\\':
			escaped = true
			s.i += 2
		case c < 0x20:
			return nil, s.fail("control character in string")
		case c >= 0x80:
			// Let encoding/json decode non-ASCII text, so that invalid
			// UTF-8 turns into U+FFFD exactly as it does there.
			escaped = true
			s.i++
		default:
			s.i++
		}
	}
	return nil, s.fail("unterminated string")
}

// value reads any JSON value; for a string it returns the string's value.
func (s *scanner) value() ([]byte, bool, error) {
	if s.peekByte() == '"' {
		v, err := s.str()
		return v, err == nil, err
	}
	return nil, false, s.skip()
}

// skip steps over one JSON value.
func (s *scanner) skip() error {
	depth := 0
	for {
		s.space()
		if s.i >= len(s.b) {
			return s.fail("unexpected end of input")
		}
		switch c := s.b[s.i]; c {
		case '"':
			if _, err := s.skipStr(); err != nil {
				return err
			}
		case '{', '[':
			depth++
			if depth > maxDepth {
				return s.fail("nested too deeply")
			}
			s.i++
			continue
		case '}', ']':
			if depth == 0 {
				return s.fail("unexpected closing bracket")
			}
			depth--
			s.i++
		case ',', ':':
			if depth == 0 {
				return s.fail("unexpected separator")
			}
			s.i++
			continue
		default:
			if !s.scalar() {
				return s.fail("invalid value")
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// maxDepth matches encoding/json's nesting limit.
const maxDepth = 10000

// skipStr steps over a string without decoding it.
func (s *scanner) skipStr() (int, error) {
	start := s.i
	s.i++
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return start, nil
		case c == '\\':
			s.i += 2
		case c < 0x20:
			return 0, s.fail("control character in string")
		default:
			s.i++
		}
	}
	return 0, s.fail("unterminated string")
}

// scalar steps over a number or literal (true, false, null).
func (s *scanner) scalar() bool {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			s.i++
			continue
		}
		break
	}
	return s.i > start
}
