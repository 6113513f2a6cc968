package message

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// checkWhole is what variant.check must return: the output trimmed and
// checked whole, as finish does.
func checkWhole(out string, p Part, limit int) (string, error) {
	t := strings.TrimSpace(out)
	return t, checkText(t, p, limit)
}

// checkByPieces writes a variant of the literal texts lits (one more than
// vals) with vals between them, as plan.write would, and checks it with
// variant.check.
func checkByPieces(lits, vals []string, p Part, limit int) (string, string, error) {
	v := &variant{}
	var b strings.Builder
	ends := make([]int, maxEnds)
	for i, lit := range lits {
		value := -1
		if i < len(vals) {
			value = 0
		}
		v.pieces = append(v.pieces, newPiece(lit, value, p))
		b.WriteString(lit)
		if i < len(vals) {
			b.WriteString(vals[i])
		}
		if i < len(ends) {
			ends[i] = b.Len()
		}
	}
	out := b.String()
	t, err := v.check(out, ends, p, limit)
	return out, t, err
}

func sameError(a, b error) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Error() == b.Error()
}

// TestVariantCheck checks variant.check, which scans the values of a
// rendered variant and takes the scans of its literal text made once,
// against checkText on the whole trimmed output, where the pieces meet
// the ends TrimSpace cuts, a rule or the length limit.
func TestVariantCheck(t *testing.T) {
	many := make([]string, maxEnds+2)
	for i := range many {
		many[i] = "x"
	}
	tests := []struct {
		name  string
		lits  []string
		vals  []string
		p     Part
		limit int
	}{
		{"plain", []string{"Your code is ", "."}, []string{"123456"}, SMS, 140},
		{"no value", []string{"  Hello  "}, nil, SMS, 140},
		{"white space around", []string{" \n\tYour code is ", ". \n"}, []string{"123456"}, Subject, 140},
		{"white space only literal first", []string{" \n ", " is your code"}, []string{"1"}, Subject, 140},
		{"white space only literal last", []string{"code ", "\n\n"}, []string{"1"}, Subject, 140},
		{"value starts the text", []string{"", " after"}, []string{" \t 1"}, SMS, 140},
		{"value ends the text", []string{"before ", ""}, []string{"1 \n"}, Subject, 140},
		{"white space value alone", []string{" ", " "}, []string{" \n "}, SMS, 140},
		{"empty", []string{"", ""}, []string{""}, SMS, 140},
		{"refused space trimmed at the start", []string{"\v\u0085 x", "y"}, []string{"v"}, SMS, 140},
		{"refused space trimmed at the end", []string{"x", "y \u00a0\u2028"}, []string{"v"}, SMS, 140},
		{"refused space inside", []string{"x\u00a0", "y"}, []string{"v"}, SMS, 140},
		{"refused space at a value's end", []string{"x", "y"}, []string{"v\u00a0"}, SMS, 140},
		{"line break trimmed in a subject", []string{"\nHi ", "\r\n"}, []string{"Jane"}, Subject, 140},
		{"line break inside a subject", []string{"Hi\n", "!"}, []string{"Jane"}, Subject, 140},
		{"line break in a subject's value", []string{"Hi ", "!"}, []string{"Ja\nne"}, Subject, 140},
		{"line break inside an SMS", []string{"Hi\n", "!"}, []string{"Jane"}, SMS, 140},
		{"value refused before literal refused", []string{"a", "b\x00"}, []string{"\u202e"}, SMS, 140},
		{"literal refused before value refused", []string{"a\x01", "b"}, []string{"\u202e"}, SMS, 140},
		{"invalid UTF-8 joined across a boundary", []string{"caf\xc3", "!"}, []string{"\xa9"}, SMS, 140},
		{"invalid UTF-8 joined, then refused", []string{"caf\xc3", "\x00"}, []string{"\xa9"}, SMS, 140},
		{"invalid UTF-8 in a value", []string{"a", "b"}, []string{"\xff"}, SMS, 140},
		{"invalid UTF-8 in a literal", []string{"a\xff", "b"}, []string{"x"}, SMS, 140},
		{"invalid UTF-8 after a refused character", []string{"a\x00", "\xff"}, []string{"x"}, SMS, 140},
		{"invalid UTF-8 at the start", []string{"\xa0 a", "b"}, []string{"x"}, SMS, 140},
		{"emoji count two", []string{"😀", "😀"}, []string{"😀"}, SMS, 6},
		{"emoji over the limit", []string{"😀", "😀"}, []string{"😀"}, SMS, 5},
		{"at the limit", []string{"abcd", "efgh"}, []string{"12"}, SMS, 10},
		{"over the limit by a value", []string{"abcd", "efgh"}, []string{"123"}, SMS, 10},
		{"trimmed white space not counted", []string{"   abcd", "efgh   "}, []string{"12"}, SMS, 10},
		{"more pieces than recorded", many, many[1:], SMS, 140},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, got, err := checkByPieces(tt.lits, tt.vals, tt.p, tt.limit)
			want, werr := checkWhole(out, tt.p, tt.limit)
			if !sameError(err, werr) || err == nil && got != want {
				t.Errorf("check(%q) = %q, %v; checked whole: %q, %v", out, got, err, want, werr)
			}
		})
	}
}

// TestVariantCheckRandom checks variant.check against checkText on
// outputs made of fragments chosen for where they put white space,
// refused characters, line breaks and bytes that are not valid UTF-8.
func TestVariantCheckRandom(t *testing.T) {
	frags := []string{"", "a", "abcdefghij", " ", "\t", "\n", "\r\n", "\v", "\u0085", "\u00a0", "\u2028", "\u3000",
		"\x00", "\u202e", "é", "\xc3", "\xa9", "\xff", "😀", "\xf0\x9f", "\x98\x80", "&amp;", "\u00a0x"}
	r := rand.New(rand.NewPCG(3, 4))
	part := func(i int) Part { return []Part{Subject, Body, SMS, Text}[i%4] }
	text := func() string {
		var b strings.Builder
		for range r.IntN(4) {
			b.WriteString(frags[r.IntN(len(frags))])
		}
		return b.String()
	}
	for i := range 50000 {
		lits := make([]string, 1+r.IntN(4))
		vals := make([]string, len(lits)-1)
		for j := range lits {
			lits[j] = text()
		}
		for j := range vals {
			vals[j] = text()
		}
		p, limit := part(i), 1+r.IntN(20)
		out, got, err := checkByPieces(lits, vals, p, limit)
		want, werr := checkWhole(out, p, limit)
		if !sameError(err, werr) || err == nil && got != want {
			t.Fatalf("%s: pieces %q values %q: check = %q, %v; checked whole: %q, %v", p, lits, vals, got, err, want, werr)
		}
	}
}
