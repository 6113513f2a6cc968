package trigger

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// Redacted replaces a secret value in logs.
const Redacted = "[REDACTED]"

// secretKeys and personalKeys hold normalized keys: lower case, without
// '_' and '-'. challengeMetadata is secret because a create auth challenge
// trigger may keep the code there (internal/passwordlesscore does), and every later
// session entry repeats it.
var (
	secretKeys = map[string]bool{
		"code": true, "otp": true, "passcode": true, "pin": true, "answer": true,
		"challengeanswer": true, "privatechallengeparameters": true, "challengemetadata": true,
		"tokenresponse": true, "samlresponse": true, "authorization": true,
		"secret": true, "secrethash": true, "credentials": true,
	}
	// secretStringKeys are secret when they hold a string: the Session of
	// the InitiateAuth API is an opaque token, while the session of a
	// custom-auth event is the challenge history, which logs may show.
	secretStringKeys = map[string]bool{"session": true}
	personalKeys     = map[string]bool{
		"email": true, "phonenumber": true, "phone": true, "cognito:emailalias": true,
		"cognito:phonenumberalias": true, "to": true, "destination": true, "recipient": true,
	}
	secretSuffixes = []string{"password", "token", "tokens", "secret"}
)

// secretKey reports whether a value under this key is a secret that is never
// logged: codes, passwords, tokens, challenge answers, private challenge
// parameters and the like. Keys are compared without case, '_' and '-'.
func secretKey(key string) bool {
	var buf [64]byte
	return secretNormalized(normalizeKey(buf[:0], key))
}

// secretNormalized is secretKey of a key normalizeKey wrote.
func secretNormalized(k []byte) bool {
	if secretKeys[string(k)] {
		return true
	}
	for _, suf := range secretSuffixes {
		if bytes.HasSuffix(k, []byte(suf)) {
			return true
		}
	}
	return false
}

// normalizeKey appends key to dst in lower case without '_' and '-'.
func normalizeKey(dst []byte, key string) []byte {
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c == '_' || c == '-':
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// MaskEmail hides most of an email address: "jane.doe@example.com" becomes
// "j***@e***.com". A string that is not an address is masked whole.
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "***"
	}
	local, domain := s[:at], s[at+1:]
	tld := ""
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
		tld, domain = domain[dot:], domain[:dot]
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***" + tld
}

// maskedEmail reports whether s is its own MaskEmail, which it then need
// not be masked again: the redaction of a line that logs a masked address
// keeps the line as it is, without a copy.
func maskedEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	domain := s[at+1:]
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
		domain = domain[:dot]
	}
	return runeThenStars(s[:at]) && runeThenStars(domain)
}

// runeThenStars reports whether s is one valid rune followed by "***".
func runeThenStars(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return r != utf8.RuneError && s[n:] == "***"
}

// MaskPhone hides all but the last two digits of a phone number:
// "+15555550123" becomes "+*********23".
func MaskPhone(s string) string {
	if len(s) <= 4 {
		return "***"
	}
	b := []byte(s)
	for i := 0; i < len(b)-2; i++ {
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = '*'
		}
	}
	return string(b)
}

// firstRune returns the first character of s, as a slice of s (no copy),
// or U+FFFD for a first byte that is not valid UTF-8.
func firstRune(s string) string {
	switch r, size := utf8.DecodeRuneInString(s); {
	case size == 0:
		return ""
	case r == utf8.RuneError && size == 1:
		return "\uFFFD"
	default:
		return s[:size]
	}
}

// LooksLikeEmail reports whether s has the shape of an email address: an
// '@' with something before it and a dotted domain after the last one. It
// is the test that decides what the logs mask as an email address, so it
// errs on the side of masking.
func LooksLikeEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || strings.ContainsAny(s, " \t\r\n<>") {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1
}

