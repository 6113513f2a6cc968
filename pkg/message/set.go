package message

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	texttemplate "text/template"
	"text/template/parse"
)

// Fallback is the language of users whose locale has no templates. Every
// Set has it.
const Fallback = "en"

// The names of the templates that frame an HTML body: a partial that
// defines "layout" frames every body, which it shows with
// {{template "content" .}}.
const (
	layoutName  = "layout"
	contentName = "content"
)

// A Set is a parsed, immutable collection of message templates in one or
// more languages. It is safe for concurrent use.
type Set struct {
	langs map[string]*language
	// sentinels stand in for the code, username and link while a template
	// runs (see Render); they are drawn at random by Load so that no user
	// value can contain them.
	sentinels [numFields]string
	// limits holds the length limits that WithLimit changed; 0 keeps
	// the part's own.
	limits [Text + 1]int
	// verified says that the set holds the shipped templates exactly as
	// the package's tests verified them (see LoadDefaults); its templates
	// are parsed on first use. WithLimit clears it.
	verified bool
	// bufs holds the buffers of Render, shared with the copies WithLimit
	// makes.
	bufs *buffers
}

// language holds the templates of one language folder.
type language struct {
	files map[fileKey]*entry
	// entries are the files in the order of their names.
	entries []*entry
	// partials are the sources of the partials of the language, the
	// shared ones first; base parses them once.
	partials []partial
	baseOnce sync.Once
	base     *htmltemplate.Template
	baseErr  error
}

type fileKey struct {
	name string
	part Part
}

// entry is one template file, parsed by parse: at Load, or on its first
// use in a set from LoadDefaults.
type entry struct {
	file string // path in the FS, such as "en/SignUp.html"
	src  string
	lang *language
	part Part

	once sync.Once
	html *htmltemplate.Template
	text *texttemplate.Template
	err  error

	// plan renders the template without running it, once it has run
	// (see preparePlan); noPlan when it cannot.
	plan atomic.Pointer[plan]
}

// Load parses the templates of fsys. Its root holds one folder per
// language, named by a lower-case language tag ("en", "es", "pt-br"); a
// folder holds, for each message name, up to four files, one a [Part]:
// <name>.subject.txt, <name>.html, <name>.txt and <name>.sms.txt. Message
// names are letters, digits, '-' and '_'. A message needs only the files
// of the parts its sender uses.
//
// Files named _<something>.html are partials: they hold only
// {{define "name"}} blocks, which every HTML body can call. Partials at the
// root serve every language; a language's own partials serve its bodies
// and replace root definitions of the same name. When the partials define
// "layout", every HTML body is rendered inside it, where it says
// {{template "content" .}}.
//
// Files and folders whose names start with '.', and other files at the
// root (a README), are ignored; anything else is an error, so that a
// misspelt file name fails loudly. The error lists every problem found,
// each naming its file. Load checks only that the templates parse;
// [Set.Check] checks what they render.
func Load(fsys fs.FS) (*Set, error) {
	s, _, err := read(fsys)
	return parseAll(s, err)
}

