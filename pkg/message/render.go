package message

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/internal/appenv"
)

// Part is one of the four texts a message can have.
type Part int

// The parts of a message.
const (
	// Subject is the subject line of an email: plain text on one line,
	// 1 to MaxSubject characters. Template file: <name>.subject.txt.
	Subject Part = iota + 1
	// Body is the HTML body of an email, at most MaxBody characters.
	// Template file: <name>.html.
	Body
	// SMS is the text of an SMS message: plain text, at most MaxSMS
	// characters. Template file: <name>.sms.txt.
	SMS
	// Text is the plain-text body of an email, for a sender that sends
	// an HTML and a text part: plain text, at most MaxBody characters.
	// Template file: <name>.txt. The custom message trigger does not use
	// it.
	Text
)

// Cognito's limits on what a custom message trigger returns, in
// characters.
const (
	MaxSubject = 140
	MaxBody    = 20000
	MaxSMS     = 140
)

// parts describes each Part: its name for people, the end of its
// template file name and its length limit.
var parts = [...]struct {
	name, suffix string
	max          int
}{
	Subject: {"email subject", ".subject.txt", MaxSubject},
	Body:    {"email body", ".html", MaxBody},
	SMS:     {"SMS", ".sms.txt", MaxSMS},
	Text:    {"email text", ".txt", MaxBody},
}

func (p Part) valid() bool { return p >= Subject && p <= Text }

// String names the part for people: "email subject", "email body", "SMS",
// "email text".
func (p Part) String() string {
	if !p.valid() {
		return fmt.Sprintf("Part(%d)", int(p))
	}
	return parts[p].name
}

// suffix is the end of the part's template file name.
func (p Part) suffix() string {
	if !p.valid() {
		return ".unknown"
	}
	return parts[p].suffix
}

// Field names one of the values of [Data] that a rendered part can be
// required to show.
type Field int

// The fields a part can be required to show.
const (
	CodeField Field = iota
	UsernameField
	LinkField

	numFields = 3
)

// String names the field the way templates spell it: ".Code", ".Username",
// ".Link".
func (f Field) String() string {
	switch f {
	case CodeField:
		return ".Code"
	case UsernameField:
		return ".Username"
	case LinkField:
		return ".Link"
	}
	return fmt.Sprintf("Field(%d)", int(f))
}

// Data is what a template sees. A template reads the fields by name:
// {{.AppName}}, {{.Code}}, {{.User.given_name}},
// {{index .User "custom:plan"}}.
type Data struct {
	// User holds the user's attributes by name (given_name, email,
	// locale, custom:…). A missing attribute reads as "". Render removes
	// from the values the characters Cognito refuses in a message
	// (control and format characters; line breaks and other spaces become
	// a plain space, one for each run) and the spaces around them.
	User map[string]string

	// Code is the code the message delivers: in a custom message trigger,
	// the request's codeParameter (a placeholder such as {####} that
	// Cognito replaces); for AdminCreateUser it stands for the temporary
	// password; in the SignIn message of the passwordless trigger, the
	// code itself ("123456"). Username is the username, or the
	// usernameParameter placeholder. Link is empty unless the message is
	// to carry a link: in a custom message trigger, the verification link
	// placeholder ({##Click Here##}), which Cognito replaces with a whole
	// <a> element and so belongs in text; in SignIn, the magic sign-in
	// link, an https URL (https://app.example.com/sign-in#TOKEN) that
	// belongs in an href. The caller vouches for a link: Render checks
	// neither its scheme nor its form.
	//
	// Templates must treat the three as opaque: while a template runs they
	// hold markers that no escaping changes, which Render replaces with
	// the values afterwards: HTML-escaped in an email body, unchanged in
	// the other parts. So a placeholder reaches the message as it came
	// even inside an href, where html/template would otherwise
	// percent-encode its braces.
	Code, Username, Link string

	// AppName is the name of the app as its users know it, and AppURL its
	// address, or "".
	AppName, AppURL string

	// Minutes is how long the code (and the link) stay valid, in whole
	// minutes, for a message that says so (SignIn); 0 when not known, and
	// the default templates then say "a few minutes" (as they do for a
	// value below 0). The custom message trigger
	// leaves it 0: Cognito does not tell.
	Minutes int

	// Lang is the language of the template being rendered ("en", "es");
	// Render sets it.
	Lang string
}

func (d *Data) field(f Field) *string {
	switch f {
	case CodeField:
		return &d.Code
	case UsernameField:
		return &d.Username
	}
	return &d.Link
}

// Errors that Render wraps, for errors.Is.
var (
	// ErrNoTemplate: the language has no template for the part.
	ErrNoTemplate = errors.New("no such template")
	// ErrMissingValue: Data lacks a value the part must show.
	ErrMissingValue = errors.New("missing value")
	// ErrNotShown: the rendered part does not show a value it must show.
	ErrNotShown = errors.New("required value not shown")
	// ErrLimit: the rendered part is empty or longer than Cognito allows.
	ErrLimit = errors.New("outside the length limit")
	// ErrCharacter: the rendered part has a character Cognito refuses.
	ErrCharacter = errors.New("character Cognito refuses")
	// ErrExecute: the template failed while it ran.
	ErrExecute = errors.New("template failed")
)

