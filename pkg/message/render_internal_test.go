package message

import (
	"math/rand/v2"
	"testing"
)

// TestPrintable8 compares the eight-byte test of checkText with a byte by
// byte one, for every byte value in every position.
func TestPrintable8(t *testing.T) {
	base := []byte("abcdefgh")
	for pos := range 8 {
		for c := range 256 {
			b := append([]byte(nil), base...)
			b[pos] = byte(c)
			want := c >= ' ' && c < 0x7f
			if got := printable8(load8(string(b))); got != want {
				t.Errorf("printable8(%q) = %v, want %v", b, got, want)
			}
		}
	}
	// Words with several bytes near the edges of the range.
	edges := []byte{0, 0x1f, ' ', '!', '~', 0x7f, 0x80, 0xff}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		b := make([]byte, 8)
		want := true
		for i := range b {
			b[i] = edges[r.IntN(len(edges))]
			want = want && b[i] >= ' ' && b[i] < 0x7f
		}
		if got := printable8(load8(string(b))); got != want {
			t.Fatalf("printable8(%q) = %v, want %v", b, got, want)
		}
	}
}