// parseAll parses every template of s, which read returned with err, and
// returns s, or an error listing err and every file that does not parse.
func parseAll(s *Set, err error) (*Set, error) {
	if s == nil {
		return nil, err
	}
	errs := []error{err}
	for _, lang := range s.Languages() {
		l := s.langs[lang]
		if _, err := l.parseBase(); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range l.entries {
			if err := e.parse(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", e.file, err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// read reads the templates of fsys into a set, as Load describes, without
// parsing them: each is parsed on first use unless parseAll parses them
// all. It returns the digest of what it read, the SHA-256 of the name,
// length and contents of every file, in hex. When the folder holds
// something else than templates, the error lists every such problem, and
// the set, if not nil, holds the languages read.
func read(fsys fs.FS) (*Set, string, error) {
	r := &reader{fsys: fsys, hash: sha256.New()}
	s, err := r.set()
	return s, hex.EncodeToString(r.hash.Sum(nil)), err
}

// reader reads the files of a template folder, hashing them as it goes.
type reader struct {
	fsys fs.FS
	hash hash.Hash
}

// file returns the contents of a file, and adds its name, length and
// contents to the hash.
func (r *reader) file(name string) (string, error) {
	b, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		return "", err
	}
	head := make([]byte, 0, len(name)+16)
	head = strconv.AppendInt(append(append(head, name...), 0), int64(len(b)), 10)
	r.hash.Write(append(head, 0))
	r.hash.Write(b)
	return string(b), nil
}

// set reads the whole folder.
func (r *reader) set() (*Set, error) {
	entries, err := fs.ReadDir(r.fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read the template folder: %w", err)
	}
	shared, err := r.partials(".", entries)
	if err != nil {
		return nil, err
	}
	s := &Set{langs: map[string]*language{}, bufs: &buffers{}}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		if !validLanguage(name) {
			errs = append(errs, fmt.Errorf("%s: not a language folder; name it by a lower-case language tag such as en, es or pt-br", name))
			continue
		}
		l, err := r.language(name, shared)
		if l != nil {
			s.langs[name] = l
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if _, ok := s.langs[Fallback]; !ok && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("no %s folder: the fallback language %s must have templates", Fallback, Fallback))
	}
	if err := errors.Join(errs...); err != nil {
		return s, err
	}
	var random [8]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, fmt.Errorf("draw placeholder markers: %w", err)
	}
	for f := range numFields {
		// Letters and digits only: every escaper leaves them alone.
		s.sentinels[f] = sentinelPrefix + hex.EncodeToString(random[:]) + string(rune('a'+f))
	}
	return s, nil
}

// sentinelPrefix starts every sentinel; the 16 hex digits of the set and
// a letter for the field follow.
const (
	sentinelPrefix = "cgt"
	sentinelLen    = len(sentinelPrefix) + 16 + 1
)

// partial is the source of a partial file.
type partial struct{ file, src string }

func isPartial(e fs.DirEntry) bool {
	return !e.IsDir() && strings.HasPrefix(e.Name(), "_") && strings.HasSuffix(e.Name(), ".html")
}

// partials reads the partials among the entries of dir.
func (r *reader) partials(dir string, entries []fs.DirEntry) ([]partial, error) {
	var out []partial
	for _, e := range entries {
		if !isPartial(e) {
			continue
		}
		file := path.Join(dir, e.Name())
		src, err := r.file(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out = append(out, partial{file: file, src: src})
	}
	return out, nil
}

// parsePartials parses partials, later ones replacing the definitions of
// earlier ones, into the template every HTML body of a language starts
// from; nil when there are none.
func parsePartials(ps []partial) (*htmltemplate.Template, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	base := htmltemplate.New("").Option("missingkey=zero")
	for _, p := range ps {
		t, err := base.New(p.file).Parse(p.src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.file, err)
		}
		if !onlyDefinitions(t.Tree) {
			return nil, fmt.Errorf("%s: a partial holds only {{define \"name\"}}...{{end}} blocks; move the rest into one", p.file)
		}
	}
	return base, nil
}

// onlyDefinitions reports whether a parsed file has nothing outside its
// {{define}} blocks but white space and comments.
func onlyDefinitions(t *parse.Tree) bool {
	if t == nil || t.Root == nil {
		return true
	}
	for _, n := range t.Root.Nodes {
		text, ok := n.(*parse.TextNode)
		if n.Type() == parse.NodeComment {
			continue
		}
		if !ok || strings.TrimSpace(string(text.Text)) != "" {
			return false
		}
	}
	return true
}

// language reads the files of one language folder, with the shared
// partials of the root.
func (r *reader) language(lang string, shared []partial) (*language, error) {
	entries, err := fs.ReadDir(r.fsys, lang)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang, err)
	}
	own, err := r.partials(lang, entries)
	if err != nil {
		return nil, err
	}
	l := &language{files: map[fileKey]*entry{}, partials: append(slices.Clip(shared), own...)}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		file := path.Join(lang, name)
		switch {
		case strings.HasPrefix(name, "."), isPartial(e):
			continue
		case e.IsDir():
			errs = append(errs, fmt.Errorf("%s: a folder inside a language folder; keep every template directly in %s", file, lang))
			continue
		}
		key, ok := parseFileName(name)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: not a template name; name it <message>.subject.txt, <message>.html, <message>.txt or <message>.sms.txt, with a message name of letters, digits, '-' and '_'", file))
			continue
		}
		src, err := r.file(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", file, err))
			continue
		}
		en := &entry{file: file, src: src, lang: l, part: key.part}
		l.files[key] = en
		l.entries = append(l.entries, en)
	}
	return l, errors.Join(errs...)
}

// parseBase parses the partials of the language, once, into the template
// every HTML body of the language starts from; nil when there are none.
func (l *language) parseBase() (*htmltemplate.Template, error) {
	l.baseOnce.Do(func() { l.base, l.baseErr = parsePartials(l.partials) })
	return l.base, l.baseErr
}

