package otp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Code lengths, in digits.
const (
	// MinLength is the shortest code: one in a million to guess.
	MinLength = 6
	// MaxLength is the longest code a person can be asked to type.
	MaxLength = 10
)

// Magic-link tokens.
const (
	// TokenBytes is the number of random bytes in a token: 192 bits.
	TokenBytes = 24
	// TokenLength is the length of a token in characters: TokenBytes in
	// URL-safe base64, which needs no padding for a multiple of 3 bytes.
	TokenLength = TokenBytes / 3 * 4
)

// ClockSkew is how far in the future a time of issue may lie and still be
// believed: the functions that issue and check a secret run on different
// machines, whose clocks may differ a little. A secret issued further in
// the future counts as expired.
const ClockSkew = 30 * time.Second

// redacted is how a secret prints.
const redacted = "[REDACTED]"

// cutoff is the rejection bound of code generation: the largest multiple
// of 10 that is at most 256. Bytes from cutoff to 255 are drawn again.
const cutoff = 250

// maxDraws bounds the reads of one code, so a broken random source fails
// instead of looping. With crypto/rand, a read is rejected whole with
// probability below 6/256 per byte; 64 reads in a row never happen.
const maxDraws = 64

// NewCode returns a code of length decimal digits, each drawn uniformly
// from crypto/rand. length must be from [MinLength] to [MaxLength].
func NewCode(length int) (string, error) {
	return newCode(rand.Reader, length)
}

// newCode is NewCode over the random source r.
func newCode(r io.Reader, length int) (string, error) {
	if length < MinLength || length > MaxLength {
		return "", fmt.Errorf("otp: code length %d is out of range; use %d to %d digits", length, MinLength, MaxLength)
	}
	var code, buf [MaxLength]byte
	n := 0
	for range maxDraws {
		// Read exactly the digits still missing: no random byte is
		// wasted, and a rejected byte only causes a smaller read.
		b := buf[:length-n]
		if _, err := io.ReadFull(r, b); err != nil {
			return "", fmt.Errorf("otp: read random bytes: %w", err)
		}
		for _, x := range b {
			if x < cutoff {
				code[n] = '0' + x%10
				n++
			}
		}
		if n == length {
			return string(code[:length]), nil
		}
	}
	return "", errors.New("otp: the random source keeps returning bytes that must be rejected; check that it is crypto/rand")
}

// NewToken returns a magic-link token: [TokenBytes] bytes from
// crypto/rand in URL-safe base64 without padding.
func NewToken() string {
	var b [TokenBytes]byte
	// crypto/rand.Read never returns an error: the program crashes
	// instead when the system cannot provide randomness.
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidCode reports whether s has the form of a code: [MinLength] to
// [MaxLength] ASCII digits.
func ValidCode(s string) bool {
	return len(s) >= MinLength && len(s) <= MaxLength && allDigits(s)
}

// ValidToken reports whether s has the form of a token: [TokenLength]
// characters of the URL-safe base64 alphabet. Every such string decodes to
// [TokenBytes] bytes, since TokenLength characters carry exactly
// 8×TokenBytes bits.
func ValidToken(s string) bool {
	if len(s) != TokenLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MatchCode reports whether answer, once trimmed of white space, is code.
// An answer that is not of the code's form (the same length, ASCII digits)
// is simply wrong, and so is any answer when code is not a valid code. The
// comparison takes the same time wherever the first differing digit is.
func MatchCode(answer, code string) bool {
	answer = strings.TrimSpace(answer)
	if !ValidCode(code) || len(answer) != len(code) || !allDigits(answer) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(answer), []byte(code)) == 1
}

// MatchToken reports whether answer, once trimmed of white space, is
// token. An answer not of the token's form is wrong, and so is any answer
// when token is not a valid token (in particular, when it is empty). The
// comparison takes constant time.
func MatchToken(answer, token string) bool {
	answer = strings.TrimSpace(answer)
	if !ValidToken(token) || !ValidToken(answer) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(answer), []byte(token)) == 1
}

// Expired reports whether a secret issued at issuedAt is no longer valid
// at now, given its time to live: when ttl has passed since issuedAt, when
// issuedAt lies more than [ClockSkew] after now, when issuedAt is the zero
// time, or when ttl is not positive.
func Expired(issuedAt, now time.Time, ttl time.Duration) bool {
	if issuedAt.IsZero() || ttl <= 0 {
		return true
	}
	if issuedAt.Sub(now) > ClockSkew {
		return true
	}
	return now.Sub(issuedAt) >= ttl
}

// Result is the verdict of [Secret.Check].
type Result uint8

// The verdicts. The zero Result is ResultWrong.
const (
	// ResultWrong: the answer is neither the code nor the token.
	ResultWrong Result = iota
	// ResultCorrect: the answer is the code or the token, and the secret
	// has not expired.
	ResultCorrect
	// ResultExpired: the answer is the code or the token, but the secret
	// has expired.
	ResultExpired
)

// String returns the verdict's name: "wrong", "correct" or "expired".
func (r Result) String() string {
	switch r {
	case ResultCorrect:
		return "correct"
	case ResultExpired:
		return "expired"
	}
	return "wrong"
}

// Secret is what one challenge round issued. It prints as "[REDACTED]"
// through fmt and log/slog; read its fields to use them.
type Secret struct {
	// Code is the code sent to the user.
	Code string
	// Token is the magic-link token, or "" when the round has none.
	Token string
	// IssuedAt is when the code and token were drawn.
	IssuedAt time.Time
}

// Check judges answer against the secret at now, given the time to live
// of the secret. The answer is trimmed of white space; it is compared with
// the code when it has the code's form, with the token when it has the
// token's, in constant time. A matching answer is [ResultCorrect] unless
// the secret has [Expired], when it is [ResultExpired].
func (s Secret) Check(answer string, now time.Time, ttl time.Duration) Result {
	// Both comparisons run whatever the answer, so the time taken does not
	// tell which form the secret has.
	code := MatchCode(answer, s.Code)
	token := MatchToken(answer, s.Token)
	switch {
	case !code && !token:
		return ResultWrong
	case Expired(s.IssuedAt, now, ttl):
		return ResultExpired
	}
	return ResultCorrect
}

// String hides the secret.
func (Secret) String() string { return redacted }

// GoString hides the secret from %#v.
func (Secret) GoString() string { return redacted }

// LogValue hides the secret from log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
