package message_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// magicLink is a sign-in link as the passwordless trigger builds it: the
// app's address and a 32-character token in the fragment.
const magicLink = "https://app.example.com/sign-in#q3Zt8Kx0Lw2mN5pR7sT9vY1bC4dF6gH8"

// allParts are the four parts a message can have.
var allParts = []message.Part{message.Subject, message.Body, message.Text, message.SMS}

// defaults loads the templates this package ships.
func defaults(tb testing.TB) *message.Set {
	tb.Helper()
	set, err := message.Load(message.Defaults())
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return set
}

// signIn returns typical data of the SignIn message for a user writing in
// lang, with a magic link or without; the validity is not known.
func signIn(lang string, link bool) message.Data {
	d := message.Data{
		Code:    "123456",
		AppName: "Example",
		AppURL:  "https://app.example.com",
		User:    map[string]string{"given_name": map[string]string{"en": "Jane", "es": "Lucía"}[lang], "locale": lang},
	}
	if link {
		d.Link = magicLink
	}
	return d
}

// TestSignInPassesTheStartUpCheck makes the checks the passwordless
// trigger makes at start-up on the default SignIn message: in every
// language, every part shows the code, and the email body and text show
// the link when there is one, for the longest APP_NAME, a user with a
// name as long as Cognito allows and a user without attributes, the
// shortest and the longest code, and every kind of validity.
func TestSignInPassesTheStartUpCheck(t *testing.T) {
	set := defaults(t)
	longName := strings.Repeat("Maximiliana", 187)[:2048]
	var plain, linked []message.Data
	for _, minutes := range []int{0, 1, 3, 15} {
		for _, user := range []map[string]string{{"given_name": longName, "locale": "es"}, nil} {
			for _, code := range []string{"123456", "0123456789"} {
				d := message.Data{
					Code:    code,
					AppName: strings.Repeat("W", message.MaxAppName),
					AppURL:  "https://app.example.com",
					User:    user,
					Minutes: minutes,
				}
				plain = append(plain, d)
				d.Link = magicLink
				linked = append(linked, d)
			}
		}
	}
	all := append(slices.Clip(plain), linked...)
	for _, c := range []struct {
		part    message.Part
		samples []message.Data
		must    []message.Field
	}{
		{message.Subject, all, []message.Field{message.CodeField}},
		{message.Body, plain, []message.Field{message.CodeField}},
		{message.Text, plain, []message.Field{message.CodeField}},
		{message.SMS, all, []message.Field{message.CodeField}},
		{message.Body, linked, []message.Field{message.CodeField, message.LinkField}},
		{message.Text, linked, []message.Field{message.CodeField, message.LinkField}},
	} {
		if err := set.Check("SignIn", c.part, c.samples, c.must...); err != nil {
			t.Errorf("Check(SignIn, %v, %v):\n%v", c.part, c.must, err)
		}
	}
}

func TestSignIn(t *testing.T) {
	set := defaults(t)
	tests := []struct {
		name    string
		lang    string
		link    bool
		minutes int
		// What each part holds and lacks, by part.
		want, lacks map[message.Part][]string
	}{
		{
			name: "English, code only, validity unknown", lang: "en",
			want: map[message.Part][]string{
				message.Subject: {"123456 is your Example sign-in code"},
				message.SMS:     {"123456", "It expires in a few minutes.", "Don't share it."},
				message.Body:    {"Hi Jane,", ">123456</p>", "The code expires in a few minutes.", "ignore this email"},
				message.Text:    {"Hi Jane,\n", "\n    123456\n", "The code expires in a few minutes.", "ignore this email", "\nhttps://app.example.com"},
			},
			lacks: map[message.Part][]string{
				message.Body: {"sign-in#", "change"},
				message.Text: {"sign-in#", "change", "<"},
			},
		},
		{
			name: "English, with a link, for 1 minute", lang: "en", link: true, minutes: 1,
			want: map[message.Part][]string{
				message.SMS:  {"It expires in 1 minute."},
				message.Body: {`<a href="` + magicLink + `"`, ">Sign in to Example</a>", "only in the browser where you started", "The code and the link expire in 1 minute.", "Don't share them"},
				message.Text: {"\n" + magicLink + "\n", "only in the browser where you started", "The code and the link expire in 1 minute."},
			},
			lacks: map[message.Part][]string{
				message.Subject: {"sign-in#"},
				message.SMS:     {"sign-in#"},
				message.Text:    {"<a"},
			},
		},
		{
			name: "Spanish, with a link, for 3 minutes", lang: "es", link: true, minutes: 3,
			want: map[message.Part][]string{
				message.Subject: {"123456 es tu código para iniciar sesión en Example"},
				message.SMS:     {"123456", "Caduca en 3 minutos.", "No lo compartas."},
				message.Body:    {"Hola, Lucía:", `<a href="` + magicLink + `"`, ">Iniciar sesión en Example</a>", "El código y el enlace caducan en 3 minutos.", "No los compartas"},
				message.Text:    {"Hola, Lucía:\n", "\n" + magicLink + "\n", "El código y el enlace caducan en 3 minutos."},
			},
			lacks: map[message.Part][]string{
				message.SMS:  {"sign-in#"},
				message.Body: {"cambia"},
				message.Text: {"cambia"},
			},
		},
		{
			name: "Spanish, code only, for 1 minute", lang: "es", minutes: 1,
			want: map[message.Part][]string{
				message.SMS:  {"Caduca en 1 minuto."},
				message.Body: {"El código caduca en 1 minuto.", "No lo compartas"},
				message.Text: {"El código caduca en 1 minuto."},
			},
		},
		{
			name: "a validity below zero reads as unknown", lang: "es", minutes: -5,
			want: map[message.Part][]string{
				message.SMS:  {"Caduca en unos minutos."},
				message.Text: {"El código caduca en unos minutos."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := signIn(tt.lang, tt.link)
			d.Minutes = tt.minutes
			for _, p := range allParts {
				got, err := set.Render(tt.lang, "SignIn", p, d, message.CodeField)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				for _, w := range tt.want[p] {
					if !strings.Contains(got, w) {
						t.Errorf("%v lacks %q:\n%s", p, w, got)
					}
				}
				for _, l := range tt.lacks[p] {
					if strings.Contains(got, l) {
						t.Errorf("%v has %q:\n%s", p, l, got)
					}
				}
			}
		})
	}
}

// The custom message trigger needs neither SignIn nor any plain-text
// body: a set without them serves it.
func TestCustomMessageNeedsNoTextParts(t *testing.T) {
	fsys := overlay(t, nil).(fstest.MapFS)
	for path := range fsys {
		text := strings.HasSuffix(path, ".txt") && !strings.HasSuffix(path, ".sms.txt") && !strings.HasSuffix(path, ".subject.txt")
		if text || strings.Contains(path, "/SignIn.") {
			delete(fsys, path)
		}
	}
	set, err := message.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if set.Has("en", "SignIn", message.Body) {
		t.Fatal("en/SignIn.html is still there")
	}
	if _, err := fs.Stat(fsys, "en/SignUp.html"); err != nil {
		t.Fatalf("the custom messages are gone: %v", err)
	}
	for _, cfg := range []message.Config{testConfig, {AppName: "Example", Verification: message.VerifyByLink}} {
		if _, err := message.NewCustomMessage(set, cfg); err != nil {
			t.Errorf("NewCustomMessage without SignIn and .txt bodies: %v", err)
		}
	}
}
