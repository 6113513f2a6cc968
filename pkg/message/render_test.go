package message_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// set builds a Set from an English folder with these files.
func set(t *testing.T, files map[string]string) *message.Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys["en/"+name] = &fstest.MapFile{Data: []byte(src)}
	}
	s, err := message.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestRender(t *testing.T) {
	code := message.Data{Code: "{####}", AppName: "Example"}
	withUser := func(attrs map[string]string) message.Data {
		d := code
		d.User = attrs
		return d
	}
	tests := []struct {
		name    string
		file    string // en/M.<file>
		src     string
		data    message.Data
		must    []message.Field
		want    string
		wantErr error
	}{
		{
			name: "code in HTML text",
			file: "html", src: `<p>{{.Code}}</p>`, data: code, must: []message.Field{message.CodeField},
			want: `<p>{####}</p>`,
		},
		{
			name: "placeholder survives inside an href",
			file: "html", src: `<a href="https://app.example.com/confirm?code={{.Code}}&amp;u={{.Username}}">go</a>`,
			data: message.Data{Code: "{####}", Username: "{username}"},
			must: []message.Field{message.CodeField, message.UsernameField},
			want: `<a href="https://app.example.com/confirm?code={####}&amp;u={username}">go</a>`,
		},
		{
			name: "link placeholder survives in text",
			file: "html", src: `<p>{{.Link}}</p>`, data: message.Data{Link: "{##Click Here##}"}, must: []message.Field{message.LinkField},
			want: `<p>{##Click Here##}</p>`,
		},
		{
			name: "a real code is escaped in HTML",
			file: "html", src: `<p>{{.Code}}</p>`, data: message.Data{Code: `a<b&"c`}, must: []message.Field{message.CodeField},
			want: `<p>a&lt;b&amp;&#34;c</p>`,
		},
		{
			name: "a real code is kept as it is in an SMS",
			file: "sms.txt", src: `code {{.Code}}`, data: message.Data{Code: `a<b&"c`}, must: []message.Field{message.CodeField},
			want: `code a<b&"c`,
		},
		{
			name: "a real link is escaped once in an href",
			file: "html", src: `<a href="{{.Link}}">go</a>`, data: message.Data{Link: "https://app.example.com/sign-in?a=1&b=2#tok"}, must: []message.Field{message.LinkField},
			want: `<a href="https://app.example.com/sign-in?a=1&amp;b=2#tok">go</a>`,
		},
		{
			name: "a real code and link are kept as they are in an email text",
			file: "txt", src: "code {{.Code}}\n{{.Link}}", data: message.Data{Code: `a<b&"c`, Link: "https://app.example.com/sign-in?a=1&b=2#tok"},
			must: []message.Field{message.CodeField, message.LinkField},
			want: "code a<b&\"c\nhttps://app.example.com/sign-in?a=1&b=2#tok",
		},
		{
			name: "hostile attribute is escaped in HTML",
			file: "html", src: `<p>Hi {{.User.given_name}}, {{.Code}}</p>`, data: withUser(map[string]string{"given_name": "<img src=x onerror=alert(1)>"}),
			want: `<p>Hi &lt;img src=x onerror=alert(1)&gt;, {####}</p>`,
		},
		{
			name: "hostile attribute inside an attribute value is escaped",
			file: "html", src: `<p title="{{.User.given_name}}">{{.Code}}</p>`, data: withUser(map[string]string{"given_name": `" onmouseover="alert(1)`}),
			want: `<p title="&#34; onmouseover=&#34;alert(1)">{####}</p>`,
		},
		{
			name: "attribute is plain text in a subject",
			file: "subject.txt", src: `Hi {{.User.given_name}}`, data: withUser(map[string]string{"given_name": "<b>Ann</b>"}),
			want: `Hi <b>Ann</b>`,
		},
		{
			name: "attribute is plain text in an email text",
			file: "txt", src: "Hi {{.User.given_name}},\n\n{{.Code}}", data: withUser(map[string]string{"given_name": "<b>Ann</b>"}),
			want: "Hi <b>Ann</b>,\n\n{####}",
		},
		{
			name: "Minutes reaches the template",
			file: "txt", src: `{{.Code}} for {{.Minutes}} minutes`, data: message.Data{Code: "123456", Minutes: 3},
			want: `123456 for 3 minutes`,
		},
		{
			name: "control and format characters are removed from attributes",
			file: "sms.txt", src: `Hi {{.User.given_name}}! {{.Code}}`, data: withUser(map[string]string{"given_name": " An\u0007n\u202e\nMarie\u00a0Lee\t"}),
			want: `Hi Ann Marie Lee! {####}`,
		},
		{
			name: "missing attribute reads as empty",
			file: "sms.txt", src: `Hi {{.User.given_name}}{{index .User "custom:x"}}! {{.Code}}`, data: code,
			want: `Hi ! {####}`,
		},
		{
			name: "the example of docs/custommessage.md",
			file: "sms.txt", src: `{{with .User.given_name}}{{.}}, tu{{else}}Tu{{end}} código de {{.AppName}} es {{.Code}} (plan {{index .User "custom:plan"}}).`,
			data: withUser(map[string]string{"given_name": "Ana", "locale": "es-MX", "custom:plan": "pro"}),
			want: `Ana, tu código de Example es {####} (plan pro).`,
		},
		{
			name: "surrounding space is trimmed",
			file: "subject.txt", src: "\n  Welcome to {{.AppName}}  \n", data: code,
			want: `Welcome to Example`,
		},
		{
			name: "Lang is the language rendered",
			file: "subject.txt", src: `{{.Lang}}`, data: code,
			want: `en`,
		},
		{
			name: "template without the code",
			file: "sms.txt", src: `Welcome`, data: code, must: []message.Field{message.CodeField},
			wantErr: message.ErrNotShown,
		},
		{
			name: "code only under a condition that is false",
			file: "html", src: `{{if .Link}}{{.Code}}{{end}}`, data: code, must: []message.Field{message.CodeField},
			wantErr: message.ErrNotShown,
		},
		{
			name: "code dropped by an HTML comment",
			file: "html", src: `<!-- {{.Code}} -->`, data: code, must: []message.Field{message.CodeField},
			wantErr: message.ErrNotShown,
		},
		{
			name: "no username to show",
			file: "sms.txt", src: `{{.Username}} {{.Code}}`, data: code, must: []message.Field{message.UsernameField, message.CodeField},
			wantErr: message.ErrMissingValue,
		},
		{
			name: "SMS of 140 characters",
			file: "sms.txt", src: strings.Repeat("a", 134) + "{{.Code}}", data: code,
			want: strings.Repeat("a", 134) + "{####}",
		},
		{
			name: "SMS of 141 characters",
			file: "sms.txt", src: strings.Repeat("a", 135) + "{{.Code}}", data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "emoji count twice",
			file: "subject.txt", src: strings.Repeat("😀", 71), data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "subject of 70 emoji fits",
			file: "subject.txt", src: strings.Repeat("😀", 70), data: code,
			want: strings.Repeat("😀", 70),
		},
		{
			name: "empty subject",
			file: "subject.txt", src: `{{.User.given_name}}`, data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "subject on two lines",
			file: "subject.txt", src: "Hello\nthere", data: code,
			wantErr: message.ErrCharacter,
		},
		{
			name: "body over the limit",
			file: "html", src: `{{.Code}}` + strings.Repeat("x", message.MaxBody), data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "email text of the body's limit",
			file: "txt", src: `{{.Code}}` + strings.Repeat("x", message.MaxBody-6), data: code,
			want: "{####}" + strings.Repeat("x", message.MaxBody-6),
		},
		{
			name: "email text over the limit",
			file: "txt", src: `{{.Code}}` + strings.Repeat("x", message.MaxBody-5), data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "empty email text",
			file: "txt", src: "\n{{.User.given_name}}\n", data: code,
			wantErr: message.ErrLimit,
		},
		{
			name: "email text without the link",
			file: "txt", src: `{{.Code}}`, data: message.Data{Code: "1", Link: "https://app.example.com/x"}, must: []message.Field{message.CodeField, message.LinkField},
			wantErr: message.ErrNotShown,
		},
		{
			name: "control character in a template",
			file: "sms.txt", src: "Code\u0007 {{.Code}}", data: code,
			wantErr: message.ErrCharacter,
		},
		{
			name: "no-break space in a template",
			file: "html", src: "<p>Code\u00a0{{.Code}}</p>", data: code,
			wantErr: message.ErrCharacter,
		},
		{
			name: "template fails while it runs",
			file: "sms.txt", src: `{{index .User.given_name 9}} {{.Code}}`, data: withUser(map[string]string{"given_name": "Ann"}),
			wantErr: message.ErrExecute,
		},
	}
	parts := map[string]message.Part{"html": message.Body, "subject.txt": message.Subject, "sms.txt": message.SMS, "txt": message.Text}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := set(t, map[string]string{"M." + tt.file: tt.src})
			got, err := s.Render("en", "M", parts[tt.file], tt.data, tt.must...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Render error = %v, want %v", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "en/M."+tt.file+": ") {
					t.Errorf("error %q does not start with the file name", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got != tt.want {
				t.Errorf("Render = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderErrorsCarryNoUserData(t *testing.T) {
	s := set(t, map[string]string{"M.sms.txt": `{{.User.given_name}} {{.Code}}`})
	name := strings.Repeat("Bartholomew", 20)
	_, err := s.Render("en", "M", message.SMS, message.Data{Code: "{####}", User: map[string]string{"given_name": name}})
	if !errors.Is(err, message.ErrLimit) {
		t.Fatalf("Render error = %v, want ErrLimit", err)
	}
	if strings.Contains(err.Error(), "Bartholomew") {
		t.Errorf("error %q shows the user's name", err)
	}
}

func TestRenderWithPartials(t *testing.T) {
	layout := `{{define "layout"}}<html lang="{{.Lang}}"><body>{{template "content" .}}<p>{{template "footer" .}}</p></body></html>{{end}}`
	fsys := fstest.MapFS{
		"_layout.html":    {Data: []byte("{{/* shared */}}\n" + layout + "\n{{define \"footer\"}}shared footer{{end}}\n")},
		"en/_words.html":  {Data: []byte(`{{define "greet"}}Hi {{.User.given_name}}{{.User.nickname}}{{end}}`)},
		"en/A.html":       {Data: []byte(`<p>{{template "greet" .}}: {{.Code}}</p>`)},
		"en/B.html":       {Data: []byte(`<p>{{.Code}}</p>`)},
		"es/_words.html":  {Data: []byte(`{{define "greet"}}Hola {{.User.given_name}}{{end}}{{define "footer"}}pie{{end}}`)},
		"es/A.html":       {Data: []byte(`<p>{{template "greet" .}}: {{.Code}}</p>`)},
		"fr/_layout.html": {Data: []byte(`{{define "layout"}}<div dir="auto">{{template "content" .}}</div>{{end}}`)},
		"fr/A.html":       {Data: []byte(`<p>{{.Code}}</p>`)},
	}
	s, err := message.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	d := message.Data{Code: "{####}", User: map[string]string{"given_name": "<Ann>"}}
	for _, tt := range []struct{ lang, name, want string }{
		{"en", "A", `<html lang="en"><body><p>Hi &lt;Ann&gt;: {####}</p><p>shared footer</p></body></html>`},
		{"en", "B", `<html lang="en"><body><p>{####}</p><p>shared footer</p></body></html>`},
		{"es", "A", `<html lang="es"><body><p>Hola &lt;Ann&gt;: {####}</p><p>pie</p></body></html>`},
		{"fr", "A", `<div dir="auto"><p>{####}</p></div>`},
	} {
		got, err := s.Render(tt.lang, tt.name, message.Body, d, message.CodeField)
		if err != nil {
			t.Fatalf("Render %s/%s: %v", tt.lang, tt.name, err)
		}
		if got != tt.want {
			t.Errorf("Render %s/%s = %q, want %q", tt.lang, tt.name, got, tt.want)
		}
	}
}

func TestRenderMissingTemplate(t *testing.T) {
	s := set(t, map[string]string{"M.sms.txt": `{{.Code}}`})
	for _, tt := range []struct {
		lang, name string
		part       message.Part
		file       string
	}{
		{"en", "M", message.Body, "en/M.html"},
		{"en", "N", message.SMS, "en/N.sms.txt"},
		{"en", "M", message.Text, "en/M.txt"},
		{"fr", "M", message.SMS, "fr/M.sms.txt"},
	} {
		_, err := s.Render(tt.lang, tt.name, tt.part, message.Data{Code: "1"})
		if !errors.Is(err, message.ErrNoTemplate) || !strings.Contains(err.Error(), tt.file) {
			t.Errorf("Render(%s, %s, %v) error = %v, want ErrNoTemplate naming %s", tt.lang, tt.name, tt.part, err, tt.file)
		}
		if s.Has(tt.lang, tt.name, tt.part) {
			t.Errorf("Has(%s, %s, %v) = true, want false", tt.lang, tt.name, tt.part)
		}
	}
	if !s.Has("en", "M", message.SMS) {
		t.Errorf("Has(en, M, SMS) = false, want true")
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	ok := &fstest.MapFile{Data: []byte("{{.Code}}")}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"parse error", fstest.MapFS{"en/A.html": {Data: []byte("{{if .Code}}")}}, "en/A.html: "},
		{"parse error in a partial", fstest.MapFS{"en/A.html": ok, "en/_layout.html": {Data: []byte("{{template}}")}}, "en/_layout.html: "},
		{"parse error in a shared partial", fstest.MapFS{"en/A.html": ok, "_layout.html": {Data: []byte("{{define}}")}}, "_layout.html: "},
		{"partial with text outside a define", fstest.MapFS{"en/A.html": ok, "_layout.html": {Data: []byte("<html>{{template \"content\" .}}</html>")}}, "_layout.html: a partial holds only"},
		{"unknown suffix", fstest.MapFS{"en/A.htm": ok}, "en/A.htm: not a template name"},
		{"misspelt part", fstest.MapFS{"en/A.subjet.txt": ok}, "en/A.subjet.txt: not a template name"},
		{"dot in the name", fstest.MapFS{"en/A.b.html": ok}, "en/A.b.html: not a template name"},
		{"dot in the name of a text", fstest.MapFS{"en/A.b.txt": ok}, "en/A.b.txt: not a template name"},
		{"misspelt SMS", fstest.MapFS{"en/A.sms.text": ok}, "<message>.txt or <message>.sms.txt"},
		{"folder in a language", fstest.MapFS{"en/x/A.html": ok}, "en/x: a folder inside a language folder"},
		{"upper-case language", fstest.MapFS{"en/A.html": ok, "pt-BR/A.html": ok}, "pt-BR: not a language folder"},
		{"no fallback language", fstest.MapFS{"es/A.html": ok}, "no en folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := message.Load(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestLoadParts checks which part each file name gives: the plain-text
// suffixes all end in .txt, and the longest one wins.
func TestLoadParts(t *testing.T) {
	one := &fstest.MapFile{Data: []byte("{{.Code}}")}
	s, err := message.Load(fstest.MapFS{
		"en/A.subject.txt": one,
		"en/A.html":        one,
		"en/A.txt":         one,
		"en/A.sms.txt":     one,
		"en/B.sms.txt":     one,
		"en/C.subject.txt": one,
		"en/D.txt":         one,
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, tt := range []struct {
		name string
		has  []message.Part
	}{
		{"A", allParts},
		{"B", []message.Part{message.SMS}},
		{"C", []message.Part{message.Subject}},
		{"D", []message.Part{message.Text}},
	} {
		for _, p := range allParts {
			if got, want := s.Has("en", tt.name, p), slices.Contains(tt.has, p); got != want {
				t.Errorf("Has(en, %s, %v) = %t, want %t", tt.name, p, got, want)
			}
		}
	}
}

func TestParts(t *testing.T) {
	for _, tt := range []struct {
		part       message.Part
		name, file string
	}{
		{message.Subject, "email subject", "en/M.subject.txt"},
		{message.Body, "email body", "en/M.html"},
		{message.SMS, "SMS", "en/M.sms.txt"},
		{message.Text, "email text", "en/M.txt"},
		{message.Text + 1, "Part(5)", "en/M.unknown"},
	} {
		if got := tt.part.String(); got != tt.name {
			t.Errorf("Part(%d).String() = %q, want %q", int(tt.part), got, tt.name)
		}
		if got := message.File("en", "M", tt.part); got != tt.file {
			t.Errorf("File(en, M, %v) = %q, want %q", tt.part, got, tt.file)
		}
	}
}

func TestLoadIgnores(t *testing.T) {
	s, err := message.Load(fstest.MapFS{
		"README.md":       {Data: []byte("notes")},
		".git/config":     {Data: []byte("x")},
		"en/.DS_Store":    {Data: []byte{0}},
		"en/A.sms.txt":    {Data: []byte("{{.Code}}")},
		"es/A.sms.txt":    {Data: []byte("{{.Code}}")},
		"pt-br/A.sms.txt": {Data: []byte("{{.Code}}")},
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := strings.Join(s.Languages(), ","), "en,es,pt-br"; got != want {
		t.Errorf("Languages = %s, want %s", got, want)
	}
}

func TestLanguage(t *testing.T) {
	one := &fstest.MapFile{Data: []byte("{{.Code}}")}
	s, err := message.Load(fstest.MapFS{"en/A.sms.txt": one, "es/A.sms.txt": one, "pt-br/A.sms.txt": one, "zh-hant/A.sms.txt": one})
	if err != nil {
		t.Fatal(err)
	}
	for locale, want := range map[string]string{
		"":            "en",
		"en":          "en",
		"en-GB":       "en",
		"es":          "es",
		"es-MX":       "es",
		"es_MX":       "es",
		"ES-mx":       "es",
		"es_MX.UTF-8": "es",
		" es ":        "es",
		"es-419":      "es",
		"pt-BR":       "pt-br",
		"pt_BR":       "pt-br",
		"pt":          "en",
		"pt-PT":       "en",
		"zh-Hant-TW":  "zh-hant",
		"fr":          "en",
		"-":           "en",
		"e":           "en",
		"../es":       "en",
	} {
		if got := s.Language(locale); got != want {
			t.Errorf("Language(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestCheckNamesEveryBrokenFile(t *testing.T) {
	s, err := message.Load(fstest.MapFS{
		"en/A.sms.txt": {Data: []byte("{{.Code}}")},
		"es/A.html":    {Data: []byte("{{.Code}}")},
		"fr/A.sms.txt": {Data: []byte("no code here")},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Check("A", message.SMS, []message.Data{{Code: "{####}"}}, message.CodeField)
	if err == nil {
		t.Fatal("Check passed, want errors for es and fr")
	}
	for _, want := range []string{"es/A.sms.txt: no such template", "fr/A.sms.txt: required value not shown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "en/") {
		t.Errorf("Check error %q blames en, whose template is fine", err)
	}
}
