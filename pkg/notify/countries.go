package notify

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaxCallingCodeDigits is the longest prefix [ParseCallingCodes] accepts:
// a country calling code has 1 to 3 digits, and a fourth narrows it to a
// region or an area code (1204 is Manitoba, in Canada).
const MaxCallingCodeDigits = 4

// SMSCountries says which phone numbers text messages may go to, by their
// E.164 country calling code: the numbers that start with one of an
// allow-list of prefixes ([ParseCallingCodes]), or every number
// ([AllCountries]). The zero value allows none: SMS costs money per
// message, and SMS pumping fraud sends codes to premium-rate numbers of
// countries an app has no users in.
//
// SMSCountries is comparable, so that [Settings] stays comparable.
type SMSCountries struct {
	// codes are the prefixes, without "+", sorted and without
	// duplicates, joined by commas; "" for none.
	codes string
	all   bool
}

// AllCountries returns the SMSCountries that allow every phone number,
// premium-rate ones included (SMS_ALLOW_ALL_COUNTRIES=true).
func AllCountries() SMSCountries { return SMSCountries{all: true} }

// ParseCallingCodes reads an allow-list of country calling codes, as in
// SMS_ALLOWED_CALLING_CODES: prefixes of E.164 numbers separated by
// commas, each of 1 to [MaxCallingCodeDigits] ASCII digits not starting
// with 0, with an optional leading "+", and spaces or tabs around it
// ("1,44,33", "+1, +44", "1204"). It refuses an empty list, an empty
// entry ("1,,44", a trailing comma) and anything else, naming the first
// wrong entry. Duplicates and prefixes that a shorter one covers are
// accepted.
func ParseCallingCodes(s string) (SMSCountries, error) {
	if strings.Trim(s, " \t") == "" {
		return SMSCountries{}, errors.New("the list of calling codes is empty; give at least one, such as 1 or 44")
	}
	entries := strings.Split(s, ",")
	codes := make([]string, 0, len(entries))
	for i, e := range entries {
		code := strings.Trim(e, " \t")
		code = strings.TrimPrefix(code, "+")
		if err := checkCallingCode(code); err != nil {
			return SMSCountries{}, fmt.Errorf("entry %d (%q) %w", i+1, e, err)
		}
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return SMSCountries{codes: strings.Join(slices.Compact(codes), ",")}, nil
}

// checkCallingCode accepts 1 to MaxCallingCodeDigits ASCII digits, the
// first not 0, and says what is wrong otherwise.
func checkCallingCode(code string) error {
	switch {
	case code == "":
		return errors.New("is empty; remove the extra comma or write a calling code such as 44")
	case len(code) > MaxCallingCodeDigits:
		return fmt.Errorf("is longer than %d digits; write the country calling code (such as 44), not a phone number", MaxCallingCodeDigits)
	case strings.Trim(code, "0123456789") != "":
		return errors.New("is not a calling code; write digits with an optional leading +, such as 44 or +44")
	case code[0] == '0':
		return errors.New("starts with 0; no country calling code does (write 44, not 044)")
	}
	return nil
}

// Allows reports whether a text message may go to phone, a number in
// E.164 form ("+447700900123"). A number that is not in that form is not
// allowed, whatever the list.
func (c SMSCountries) Allows(phone string) bool {
	if !e164(phone) {
		return false
	}
	if c.all {
		return true
	}
	digits := phone[1:]
	for code := range strings.SplitSeq(c.codes, ",") {
		if code != "" && strings.HasPrefix(digits, code) {
			return true
		}
	}
	return false
}

// IsZero reports whether c allows no phone number at all: neither
// SMS_ALLOWED_CALLING_CODES nor SMS_ALLOW_ALL_COUNTRIES was set.
func (c SMSCountries) IsZero() bool { return c == SMSCountries{} }

// All reports whether c allows every phone number ([AllCountries]).
func (c SMSCountries) All() bool { return c.all }

// CallingCodes returns the prefixes of the allow-list, without "+",
// sorted; nil for [AllCountries] and for the zero value.
func (c SMSCountries) CallingCodes() []string {
	if c.codes == "" {
		return nil
	}
	return strings.Split(c.codes, ",")
}

// String describes c for a log line or an error: "+1,+33,+44", "every
// country" or "no country".
func (c SMSCountries) String() string {
	switch {
	case c.all:
		return "every country"
	case c.codes == "":
		return "no country"
	}
	return "+" + strings.ReplaceAll(c.codes, ",", ",+")
}
