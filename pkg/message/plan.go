package message

import (
	"bytes"
	"html"
	"strings"
	"sync"
	texttemplate "text/template"
	"text/template/parse"
	"unicode"

	"github.com/cognitrig/cognitrig/internal/appenv"
)

// A plan renders a template without running it, for a template whose
// output depends on the user's attributes only in two ways: whether an
// attribute is empty ({{with .User.given_name}}...{{else}}...{{end}}),
// and the attribute printed as it is (escaped as text in an email body).
// Every shipped template is such a template.
//
// For each combination of the values every user shares (app name and
// address, minutes, language) and of which fields and attributes are
// empty, the plan runs the template once, with markers in place of the
// code, username, link and attributes, and keeps the output cut at the
// markers: a variant. Rendering for a user is then writing the variant's
// pieces with the user's values between them, escaped the way the
// template's own escaper would have: the same text, byte for byte, without
// text/template's reflection (TestPlanMatchesTemplate, FuzzPlan).
//
// A template that does anything else with an attribute (compares it,
// passes it to a function, ranges over the attributes, indexes them
// with a computed name) or that declares variables gets no plan, and is
// run for every message as before.
type plan struct {
	// attrs are the names of the attributes the template reads, in the
	// order of their markers.
	attrs []string
	// escape says that values are escaped for HTML text: the template is
	// an email body.
	escape bool

	mu       sync.RWMutex
	variants map[variantKey]*variant
}

// Limits that keep a plan small: a template that reads more attributes
// gets none, and a plan stops adding variants once it holds maxVariants
// (a Set rendered with ever-changing app names, say), rendering the rest
// by running the template.
const (
	maxPlanAttrs = 8
	maxVariants  = 64
)

// variantKey says what a variant was rendered for: the values every user
// shares, and a bit for each field and attribute that is not empty
// (fields first, then the plan's attributes in order).
type variantKey struct {
	appName, appURL string
	minutes         int
	present         uint32
}

// variant is the output of a template for one variantKey, cut at its
// markers.
type variant struct {
	pieces []piece
	// size is the length of the literal text.
	size int
	// shows says which fields the output shows.
	shows [numFields]bool
}

// piece is literal text followed by the value of a field or attribute;
// value -1 ends the output.
type piece struct {
	text  string
	value int
	// scans are scanText of text for the variant's part, cut in three:
	// its leading white space (lead bytes), the middle, and its trailing
	// white space (trail bytes). strings.TrimSpace drops the first or the
	// last from the output when text begins or ends it: variant.check
	// adds the scans of what it keeps, and scans only the values.
	lead, trail int
	scans       [3]textScan
}

// newPiece returns the piece of text and value, in the output of a
// template of the part p.
func newPiece(text string, value int, p Part) piece {
	pc := piece{text: text, value: value}
	pc.lead = len(text) - len(strings.TrimLeftFunc(text, unicode.IsSpace))
	pc.trail = len(text) - pc.lead - len(strings.TrimRightFunc(text[pc.lead:], unicode.IsSpace))
	pc.scans[0] = scanText(text[:pc.lead], p)
	pc.scans[1] = scanText(text[pc.lead:len(text)-pc.trail], p)
	pc.scans[2] = scanText(text[len(text)-pc.trail:], p)
	return pc
}

// noPlan marks an entry whose template cannot have a plan.
var noPlan = &plan{}

// readyPlan returns the plan of e, or nil when it has none or none yet.
func (e *entry) readyPlan() *plan {
	if p := e.plan.Load(); p != noPlan {
		return p
	}
	return nil
}

// preparePlan builds the plan of e unless it has one. The template must
// have run once, so that an HTML template is escaped: the plan reads the
// escaper calls html/template adds to each action.
func (e *entry) preparePlan() {
	if e.plan.Load() != nil {
		return
	}
	p := buildPlan(e)
	if p == nil {
		p = noPlan
	}
	e.plan.CompareAndSwap(nil, p)
}

// buildPlan analyses the template of e; nil when it cannot have a plan.
func buildPlan(e *entry) *plan {
	a := &analysis{attrs: map[string]int{}, seen: map[callKey]bool{}}
	var root *parse.Tree
	if e.html != nil {
		a.escape = true
		a.lookup = func(name string) *parse.Tree {
			if t := e.html.Lookup(name); t != nil {
				return t.Tree
			}
			return nil
		}
		root = e.html.Tree
	} else {
		a.lookup = treeLookup(e.text)
		root = e.text.Tree
	}
	if root == nil || !a.template(root, value{kind: rootValue}, 0) {
		return nil
	}
	attrs := make([]string, len(a.attrs))
	for name, i := range a.attrs {
		attrs[i] = name
	}
	return &plan{attrs: attrs, escape: a.escape, variants: map[variantKey]*variant{}}
}

