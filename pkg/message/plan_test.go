package message_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// hostile is a given name made of what escaping changes and of markup.
const hostile = `<img src=x onerror=alert(1)>"'&+ Ana`

// planUsers are the users the plan tests render for: none, a typical one,
// a hostile one, and ones whose values cleaning changes or empties.
var planUsers = []map[string]string{
	nil,
	{"given_name": "Jane", "email": "jane@example.com"},
	{"given_name": hostile, "nickname": "<b>nick</b>", "custom:plan": "pro", "website": "javascript:alert(1)", "color": "red;background:url(x)"},
	{"given_name": " \t\r\n "},
	{"given_name": "Ja\u202ene\u0000\nDoe", "nickname": ""},
}

// renderBoth renders a part as Render does, twice (the first run builds
// the plan, the second uses it), and by running the template, and fails
// when the three differ, in text or error.
func renderBoth(t *testing.T, set *message.Set, lang, name string, p message.Part, d message.Data, must ...message.Field) {
	t.Helper()
	want, wantErr := message.RenderByTemplate(set, lang, name, p, d, must...)
	for range 2 {
		got, err := set.Render(lang, name, p, d, must...)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("%s %s %s with %+v:\nplan     %q, %v\ntemplate %q, %v", lang, name, p, d, got, err, want, wantErr)
		}
	}
}

// TestPlanMatchesTemplate renders every shipped template with every
// combination of users, fields and shared values, through its plan and by
// running it: the texts and errors must be the same, byte for byte, and
// every shipped template must have a plan.
func TestPlanMatchesTemplate(t *testing.T) {
	set, err := message.Load(message.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"AccountTakeOver", "AdminCreateUser", "Authentication", "ForgotPassword", "ResendCode", "SignIn", "SignUp", "UpdateUserAttribute", "VerifyUserAttribute"}
	shared := []message.Data{
		{AppName: "Example", AppURL: "", Minutes: 0},
		{AppName: `A&B <Co> "x"`, AppURL: "https://app.example.com/?a=1&b=<2>", Minutes: 1},
		{AppName: "Example", AppURL: "https://app.example.com", Minutes: 15},
	}
	for _, lang := range set.Languages() {
		for _, name := range names {
			for p := message.Subject; p <= message.Text; p++ {
				if !set.Has(lang, name, p) {
					continue
				}
				for _, base := range shared {
					for _, user := range planUsers {
						for _, code := range []string{"", "{####}", "123456"} {
							for _, username := range []string{"", "{username}"} {
								for _, link := range []string{"", "{##Click Here##}", "https://app.example.com/sign-in#tok&x=<y>"} {
									d := base
									d.User, d.Code, d.Username, d.Link = user, code, username, link
									renderBoth(t, set, lang, name, p, d)
									if code != "" {
										renderBoth(t, set, lang, name, p, d, message.CodeField)
									}
								}
							}
						}
					}
				}
				if !message.HasPlan(set, lang, name, p) {
					t.Errorf("%s: no plan; every shipped template should have one", message.File(lang, name, p))
				}
			}
		}
	}
}