// parse parses the template, once: an HTML body with its language's
// partials, any other part as plain text.
func (e *entry) parse() error {
	e.once.Do(func() {
		if e.part != Body {
			e.text, e.err = texttemplate.New(e.file).Option("missingkey=zero").Parse(e.src)
			return
		}
		base, err := e.lang.parseBase()
		if err != nil {
			e.err = err
			return
		}
		e.html, e.err = parseHTML(e.file, e.src, base)
	})
	return e.err
}

// parseHTML parses an HTML body with the language's partials, and returns
// the template to run: the layout when the partials define one, else the
// body.
func parseHTML(file, src string, base *htmltemplate.Template) (*htmltemplate.Template, error) {
	if base == nil {
		return htmltemplate.New(file).Option("missingkey=zero").Parse(src)
	}
	root, err := base.Clone()
	if err != nil {
		return nil, err
	}
	body, err := root.New(file).Parse(src)
	if err != nil {
		return nil, err
	}
	layout := root.Lookup(layoutName)
	if layout == nil {
		return body, nil
	}
	// The layout calls "content"; the body keeps its file name, which
	// error messages show.
	if _, err := root.AddParseTree(contentName, body.Tree); err != nil {
		return nil, err
	}
	return layout, nil
}

// parseFileName splits "SignUp.sms.txt" into its message name and part.
// The parts are tried in order, Text (".txt") after Subject and SMS, whose
// suffixes end with its own; and since a message name has no '.',
// "SignUp.sms.txt" could not be the Text of "SignUp.sms" anyway.
func parseFileName(base string) (fileKey, bool) {
	for p := Subject; p <= Text; p++ {
		name, ok := strings.CutSuffix(base, p.suffix())
		if ok && validName(name) {
			return fileKey{name: name, part: p}, true
		}
	}
	return fileKey{}, false
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// validLanguage accepts lower-case tags like "en", "es", "pt-br",
// "zh-hant".
func validLanguage(s string) bool {
	first, rest, _ := strings.Cut(s, "-")
	if len(first) < 2 || len(first) > 3 {
		return false
	}
	for _, c := range first {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	if rest == "" {
		return !strings.HasSuffix(s, "-")
	}
	for sub := range strings.SplitSeq(rest, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			if !isAlnum(c) || (c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// WithLimit returns a copy of s that renders and checks part p with the
// length limit max, in characters counted as [Set.Render] counts them,
// instead of Cognito's limit for a custom message trigger (MaxSubject,
// MaxBody, MaxSMS). It is for a sender that delivers the messages itself,
// such as a custom SMS sender trigger publishing through SNS, which
// splits a long text into several SMS. s is unchanged; the copy shares
// its templates. A max of 0 or less restores the part's own limit.
func (s *Set) WithLimit(p Part, max int) *Set {
	c := *s
	if p.valid() {
		c.limits[p] = max
		c.verified = false // the tests verified Cognito's limits
	}
	return &c
}

// limit is the length limit of part p.
func (s *Set) limit(p Part) int {
	if p.valid() && s.limits[p] > 0 {
		return s.limits[p]
	}
	return parts[p].max
}

// Languages returns the languages of s, sorted.
func (s *Set) Languages() []string {
	out := make([]string, 0, len(s.langs))
	for l := range s.langs {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Language returns the language of s to write to a user with this locale
// (the user's locale attribute, such as "es-MX", "es_MX" or "es"). It tries
// the whole tag, then drops subtags from the end ("zh-Hant-TW", "zh-Hant",
// "zh"), ignoring case and an encoding suffix ("es_MX.UTF-8"). A locale
// that is empty or has no templates gets [Fallback].
func (s *Set) Language(locale string) string {
	tag := strings.TrimSpace(locale)
	if i := strings.IndexAny(tag, ".@"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "" || len(tag) > 64 {
		return Fallback
	}
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	for {
		if _, ok := s.langs[tag]; ok {
			return tag
		}
		i := strings.LastIndexByte(tag, '-')
		if i < 0 {
			return Fallback
		}
		tag = tag[:i]
	}
}

// Has reports whether lang has a template for this part of the message.
func (s *Set) Has(lang, name string, p Part) bool {
	_, ok := s.lookup(lang, name, p)
	return ok
}

// File returns the path, within the FS the set was loaded from, of the
// template for this part of the message in lang, whether or not it exists.
func File(lang, name string, p Part) string {
	return lang + "/" + name + p.suffix()
}

func (s *Set) lookup(lang, name string, p Part) (*entry, bool) {
	l, ok := s.langs[lang]
	if !ok {
		return nil, false
	}
	e, ok := l.files[fileKey{name: name, part: p}]
	return e, ok
}