func treeLookup(t *texttemplate.Template) func(string) *parse.Tree {
	return func(name string) *parse.Tree {
		if t := t.Lookup(name); t != nil {
			return t.Tree
		}
		return nil
	}
}

// valueKind is what the analysis knows of a value in a template.
type valueKind int

const (
	// fixed: a value that does not depend on the attributes: fixed for
	// a variant.
	fixed valueKind = iota
	// rootValue: the Data the template runs with.
	rootValue
	// attrsValue: Data.User, the whole map.
	attrsValue
	// attrValue: one attribute.
	attrValue
	// unknown: anything else that depends on the attributes.
	unknown
)

type value struct {
	kind valueKind
	attr string // for attrValue
}

// analysis walks a template's trees and decides whether it can have a
// plan.
type analysis struct {
	escape bool
	lookup func(name string) *parse.Tree
	// attrs numbers the attributes read, in the order first seen.
	attrs map[string]int
	// seen holds the templates already walked with a dot.
	seen map[callKey]bool
}

type callKey struct {
	name string
	dot  value
}

// maxDepth bounds the nesting of {{template}} calls the analysis follows.
const maxDepth = 32

// template walks a template run with dot, whose $ is dot too.
func (a *analysis) template(t *parse.Tree, dot value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if t.Root == nil {
		return true
	}
	return a.list(t.Root, dot, dot, depth)
}

func (a *analysis) list(l *parse.ListNode, dot, dollar value, depth int) bool {
	if l == nil {
		return true
	}
	for _, n := range l.Nodes {
		if !a.node(n, dot, dollar, depth) {
			return false
		}
	}
	return true
}

func (a *analysis) node(n parse.Node, dot, dollar value, depth int) bool {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return a.print(n.Pipe, dot, dollar)
	case *parse.IfNode:
		return a.condition(n.Pipe, dot, dollar) != nil &&
			a.list(n.List, dot, dollar, depth) && a.list(n.ElseList, dot, dollar, depth)
	case *parse.WithNode:
		v := a.condition(n.Pipe, dot, dollar)
		return v != nil && a.list(n.List, *v, dollar, depth) && a.list(n.ElseList, dot, dollar, depth)
	case *parse.RangeNode:
		// Over a fixed value only; its elements are fixed too.
		v := a.pipe(n.Pipe, dot, dollar)
		return v.kind == fixed && a.list(n.List, v, dollar, depth) && a.list(n.ElseList, dot, dollar, depth)
	case *parse.TemplateNode:
		arg := value{kind: fixed} // {{template "x"}} runs x with nil
		if n.Pipe != nil {
			arg = a.pipe(n.Pipe, dot, dollar)
		}
		if arg.kind == unknown || arg.kind == attrsValue {
			return false
		}
		key := callKey{n.Name, arg}
		if a.seen[key] {
			return true
		}
		t := a.lookup(n.Name)
		if t == nil {
			return false
		}
		a.seen[key] = true
		return a.template(t, arg, depth+1)
	}
	return false
}

// print accepts an action that prints a fixed value, or an attribute as
// it is: in an email body through one of the escapers html/template puts
// in text and quoted attribute values, all of which escape a plain string
// alike (see escapeHTML).
func (a *analysis) print(p *parse.PipeNode, dot, dollar value) bool {
	if len(p.Decl) > 0 || len(p.Cmds) == 0 {
		return false
	}
	first := a.command(p.Cmds[0], dot, dollar, nil)
	if first.kind != attrValue {
		return a.pipe(p, dot, dollar).kind == fixed
	}
	rest := p.Cmds[1:]
	if !a.escape {
		return len(rest) == 0
	}
	if len(rest) != 1 || len(rest[0].Args) != 1 {
		return false
	}
	id, ok := rest[0].Args[0].(*parse.IdentifierNode)
	return ok && textEscapers[id.Ident]
}

// textEscapers are the escapers html/template adds to an action in HTML
// text, in RCDATA and in a quoted attribute value that is not a URL,
// script or style; for a plain string each replaces the same characters
// with the same references.
var textEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// condition returns the value an {{if}} or {{with}} tests, when the test
// depends on the attributes only through whether one is empty; nil when
// the template cannot have a plan.
func (a *analysis) condition(p *parse.PipeNode, dot, dollar value) *value {
	v := a.pipe(p, dot, dollar)
	if v.kind == fixed || v.kind == attrValue && len(p.Cmds) == 1 {
		return &v
	}
	return nil
}

// pipe evaluates a pipeline: each command's value goes to the next as its
// last argument.
func (a *analysis) pipe(p *parse.PipeNode, dot, dollar value) value {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) == 0 {
		return value{kind: unknown}
	}
	var v *value
	for _, c := range p.Cmds {
		r := a.command(c, dot, dollar, v)
		v = &r
	}
	return *v
}