// TestPlanTemplates checks which templates get a plan: only those whose
// output depends on an attribute through whether it is empty and through
// the attribute printed as text. Whatever the answer, the text must be
// the one the template gives, and in an email body a value the template
// would filter (a javascript: URL) or escape must stay so.
func TestPlanTemplates(t *testing.T) {
	tests := []struct {
		name, file, src string
		plan            bool
	}{
		{"text", "A.sms.txt", "Hi {{.User.given_name}}, {{.Code}}", true},
		{"with and else", "A.sms.txt", "{{with .User.given_name}}Hi {{.}}{{else}}Hello{{end}} {{.Code}}", true},
		{"if", "A.txt", "{{if .User.nickname}}({{.User.nickname}}){{end}} {{.Code}}", true},
		{"dollar", "A.txt", "{{with .AppName}}{{$.User.given_name}} {{.}}{{end}} {{.Code}}", true},
		{"fixed functions", "A.txt", `{{if eq .Minutes 1}}one{{end}}{{printf "%s!" .AppName}} {{len .Code}} {{.Code}}`, true},
		{"html text", "A.html", "<p>{{.User.given_name}} {{.Code}}</p>", true},
		{"html quoted attribute", "A.html", `<p title="{{.User.given_name}}">{{.Code}}</p>`, true},
		{"html title", "A.html", "<title>{{.User.given_name}}</title><p>{{.Code}}</p>", true},
		{"attribute to a template", "A.html", `{{define "n"}}<b>{{.}}</b>{{end}}{{template "n" .User.given_name}} {{.Code}}`, true},
		{"compared", "A.txt", `{{if eq .User.custom_plan "pro"}}Pro{{end}} {{.Code}}`, false},
		{"given to a function", "A.txt", `{{printf "%q" .User.given_name}} {{.Code}}`, false},
		{"piped", "A.txt", "{{.User.given_name | len}} {{.Code}}", false},
		{"and", "A.txt", "{{if and .User.given_name .User.nickname}}both{{end}} {{.Code}}", false},
		{"index", "A.txt", `{{index .User "custom:plan"}} {{.Code}}`, false},
		{"range", "A.txt", "{{range $k, $v := .User}}{{$k}} {{end}}{{.Code}}", false},
		{"variable", "A.txt", "{{$n := .User.given_name}}{{$n}} {{.Code}}", false},
		{"with the map", "A.txt", "{{with .User}}{{.given_name}}{{end}} {{.Code}}", false},
		{"map to a template", "A.txt", `{{define "n"}}{{.given_name}}{{end}}{{template "n" .User}} {{.Code}}`, false},
		{"url", "A.html", `<a href="{{.User.website}}">{{.Code}}</a>`, false},
		{"script", "A.html", "<script>var n = {{.User.given_name}};</script><p>{{.Code}}</p>", false},
		{"style", "A.html", `<p style="color: {{.User.color}}">{{.Code}}</p>`, false},
		{"unquoted attribute", "A.html", "<p title={{.User.given_name}}>{{.Code}}</p>", false},
		{"nine attributes", "A.txt", "{{.User.a}}{{.User.b}}{{.User.c}}{{.User.d}}{{.User.e}}{{.User.f}}{{.User.g}}{{.User.h}}{{.User.i}} {{.Code}}", false},
	}
	parts := map[string]message.Part{"A.sms.txt": message.SMS, "A.txt": message.Text, "A.html": message.Body}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := message.Load(fstest.MapFS{"en/" + tt.file: {Data: []byte(tt.src)}})
			if err != nil {
				t.Fatal(err)
			}
			p := parts[tt.file]
			for _, user := range planUsers {
				renderBoth(t, set, "en", "A", p, message.Data{User: user, Code: "123456", AppName: "Example", Minutes: 1}, message.CodeField)
			}
			if got := message.HasPlan(set, "en", "A", p); got != tt.plan {
				t.Errorf("has a plan = %v, want %v", got, tt.plan)
			}
			if p != message.Body {
				return
			}
			out, _ := set.Render("en", "A", p, message.Data{User: planUsers[2], Code: "123456", AppName: "Example"})
			if strings.Contains(out, "javascript:") || strings.Contains(out, "<img") {
				t.Errorf("an attribute reached the text unfiltered: %q", out)
			}
		})
	}
}