// Render renders one part of the message name in lang and checks it
// against Cognito's rules: the text must show every field in must (the
// part's template must print it, and Data must hold a value for it), fit
// the part's length limit, and contain no character Cognito refuses; a
// subject must be a single line. Leading and trailing white space is
// removed.
//
// Length is counted in UTF-16 code units, as Cognito's Java service
// counts, so a character outside the Basic Multilingual Plane (most emoji)
// counts as two.
//
// The error names the template file and says what is wrong, without the
// user's data; it wraps one of the Err values of this package.
func (s *Set) Render(lang, name string, p Part, d Data, must ...Field) (string, error) {
	e, values, err := s.prepare(lang, name, p, d, must)
	if err != nil {
		return "", err
	}
	if pl := e.readyPlan(); pl != nil {
		v, attrs, err := pl.variantFor(s, e, lang, d, values)
		if err != nil {
			return "", fmt.Errorf("%s: %w: %v", e.file, ErrExecute, err)
		}
		if v != nil {
			for _, f := range must {
				if !v.shows[f] {
					return "", notShown(e, p, f)
				}
			}
			var ends [maxEnds]int
			out := pl.write(v, values, attrs, ends[:])
			out, err := v.check(out, ends[:], p, s.limit(p))
			if err != nil {
				return "", fmt.Errorf("%s: %w", e.file, err)
			}
			return out, nil
		}
	}
	return s.run(e, lang, p, d, values, must)
}

// prepare finds and parses the template of Render's part, and returns it
// with the code, username and link of d, which must hold every field in
// must.
func (s *Set) prepare(lang, name string, p Part, d Data, must []Field) (*entry, [numFields]string, error) {
	values := [numFields]string{d.Code, d.Username, d.Link}
	e, ok := s.lookup(lang, name, p)
	if !ok {
		return nil, values, fmt.Errorf("%s: %w: every language needs this template", File(lang, name, p), ErrNoTemplate)
	}
	for _, f := range must {
		if values[f] == "" {
			return nil, values, fmt.Errorf("%s: %w: the %s must show %s, and there is none", e.file, ErrMissingValue, p, f)
		}
	}
	if err := e.parse(); err != nil {
		return nil, values, fmt.Errorf("%s: %w: it does not parse: %v", e.file, ErrExecute, err)
	}
	return e, values, nil
}

// run is Render by running the template: with markers in place of the
// code, username and link, which it then replaces with their values (see
// Data). After the first run it builds the template's plan, which renders
// the next ones.
func (s *Set) run(e *entry, lang string, p Part, d Data, values [numFields]string, must []Field) (string, error) {
	view := d
	view.Lang = lang
	view.User = cleanAttributes(d.User)
	for f := range numFields {
		if values[f] != "" {
			*view.field(Field(f)) = s.sentinels[f]
		}
	}
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	err := e.execute(buf, view)
	e.preparePlan()
	if err != nil {
		return "", fmt.Errorf("%s: %w: %v", e.file, ErrExecute, err)
	}
	for _, f := range must {
		if !bytes.Contains(buf.Bytes(), []byte(s.sentinels[f])) {
			return "", notShown(e, p, f)
		}
	}
	return s.finish(e, p, s.substitute(buf.Bytes(), values, p == Body))
}

// notShown is the error of a part that does not show field f.
func notShown(e *entry, p Part, f Field) error {
	return fmt.Errorf("%s: %w: the %s must show %s in plain text; print {{%s}} outside any condition, or check that nothing drops it", e.file, ErrNotShown, p, f, f)
}

// finish trims a rendered part and checks it against Cognito's rules.
func (s *Set) finish(e *entry, p Part, out string) (string, error) {
	out = strings.TrimSpace(out)
	if err := checkText(out, p, s.limit(p)); err != nil {
		return "", fmt.Errorf("%s: %w", e.file, err)
	}
	return out, nil
}

// execute runs the template into buf, turning a panic into an error.
func (e *entry) execute(buf *bytes.Buffer, view Data) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if e.html != nil {
		return e.html.Execute(buf, view)
	}
	return e.text.Execute(buf, view)
}