// command evaluates one command of a pipeline; prev is the value of the
// commands before it, if any.
func (a *analysis) command(c *parse.CommandNode, dot, dollar value, prev *value) value {
	if len(c.Args) == 0 {
		return value{kind: unknown}
	}
	if _, ok := c.Args[0].(*parse.IdentifierNode); ok {
		// A function: fixed when every argument is.
		if prev != nil && prev.kind != fixed {
			return value{kind: unknown}
		}
		for _, arg := range c.Args[1:] {
			if a.arg(arg, dot, dollar).kind != fixed {
				return value{kind: unknown}
			}
		}
		return value{kind: fixed}
	}
	if len(c.Args) > 1 || prev != nil {
		// A method call, or a value given an argument: no such thing in
		// Data, so an error whatever the attributes; let the template
		// say so.
		return value{kind: unknown}
	}
	return a.arg(c.Args[0], dot, dollar)
}

// arg evaluates an operand.
func (a *analysis) arg(n parse.Node, dot, dollar value) value {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return a.fields(dot, n.Ident)
	case *parse.VariableNode:
		if n.Ident[0] != "$" {
			return value{kind: unknown}
		}
		return a.fields(dollar, n.Ident[1:])
	case *parse.PipeNode:
		if v := a.pipe(n, dot, dollar); v.kind == fixed {
			return v
		}
		return value{kind: unknown}
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return value{kind: fixed}
	case *parse.IdentifierNode:
		return value{kind: fixed} // a function called without arguments
	}
	return value{kind: unknown}
}

// fields follows a chain of field names from v: .User.given_name.
func (a *analysis) fields(v value, names []string) value {
	for _, name := range names {
		switch v.kind {
		case rootValue:
			if name == "User" {
				v = value{kind: attrsValue}
			} else {
				v = value{kind: fixed}
			}
		case attrsValue:
			if _, ok := a.attrs[name]; !ok {
				if len(a.attrs) == maxPlanAttrs {
					return value{kind: unknown}
				}
				a.attrs[name] = len(a.attrs)
			}
			v = value{kind: attrValue, attr: name}
		case fixed:
			// A field of a fixed value is fixed (or an error, whatever
			// the attributes).
		default:
			return value{kind: unknown}
		}
	}
	return v
}

// variantFor returns the variant for d, whose code, username and link
// are in values, and the attributes of d that the plan reads, cleaned as
// cleanAttributes cleans them; nil when
// the plan does not hold that variant and cannot add it: the caller then
// runs the template.
func (p *plan) variantFor(s *Set, e *entry, lang string, d Data, values [numFields]string) (*variant, [maxPlanAttrs]string, error) {
	key := variantKey{appName: d.AppName, appURL: d.AppURL, minutes: d.Minutes}
	for f, v := range values {
		if v != "" {
			key.present |= 1 << f
		}
	}
	var attrs [maxPlanAttrs]string
	for i, name := range p.attrs {
		v := d.User[name]
		if !appenv.Clean(v) {
			v = cleanValue(v)
		}
		attrs[i] = v
		if v != "" {
			key.present |= 1 << (numFields + i)
		}
	}
	v, err := p.variant(s, e, key, lang)
	return v, attrs, err
}

// write returns the text of v with the values in place, and sets ends[i]
// to the offset in it of the end of the value of piece i, for the first
// len(ends) pieces.
func (p *plan) write(v *variant, values [numFields]string, attrs [maxPlanAttrs]string, ends []int) string {
	var b strings.Builder
	b.Grow(v.size + 64)
	for i, pc := range v.pieces {
		b.WriteString(pc.text)
		switch {
		case pc.value < 0:
		case pc.value < numFields && p.escape:
			b.WriteString(html.EscapeString(values[pc.value]))
		case pc.value < numFields:
			b.WriteString(values[pc.value])
		case p.escape:
			b.WriteString(escapeHTML(attrs[pc.value-numFields]))
		default:
			b.WriteString(attrs[pc.value-numFields])
		}
		if i < len(ends) {
			ends[i] = b.Len()
		}
	}
	return b.String()
}

// maxEnds is how many pieces of a variant Render has write record the
// ends of, for check: a variant with more is checked whole.
const maxEnds = 32