// TestPlanVariantsBounded renders with more app names than a plan keeps
// variants for: the plan stops growing, and the texts stay right.
func TestPlanVariantsBounded(t *testing.T) {
	set, err := message.Load(fstest.MapFS{"en/A.sms.txt": {Data: []byte("{{.AppName}}: {{.Code}}")}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range message.MaxVariants + 10 {
		app := fmt.Sprintf("App %d", i)
		got, err := set.Render("en", "A", message.SMS, message.Data{AppName: app, Code: "123456"}, message.CodeField)
		if want := app + ": 123456"; got != want || err != nil {
			t.Fatalf("Render = %q, %v; want %q", got, err, want)
		}
	}
	if n := message.PlanVariants(set, "en", "A", message.SMS); n != message.MaxVariants {
		t.Errorf("the plan holds %d variants, want the limit %d", n, message.MaxVariants)
	}
}

// TestPlanConcurrent renders the sign-in email for different users from
// many goroutines while the plan fills (run it with -race).
func TestPlanConcurrent(t *testing.T) {
	set, err := message.LoadDefaults()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				d := message.Data{User: planUsers[(g+i)%len(planUsers)], Code: fmt.Sprintf("%06d", i), AppName: "Example", Minutes: i % 3}
				if i%2 == 0 {
					d.Link = "https://app.example.com/sign-in#t"
				}
				for _, p := range []message.Part{message.Subject, message.Body, message.Text, message.SMS} {
					want, wantErr := message.RenderByTemplate(set, "es", "SignIn", p, d, message.CodeField)
					got, err := set.Render("es", "SignIn", p, d, message.CodeField)
					if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
						t.Errorf("%s: plan %q, %v; template %q, %v", p, got, err, want, wantErr)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// FuzzPlan compares the plan with the template on random values, for the
// shipped sign-in and sign-up messages, for templates that use an
// attribute in every way a plan allows and for templates whose text
// begins and ends in white space.
//
//	go test ./pkg/message -run '^$' -fuzz FuzzPlan -fuzztime 3m
func FuzzPlan(f *testing.F) {
	f.Add(uint8(0), "Jane", "", "123456", "", "Example", uint8(5))
	f.Add(uint8(1), hostile, "<b>", "{####}", "https://a.example/#t&x", `A&B "Co"`, uint8(1))
	f.Add(uint8(2), " \t", "\x00\xff", "", "{##Click Here##}", "", uint8(0))
	f.Add(uint8(3), "😀\u202e", "+'", "1", "", "<x>", uint8(255))
	f.Add(uint8(3), "Jane", "", " \n1\u00a0", "\v", "", uint8(0))
	defaults, err := message.Load(message.Defaults())
	if err != nil {
		f.Fatal(err)
	}
	own, err := message.Load(fstest.MapFS{
		"en/A.sms.txt": {Data: []byte("{{with .User.given_name}}Hi {{.}}{{else}}Hello{{end}} {{.User.nickname}} {{.Code}} {{.Link}}")},
		"en/A.html":    {Data: []byte(`{{define "n"}}<b title="{{.}}">{{.}}</b>{{end}}<title>{{.User.nickname}}</title>{{if .User.nickname}}{{template "n" .User.given_name}}{{end}} <a href="{{.Link}}">{{.Code}}</a> {{.AppName}}`)},
		// White space (some of it refused inside a text) where the
		// rendered text can begin and end, within the literal text and
		// the values, for the check of a plan's output piece by piece.
		"en/B.subject.txt": {Data: []byte("\n {{.User.given_name}} {{.Code}}\t\u0085")},
		"en/B.sms.txt":     {Data: []byte("{{.Code}}\u00a0{{.User.nickname}}{{.Link}}\u2028")},
	})
	if err != nil {
		f.Fatal(err)
	}
	type target struct {
		set  *message.Set
		name string
	}
	targets := []target{{defaults, "SignIn"}, {defaults, "SignUp"}, {own, "A"}, {own, "B"}}
	f.Fuzz(func(t *testing.T, which uint8, given, nickname, code, link, app string, minutes uint8) {
		tg := targets[int(which)%len(targets)]
		d := message.Data{
			User: map[string]string{"given_name": given, "nickname": nickname},
			Code: code, Link: link, AppName: app, Minutes: int(minutes) - 2,
		}
		for _, lang := range tg.set.Languages() {
			for p := message.Subject; p <= message.Text; p++ {
				if tg.set.Has(lang, tg.name, p) {
					renderBoth(t, tg.set, lang, tg.name, p, d)
				}
			}
		}
	})
}
