package trigger

import (
	"context"
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/internal/syncio"
)

// jsonHandler is the handler of [NewLogger] and of the default logger: it
// writes what slog.JSONHandler writes, byte for byte, in less than half
// the time for the records this package and its triggers log (strings,
// numbers, booleans, durations and groups of them). Each invocation writes
// one or two such lines, and slog.JSONHandler escapes a string one byte at
// a time through closures and formats a float with encoding/json: its two
// lines took about 3.5 µs of create auth challenge's 25.
//
// Anything else (a time or any other value, a group opened by WithGroup, a
// value that encoding/json would refuse) goes to the slog.JSONHandler it
// wraps, which writes the whole record: the output never depends on the
// path taken. TestJSONHandlerMatchesSlog and FuzzJSONHandler compare the
// two.
type jsonHandler struct {
	// std is a slog.JSONHandler with the same level, attributes and
	// groups, writing to the same w.
	std   slog.Handler
	w     *syncio.Writer // both paths write through it: one Write per record
	level slog.Leveler
	// pre is the preformatted attributes of WithAttrs, each preceded by a
	// comma.
	pre []byte
	// fast is false once WithGroup opened a group or WithAttrs took a value
	// that only std writes: every record then goes to std.
	fast bool
}

// newJSONHandler returns a jsonHandler writing to w at level (Info when
// nil).
func newJSONHandler(w io.Writer, level slog.Leveler) *jsonHandler {
	if level == nil {
		level = slog.LevelInfo
	}
	sw := &syncio.Writer{W: w}
	return &jsonHandler{
		std:   slog.NewJSONHandler(sw, &slog.HandlerOptions{Level: level}),
		w:     sw,
		level: level,
		fast:  true,
	}
}

func (h *jsonHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

// lineBuffers holds the buffers lines are built in; as slog does, only
// small ones go back.
var lineBuffers = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}

const maxPooledLine = 16 << 10

func (h *jsonHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.fast {
		return h.std.Handle(ctx, r)
	}
	bp := lineBuffers.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledLine {
			*bp = (*bp)[:0]
			lineBuffers.Put(bp)
		}
	}()
	b := append((*bp)[:0], '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if y := t.Year(); y < 0 || y >= 10000 {
			return h.std.Handle(ctx, r)
		}
		b = append(b, `"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = appendJSONString(b, r.Level.String())
	b = append(b, `,"msg":`...)
	b = appendJSONString(b, r.Message)
	b = append(b, h.pre...)
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		b, ok = appendJSONAttr(b, a)
		return ok
	})
	*bp = b
	if !ok {
		return h.std.Handle(ctx, r)
	}
	b = append(b, "}\n"...)
	*bp = b
	_, err := h.w.Write(b)
	return err
}

func (h *jsonHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	out := &jsonHandler{std: h.std.WithAttrs(attrs), w: h.w, level: h.level, fast: h.fast}
	if !out.fast {
		return out
	}
	pre := append([]byte(nil), h.pre...)
	for _, a := range attrs {
		var ok bool
		if pre, ok = appendJSONAttr(pre, a); !ok {
			out.fast = false
			return out
		}
	}
	out.pre = pre
	return out
}

func (h *jsonHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &jsonHandler{std: h.std.WithGroup(name), w: h.w, level: h.level}
}

// appendJSONAttr appends ,"key":value for a as slog.JSONHandler writes it
// outside any group; ok is false for a value only slog.JSONHandler writes.
func appendJSONAttr(b []byte, a slog.Attr) (_ []byte, ok bool) {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		attrs := v.Group()
		if len(attrs) == 0 {
			return b, true
		}
		// As slog: a group with no key is inlined, and a group whose
		// members are all elided is not written at all.
		start := len(b)
		if a.Key != "" {
			b = append(b, ',')
			b = appendJSONString(b, a.Key)
			b = append(b, ":{"...)
		}
		inner := len(b)
		for _, ga := range attrs {
			if b, ok = appendJSONAttr(b, ga); !ok {
				return b, false
			}
		}
		if len(b) == inner {
			return b[:start], true
		}
		if a.Key != "" {
			// The first member's comma follows the brace: drop it.
			copy(b[inner:], b[inner+1:])
			b[len(b)-1] = '}'
		}
		return b, true
	case slog.KindAny:
		if a.Key == "" && v.Any() == nil {
			return b, true // the zero Attr, which slog elides
		}
		return b, false
	case slog.KindTime:
		return b, false
	}
	b = append(b, ',')
	b = appendJSONString(b, a.Key)
	b = append(b, ':')
	switch v.Kind() {
	case slog.KindString:
		b = appendJSONString(b, v.String())
	case slog.KindInt64:
		b = strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		b = strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		b = strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		b = strconv.AppendInt(b, int64(v.Duration()), 10)
	case slog.KindFloat64:
		return appendJSONFloat(b, v.Float64())
	default:
		return b, false
	}
	return b, true
}

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest decimal that reads back as f, in exponent form only below 1e-6
// and from 1e21 up, with a two-digit negative exponent shortened
// (1e-07 becomes 1e-7). NaN and infinities are not JSON: ok is false.
func appendJSONFloat(b []byte, f float64) (_ []byte, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b, true
}

// appendJSONString appends s quoted as slog.JSONHandler writes it: '"',
// '\\' and control characters escaped (\n, \r and \t by name, the others
// as \u00XX), invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped so that
// the line is also valid JavaScript, and everything else, '<', '>' and '&'
// included, as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	// The common case first: eight plain ASCII bytes at a time.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if !plainJSON8(load8(s[i:])) {
			break
		}
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// load8 reads the first eight bytes of s, little-endian.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plainJSON8 reports whether none of the eight bytes of w needs escaping or
// a UTF-8 check: each is ASCII, 0x20 or above, and neither '"' nor '\\'.
func plainJSON8(w uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	// A byte below 0x20 borrows into its high bit on subtracting 0x20;
	// one equal to c becomes zero on xor, and zero borrows likewise. A
	// high bit already set (non-ASCII) is tested on w itself.
	below := (w - 0x20*ones) &^ w
	quote := w ^ ('"' * ones)
	slash := w ^ ('\\' * ones)
	return (w|below|((quote-ones)&^quote)|((slash-ones)&^slash))&highs == 0
}