// check returns checkText(strings.TrimSpace(out), p, limit) and the trimmed
// output, for out that write wrote from v, with the ends it recorded, for
// a template of the part p. It scans only the values in out: the scans of
// the literal text were made when the variant was cut.
//
// Each character is judged alone, so scanning out piece after piece
// (literal text, value, literal text...) is scanning it whole as long as
// every piece is valid UTF-8: at the first byte that is not, which the
// scans report, the output is checked whole, since that byte may join
// those of the next piece into valid UTF-8. The errors are the same, as
// the first problem in the text is found first either way, and so is the
// length, the sum of the pieces'. TrimSpace drops white space at either
// end: where it cuts a literal text, it cuts it where the text's own
// white space ends, which is where its scans are cut, as long as the
// pieces before are valid UTF-8; elsewhere (which would take bytes that
// are not), the part kept is scanned.
func (v *variant) check(out string, ends []int, p Part, limit int) (string, error) {
	t := strings.TrimSpace(out)
	if t == "" || len(v.pieces) > len(ends) {
		return t, checkText(t, p, limit)
	}
	// t is out[start:end].
	start := len(out) - len(strings.TrimLeftFunc(out, unicode.IsSpace))
	end := start + len(t)
	n := 0
	// add adds the scan sc, and reports whether the check can go on.
	var err error
	add := func(sc textScan) bool {
		switch {
		case !sc.bad:
			n += sc.n
			return true
		case sc.r < 0:
			err = checkText(t, p, limit)
		default:
			err = sc.err(p)
		}
		return false
	}
	from := 0 // the offset in out of the piece's text
	for i, pc := range v.pieces {
		to := from + len(pc.text)
		switch {
		case to <= start || from >= end:
			// Dropped by TrimSpace, or empty.
		case from >= start && to <= end:
			if !add(pc.scans[0]) || !add(pc.scans[1]) || !add(pc.scans[2]) {
				return t, err
			}
		case (from >= start || start == from+pc.lead) && (to <= end || end == to-pc.trail):
			if from >= start && !add(pc.scans[0]) || !add(pc.scans[1]) || to <= end && !add(pc.scans[2]) {
				return t, err
			}
		default:
			// Not where the scans are cut: see above.
			if !add(scanText(out[max(from, start):min(to, end)], p)) {
				return t, err
			}
		}
		if pc.value < 0 {
			break
		}
		from, to = to, ends[i]
		if from < end && to > start && !add(scanText(out[max(from, start):min(to, end)], p)) {
			return t, err
		}
		from = to
	}
	return t, checkLength(n, p, limit)
}

// variant returns the variant for key, rendering it on first use; nil
// when the plan is full.
func (p *plan) variant(s *Set, e *entry, key variantKey, lang string) (*variant, error) {
	p.mu.RLock()
	v, ok := p.variants[key]
	p.mu.RUnlock()
	if ok {
		return v, nil
	}
	view := Data{AppName: key.appName, AppURL: key.appURL, Minutes: key.minutes, Lang: lang, User: map[string]string{}}
	for f := range numFields {
		if key.present&(1<<f) != 0 {
			*view.field(Field(f)) = s.sentinels[f]
		}
	}
	for i, name := range p.attrs {
		if key.present&(1<<(numFields+i)) != 0 {
			view.User[name] = s.marker(numFields + i)
		}
	}
	buf := s.bufs.get()
	defer s.bufs.put(buf)
	if err := e.execute(buf, view); err != nil {
		return nil, err
	}
	v = s.cut(buf.Bytes(), numFields+len(p.attrs), e.part)
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.variants[key]; ok {
		return old, nil
	}
	if len(p.variants) >= maxVariants {
		return nil, nil
	}
	p.variants[key] = v
	return v, nil
}

// cut cuts a template's output at the markers of its first n values, as
// substitute reads them, for a template of the part p.
func (s *Set) cut(out []byte, n int, p Part) *variant {
	stem := []byte(s.sentinels[0][:sentinelLen-1])
	v := &variant{}
	var text strings.Builder
	for {
		i := bytes.Index(out, stem)
		if i < 0 {
			break
		}
		text.Write(out[:i])
		out = out[i+len(stem):]
		if len(out) == 0 || out[0] < 'a' || int(out[0]-'a') >= n {
			text.Write(stem) // not a marker: keep it
			continue
		}
		f := int(out[0] - 'a')
		out = out[1:]
		v.pieces = append(v.pieces, newPiece(text.String(), f, p))
		v.size += text.Len()
		text.Reset()
		if f < numFields {
			v.shows[f] = true
		}
	}
	text.Write(out)
	v.pieces = append(v.pieces, newPiece(text.String(), -1, p))
	v.size += text.Len()
	return v
}

// marker is the marker of value i: a field's sentinel for i < numFields,
// else that of the plan's attribute i-numFields.
func (s *Set) marker(i int) string {
	return s.sentinels[0][:sentinelLen-1] + string(rune('a'+i))
}

// escapeHTML escapes a plain string as html/template's escapers for text
// and quoted attribute values do.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer(
	"\x00", "\uFFFD",
	`"`, "&#34;",
	"&", "&amp;",
	"'", "&#39;",
	"+", "&#43;",
	"<", "&lt;",
	">", "&gt;",
)
