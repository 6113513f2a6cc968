package otp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestNewCodeLength(t *testing.T) {
	for length := MinLength; length <= MaxLength; length++ {
		code, err := NewCode(length)
		if err != nil {
			t.Fatalf("NewCode(%d): %v", length, err)
		}
		if len(code) != length || !ValidCode(code) {
			t.Errorf("NewCode(%d) has %d characters or is not all digits", length, len(code))
		}
	}
}

func TestNewCodeRefusesLengthsOutOfRange(t *testing.T) {
	for _, length := range []int{-1, 0, 1, 5, 11, 100} {
		if _, err := NewCode(length); err == nil || !strings.Contains(err.Error(), "use 6 to 10 digits") {
			t.Errorf("NewCode(%d): got error %v, want one that says to use 6 to 10 digits", length, err)
		}
	}
}

// cycleReader returns the bytes 0, 1, …, 255, 0, 1, … forever.
type cycleReader struct{ next byte }

func (c *cycleReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.next
		c.next++
	}
	return len(p), nil
}

// TestNewCodeMapsEveryByteEvenly feeds each byte value once: the 250
// accepted values must give every digit exactly 25 times, which is the
// whole argument for the absence of bias.
func TestNewCodeMapsEveryByteEvenly(t *testing.T) {
	r := &cycleReader{}
	var counts [10]int
	for range 25 {
		code, err := newCode(r, MaxLength)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range code {
			counts[c-'0']++
		}
	}
	for d, n := range counts {
		if n != 25 {
			t.Errorf("digit %d drawn %d times from the 250 accepted byte values, want 25", d, n)
		}
	}
	if r.next != 250 {
		t.Errorf("consumed %d bytes for 250 digits, want 250 (no byte wasted)", r.next)
	}
}