// LooksLikePhone reports whether s has the shape of an E.164 phone number:
// '+' and 7 to 15 digits. It is the test that decides what the logs mask as
// a phone number.
func LooksLikePhone(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// redactor applies the redaction rules; showPersonal turns off masking of
// personal data.
type redactor struct {
	showPersonal bool
}

// str returns the loggable form of a string value found under key.
func (r redactor) str(key, v string) (string, bool) {
	var buf [64]byte
	k := normalizeKey(buf[:0], key) // once, for both tests
	if secretNormalized(k) || secretStringKeys[strings.ToLower(key)] {
		return Redacted, v != Redacted
	}
	if r.showPersonal {
		return v, false
	}
	switch {
	case LooksLikeEmail(v):
		if maskedEmail(v) {
			return v, false // masked already, as a decision logs it
		}
		return MaskEmail(v), true
	case LooksLikePhone(v):
		return MaskPhone(v), true
	case personalKeys[string(k)] && v != "":
		return "***", true
	}
	return v, false
}

// tree redacts a decoded JSON value in place and returns it.
// A boolean is never a secret: it says whether (issueTokens), not what.
func (r redactor) tree(key string, v any) any {
	if _, isBool := v.(bool); secretKey(key) && v != nil && !isBool {
		return Redacted
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = r.tree(k, e)
		}
	case []any:
		for i, e := range x {
			x[i] = r.tree(key, e)
		}
	case string:
		s, _ := r.str(key, x)
		return s
	}
	return v
}

// redactJSON returns a redacted, generic copy of v, which must encode to
// JSON; it is what an event or map looks like in a log.
func (r redactor) redactJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return Redacted
	}
	var t any
	if err := json.Unmarshal(b, &t); err != nil {
		return Redacted
	}
	return r.tree("", t)
}

// attr returns the loggable form of a, and whether it changed.
func (r redactor) attr(a slog.Attr) (slog.Attr, bool) {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		s, changed := r.str(a.Key, v.String())
		if changed {
			return slog.String(a.Key, s), true
		}
	case slog.KindGroup:
		attrs := v.Group()
		var out []slog.Attr
		for i, g := range attrs {
			ga, changed := r.attr(g)
			if changed && out == nil {
				out = append(make([]slog.Attr, 0, len(attrs)), attrs[:i]...)
			}
			if out != nil {
				out = append(out, ga)
			}
		}
		if out != nil {
			return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}, true
		}
	case slog.KindAny:
		if secretKey(a.Key) {
			return slog.String(a.Key, Redacted), true
		}
		switch x := v.Any().(type) {
		case error:
			// Errors are logged by message; their text is the caller's
			// responsibility.
		case Event, map[string]string, map[string]any, []string, []any:
			return slog.Any(a.Key, r.redactJSON(x)), true
		}
	case slog.KindBool:
	default:
		if secretKey(a.Key) {
			return slog.String(a.Key, Redacted), true
		}
	}
	return slog.Attr{Key: a.Key, Value: v}, v.Kind() != a.Value.Kind()
}

// redactHandler is a slog.Handler that redacts every attribute before the
// wrapped handler sees it.
type redactHandler struct {
	next slog.Handler
	r    redactor
}

func newRedactHandler(next slog.Handler, showPersonal bool) slog.Handler {
	if h, ok := next.(*redactHandler); ok && h.r.showPersonal == showPersonal {
		return h
	}
	return &redactHandler{next: next, r: redactor{showPersonal: showPersonal}}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	// One pass: the redacted attributes are kept, and a new record is made
	// only when one of them changed.
	var buf [16]slog.Attr
	attrs := buf[:0]
	changed := false
	rec.Attrs(func(a slog.Attr) bool {
		ra, c := h.r.attr(a)
		attrs = append(attrs, ra)
		changed = changed || c
		return true
	})
	if !changed {
		return h.next.Handle(ctx, rec)
	}
	out := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	out.AddAttrs(attrs...)
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i], _ = h.r.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(out), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}