// substitute returns out with the values in place of their markers,
// escaped for HTML in an email body. Cognito's placeholders have no
// character to escape. The markers differ only in their last letter, so
// one scan for what they share finds them all.
func (s *Set) substitute(out []byte, values [numFields]string, escape bool) string {
	stem := s.sentinels[0][:sentinelLen-1]
	var b strings.Builder
	b.Grow(len(out))
	for {
		i := bytes.Index(out, []byte(stem))
		if i < 0 {
			break
		}
		b.Write(out[:i])
		out = out[i+len(stem):]
		f := -1
		if len(out) > 0 && out[0] >= 'a' && out[0] < 'a'+numFields {
			f = int(out[0] - 'a')
		}
		if f < 0 || values[f] == "" {
			b.WriteString(stem) // not a marker of a value: keep it
			continue
		}
		v := values[f]
		if escape {
			v = html.EscapeString(v)
		}
		b.WriteString(v)
		out = out[1:]
	}
	b.Write(out)
	return b.String()
}

// buffers keeps the buffers templates run into, for the next renders.
type buffers struct{ pool sync.Pool }

func (p *buffers) get() *bytes.Buffer {
	if b, ok := p.pool.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

// put keeps b unless it grew for an unusually long text.
func (p *buffers) put(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		b.Reset()
		p.pool.Put(b)
	}
}

// checkText applies Cognito's rules on characters, and the length limit
// max, to a rendered part.
func checkText(out string, p Part, max int) error {
	sc := scanText(out, p)
	if sc.bad {
		return sc.err(p)
	}
	return checkLength(sc.n, p, max)
}

// textScan is what scanText finds in a text: its length in UTF-16 code
// units, up to the first character Cognito refuses if bad.
type textScan struct {
	n   int
	bad bool
	// r is the character refused, or -1 for a byte that is not valid
	// UTF-8.
	r rune
}

// scanText scans s for checkText, up to the first character Cognito
// refuses in the part p. Each character is judged alone, so the scan of
// a text is that of its pieces one after the other, when each piece is
// valid UTF-8: the plans rely on that (variant.check).
func scanText(s string, p Part) textScan {
	n := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && printable8(load8(s[i:i+8])) {
			n, i = n+8, i+8 // printable ASCII, the common case
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= ' ' && r < 0x7f {
			n++
			continue
		}
		if r == utf8.RuneError && size == 1 {
			return textScan{n: n, bad: true, r: -1}
		}
		if !appenv.Allowed(r) || p == Subject && (r == '\n' || r == '\r') {
			return textScan{n: n, bad: true, r: r}
		}
		n += utf16.RuneLen(r)
	}
	return textScan{n: n}
}

// err is the error of the character sc found refused in the part p.
func (sc textScan) err(p Part) error {
	switch {
	case sc.r < 0:
		return fmt.Errorf("%w: the %s is not valid UTF-8", ErrCharacter, p)
	case !appenv.Allowed(sc.r):
		return fmt.Errorf("%w: the %s contains %U, which Cognito refuses; remove it (in HTML, write an entity such as &nbsp; instead)", ErrCharacter, p, sc.r)
	}
	return fmt.Errorf("%w: the %s has a line break; write it on one line", ErrCharacter, p)
}

// checkLength applies the length limit max to a part n UTF-16 code units
// long.
func checkLength(n int, p Part, max int) error {
	switch {
	case n == 0:
		return fmt.Errorf("%w: the %s is empty", ErrLimit, p)
	case n > max:
		return fmt.Errorf("%w: the %s is %d characters long; the limit is %d", ErrLimit, p, n, max)
	}
	return nil
}

// printable8 reports whether the eight bytes of x are all printable ASCII,
// ' ' to '~'.
func printable8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (x - ' '*ones) &^ x // a byte below ' '
	y := x ^ 0x7f*ones
	del := (y - ones) &^ y // a byte equal to 0x7f
	return (x|below|del)&highs == 0
}

// load8 returns the eight bytes of s, the first in the lowest bits.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// cleanAttributes returns attrs with every value made acceptable to
// Cognito: other spaces and line breaks become ' ', other characters
// Cognito refuses are dropped. It returns attrs itself when nothing needs
// changing.
func cleanAttributes(attrs map[string]string) map[string]string {
	clean := true
	for _, v := range attrs {
		if !appenv.Clean(v) {
			clean = false
			break
		}
	}
	if clean {
		return attrs
	}
	out := make(map[string]string, len(attrs))
	for k, v := range attrs {
		if !appenv.Clean(v) {
			v = cleanValue(v)
		}
		out[k] = v
	}
	return out
}

func cleanValue(v string) string {
	var b strings.Builder
	b.Grow(len(v))
	space := false
	for _, r := range v {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Z, r):
			space = b.Len() > 0
		case appenv.Allowed(r):
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Check renders one part of the message name in every language of s with
// each of the samples, the way Render would at run time, and returns every
// problem found, each naming its file (one problem a file). Run it at
// start-up with typical data, so that a broken template stops the
// function before it meets a user.
func (s *Set) Check(name string, p Part, samples []Data, must ...Field) error {
	var errs []error
	for _, lang := range s.Languages() {
		for _, d := range samples {
			if _, err := s.Render(lang, name, p, d, must...); err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	return errors.Join(errs...)
}