func TestNewCodeRejectsHighBytes(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
		want  string
	}{
		{"no rejection", []byte{0, 1, 2, 3, 4, 5}, "012345"},
		{"modulo of kept bytes", []byte{10, 21, 32, 243, 249, 99}, "012399"},
		{"every rejected value, then more", []byte{250, 251, 252, 253, 254, 255, 7, 7, 7, 7, 7, 7}, "777777"},
		{"rejection in the middle", []byte{1, 2, 255, 3, 4, 5, 250, 6}, "123456"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newCode(bytes.NewReader(tt.input), 6)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func TestNewCodeFailsOnABrokenSource(t *testing.T) {
	if _, err := newCode(constReader(255), 6); err == nil || !strings.Contains(err.Error(), "crypto/rand") {
		t.Errorf("source of 0xff only: got error %v, want one naming crypto/rand", err)
	}
	boom := errors.New("boom")
	if _, err := newCode(io.MultiReader(bytes.NewReader([]byte{1, 2}), errReader{boom}), 6); !errors.Is(err, boom) {
		t.Errorf("failing source: got error %v, want it to wrap %v", err, boom)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := NewToken()
		if len(tok) != TokenLength || !ValidToken(tok) {
			t.Fatalf("token of %d characters, or not URL-safe base64", len(tok))
		}
		b, err := base64.RawURLEncoding.Strict().DecodeString(tok)
		if err != nil || len(b) != TokenBytes {
			t.Fatalf("token decodes to %d bytes (%v), want %d", len(b), err, TokenBytes)
		}
		if seen[tok] {
			t.Fatal("the same token was drawn twice")
		}
		seen[tok] = true
	}
	if TokenBytes*8 < 128 {
		t.Errorf("tokens carry %d bits, want at least 128", TokenBytes*8)
	}
}

func TestValidForms(t *testing.T) {
	tok := strings.Repeat("Ab-_", TokenLength/4)
	tests := []struct {
		s           string
		code, token bool
	}{
		{"123456", true, false},
		{"0000000000", true, false},
		{"12345", false, false},
		{"12345678901", false, false},
		{"12345a", false, false},
		{"１２３４５６", false, false}, // full-width digits are not ASCII
		{" 123456", false, false},
		{"", false, false},
		{tok, false, true},
		{tok[:TokenLength-1], false, false},
		{tok + "A", false, false},
		{tok[:TokenLength-1] + "=", false, false},
		{tok[:TokenLength-1] + "+", false, false},
		{tok[:TokenLength-1] + "/", false, false},
		{strings.Repeat("1", TokenLength), false, true},
	}
	for _, tt := range tests {
		if got := ValidCode(tt.s); got != tt.code {
			t.Errorf("ValidCode(%q) = %v, want %v", tt.s, got, tt.code)
		}
		if got := ValidToken(tt.s); got != tt.token {
			t.Errorf("ValidToken(%q) = %v, want %v", tt.s, got, tt.token)
		}
	}
}

func TestMatchCode(t *testing.T) {
	tests := []struct {
		name, answer, code string
		want               bool
	}{
		{"exact", "123456", "123456", true},
		{"trimmed", " \t123456\n", "123456", true},
		{"ten digits", "0123456789", "0123456789", true},
		{"one digit off", "123457", "123456", false},
		{"first digit off", "023456", "123456", false},
		{"shorter", "12345", "123456", false},
		{"prefix of a longer code", "123456", "1234567", false},
		{"longer", "1234567", "123456", false},
		{"inner space", "123 456", "123456", false},
		{"not digits", "12345x", "12345x", false},
		{"full-width digits", "１２３４５６", "123456", false},
		{"empty answer", "", "123456", false},
		{"empty code", "", "", false},
		{"code too short to be a code", "12345", "12345", false},
		{"sign", "+12345", "+12345", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchCode(tt.answer, tt.code); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchToken(t *testing.T) {
	tok := NewToken()
	other := NewToken()
	tests := []struct {
		name, answer, token string
		want                bool
	}{
		{"exact", tok, tok, true},
		{"trimmed", "  " + tok + "\r\n", tok, true},
		{"other token", other, tok, false},
		{"with the fragment's #", "#" + tok, tok, false},
		{"with padding", tok + "=", tok, false},
		{"truncated", tok[:TokenLength-1], tok, false},
		{"empty token never matches", "", "", false},
		{"empty token, any answer", tok, "", false},
		{"malformed token never matches", "abc", "abc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchToken(tt.answer, tt.token); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	issued := time.Unix(1_700_000_000, 0)
	ttl := 3 * time.Minute
	tests := []struct {
		name     string
		issuedAt time.Time
		now      time.Time
		ttl      time.Duration
		want     bool
	}{
		{"just issued", issued, issued, ttl, false},
		{"a second before the end", issued, issued.Add(ttl - time.Second), ttl, false},
		{"at the end", issued, issued.Add(ttl), ttl, true},
		{"after the end", issued, issued.Add(time.Hour), ttl, true},
		{"issued slightly in the future", issued.Add(ClockSkew), issued, ttl, false},
		{"issued far in the future", issued.Add(ClockSkew + time.Second), issued, ttl, true},
		{"zero time of issue", time.Time{}, issued, ttl, true},
		{"zero ttl", issued, issued, 0, true},
		{"negative ttl", issued, issued, -time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expired(tt.issuedAt, tt.now, tt.ttl); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSecretCheck(t *testing.T) {
	issued := time.Unix(1_700_000_000, 0)
	ttl := 5 * time.Minute
	tok := NewToken()
	withToken := Secret{Code: "123456", Token: tok, IssuedAt: issued}
	codeOnly := Secret{Code: "123456", IssuedAt: issued}
	late := issued.Add(ttl)
	tests := []struct {
		name   string
		secret Secret
		answer string
		now    time.Time
		want   Result
	}{
		{"code", withToken, "123456", issued, ResultCorrect},
		{"code with spaces", withToken, " 123456 ", issued.Add(time.Minute), ResultCorrect},
		{"token", withToken, tok, issued, ResultCorrect},
		{"wrong code", withToken, "654321", issued, ResultWrong},
		{"token of no round", codeOnly, tok, issued, ResultWrong},
		{"empty answer, no token", codeOnly, "", issued, ResultWrong},
		{"late code", withToken, "123456", late, ResultExpired},
		{"late token", withToken, tok, late, ResultExpired},
		{"late and wrong", withToken, "000000", late, ResultWrong},
		{"no code at all", Secret{IssuedAt: issued}, "", issued, ResultWrong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.secret.Check(tt.answer, tt.now, ttl); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret{Code: "918273", Token: NewToken(), IssuedAt: time.Unix(1_700_000_000, 0)}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, noTime)).Info("issued", "secret", s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, s, s, s), logs.String()} {
		if strings.Contains(out, s.Code) || strings.Contains(out, s.Token) {
			t.Errorf("secret shows in %q", out)
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("%q does not say the secret was redacted", out)
		}
	}
}

// noTime drops the time from log lines: its digits could hold a code by
// chance.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}
