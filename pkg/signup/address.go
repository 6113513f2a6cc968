package signup

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits of RFC 5321 (path, local part) and RFC 1035 (name, label).
const (
	maxAddressLen = 254
	maxLocalLen   = 64
	maxDomainLen  = 253
	maxLabelLen   = 63
	// maxInputLen bounds the work done on a value before it is refused.
	maxInputLen = 1024
)

// NormalizeDomain returns the form in which domain names are compared: the
// ASCII form an IDNA lookup uses (so "Bücher.example" and
// "xn--bcher-kva.example" are the same domain), in lower case, without a
// trailing dot. It refuses anything that is not a host name: empty labels,
// characters other than letters, digits and hyphens once mapped, labels
// over 63 bytes, names over 253 bytes, domain literals such as "[10.0.0.1]".
//
// NormalizeDomain is idempotent: a normalized name normalizes to itself.
func NormalizeDomain(s string) (string, error) {
	if s == "" {
		return "", errors.New("the domain is empty")
	}
	if len(s) > maxInputLen {
		return "", errors.New("the domain is too long")
	}
	if !utf8.ValidString(s) {
		// The profile would map invalid bytes to U+FFFD and encode that.
		return "", errors.New("the domain is not valid UTF-8")
	}
	// The lookup profile maps case, width and compatibility forms, checks
	// hyphens, joiners and the bidi rule, and allows only the characters of
	// host names (STD3), the way a resolver treats a name it is given.
	a, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", fmt.Errorf("not a valid domain name: %w", err)
	}
	a = strings.TrimSuffix(a, ".")
	if err := checkHostname(a); err != nil {
		return "", err
	}
	return a, nil
}

// checkHostname checks what the lookup profile leaves to the caller: label
// and name lengths, empty labels, and that only lower-case letters, digits
// and hyphens remain.
func checkHostname(a string) error {
	if a == "" {
		return errors.New("the domain is empty")
	}
	if len(a) > maxDomainLen {
		return errors.New("the domain is longer than 253 characters")
	}
	for label := range strings.SplitSeq(a, ".") {
		if label == "" {
			return errors.New("the domain has an empty label")
		}
		if len(label) > maxLabelLen {
			return errors.New("a label of the domain is longer than 63 characters")
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return errors.New("a label of the domain starts or ends with a hyphen")
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("the domain contains the character %q", c)
			}
		}
	}
	return nil
}

// Address is an email address that [ParseEmail] accepted.
type Address struct {
	// Local is the part before the last '@', as given. Sub-addressing
	// ("user+tag") is part of it and plays no role in domain rules.
	Local string
	// Domain is the part after the '@', normalized by [NormalizeDomain].
	Domain string
}

// ParseEmail checks that s is a syntactically valid email address and
// returns its parts. It accepts an RFC 5322 dot-atom local part, with
// UTF-8 letters allowed as RFC 6531 does, and a domain that is a host name
// of at least two labels whose last label is not all digits. It refuses
// what sign-up forms should never pass on: display names ("Jane
// <jane@example.com>"), white space, quoted local parts, domain literals,
// and addresses longer than 254 bytes (counting the ASCII domain).
//
// The error says what is wrong for logs and tests; it is not meant for the
// end user.
func ParseEmail(s string) (Address, error) {
	if s == "" {
		return Address{}, errors.New("the address is empty")
	}
	if len(s) > maxInputLen {
		return Address{}, errors.New("the address is too long")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return Address{}, errors.New("the address has no '@'")
	}
	local, domain := s[:at], s[at+1:]
	if err := checkLocal(local); err != nil {
		return Address{}, err
	}
	if domain == "" || domain[0] == '[' {
		return Address{}, errors.New("the address has no domain name after '@'")
	}
	d, err := NormalizeDomain(domain)
	if err != nil {
		return Address{}, err
	}
	dot := strings.LastIndexByte(d, '.')
	if dot < 0 {
		return Address{}, errors.New("the domain has a single label")
	}
	if allDigits(d[dot+1:]) {
		return Address{}, errors.New("the domain ends in a numeric label")
	}
	if len(local)+1+len(d) > maxAddressLen {
		return Address{}, errors.New("the address is longer than 254 characters")
	}
	return Address{Local: local, Domain: d}, nil
}

// checkLocal checks a dot-atom local part.
func checkLocal(local string) error {
	switch {
	case local == "":
		return errors.New("the address has nothing before '@'")
	case len(local) > maxLocalLen:
		return errors.New("the part before '@' is longer than 64 characters")
	case !utf8.ValidString(local):
		return errors.New("the address is not valid UTF-8")
	case local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, ".."):
		return errors.New("the part before '@' has a misplaced dot")
	}
	for _, r := range local {
		if !localRune(r) {
			return fmt.Errorf("the part before '@' contains the character %q", r)
		}
	}
	return nil
}

// localRune reports whether r may appear in a dot-atom local part: the
// atext of RFC 5322, a dot, or a printable non-ASCII character that is not
// a space (RFC 6531).
func localRune(r rune) bool {
	if r >= utf8.RuneSelf {
		return unicode.IsGraphic(r) && !unicode.IsSpace(r)
	}
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ValidPhone reports whether s is a phone number in E.164 form, the form
// Cognito stores: a '+', then 1 to 15 digits, the first of which is not 0.
// No spaces, dashes or parentheses.
func ValidPhone(s string) bool {
	if len(s) < 2 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return allDigits(s[1:])
}
