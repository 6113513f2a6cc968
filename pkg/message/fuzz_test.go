package message_test

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// markup starts every fuzzed attribute value: it must never reach an email
// body as a tag.
const markup = "<b id=fz>"

// FuzzCustomMessage feeds random attribute values and locales to the
// custom message trigger, with the default templates and with templates
// that show the attributes in every part. Whatever the input, the trigger
// must answer without error, every message it sets must show its
// placeholders and fit Cognito's limits, and no attribute may reach an
// email body as markup.
//
//	go test ./pkg/message -run '^$' -fuzz FuzzCustomMessage -fuzztime 3m
func FuzzCustomMessage(f *testing.F) {
	f.Add(uint8(0), "en", "Jane", "Doe", "custom:plan", "pro")
	f.Add(uint8(1), "es-MX", "<img src=x onerror=alert(1)>", `"><script>x</script>`, "nickname", "{####}")
	f.Add(uint8(2), "es_MX.UTF-8", strings.Repeat("Maximiliana", 190), "", "", "")
	f.Add(uint8(3), "", "Ja\x00ne\u202e", "\r\n\t", "custom:x", "\xff\xfe")
	f.Add(uint8(4), "zz-ZZ", "😀😀😀", "{username}", "locale", "es")
	f.Add(uint8(5), "ES", "{##Click Here##}", "&amp;", "given_name", "x")
	f.Add(uint8(6), "pt-BR", "Ana", "Lee", "email", "a@example.com")

	all := []string{"SignUp", "AdminCreateUser", "ResendCode", "ForgotPassword", "UpdateUserAttribute", "VerifyUserAttribute", "Authentication"}
	greedyFiles := map[string]string{}
	for _, lang := range []string{"en", "es"} {
		for _, name := range all {
			shown := `{{.User.given_name}} {{.User.family_name}} {{index .User "custom:x"}} {{.User.nickname}}`
			greedyFiles[lang+"/"+name+".subject.txt"] = "Hi " + shown
			greedyFiles[lang+"/"+name+".sms.txt"] = shown + " {{.Username}} {{.Code}}"
			greedyFiles[lang+"/"+name+".html"] = `<p title="` + shown + `">` + shown + ` {{.Username}} {{.Code}} {{.Link}}</p>`
		}
	}
	linkConfig := testConfig
	linkConfig.Verification = message.VerifyByLink
	type setup struct {
		h    *trigger.Handler
		link bool
	}
	var setups []setup
	for _, fsys := range []fs.FS{nil, overlay(f, greedyFiles)} {
		for _, cfg := range []message.Config{testConfig, linkConfig} {
			h := newTriggerLogging(f, fsys, cfg, io.Discard)
			setups = append(setups, setup{h: h, link: cfg.Verification == message.VerifyByLink})
		}
	}

	f.Fuzz(func(t *testing.T, which uint8, locale, given, family, key, value string) {
		src := "CustomMessage_" + all[int(which)%len(all)]
		attrs := map[string]string{
			"sub":         "0f1e2d3c-0000-4000-8000-0000000000ff",
			"email":       "fuzz@example.com",
			"locale":      locale,
			"given_name":  markup + given,
			"family_name": markup + family,
		}
		if key != "" {
			attrs[key] = markup + value
		}
		ev := map[string]any{
			"version": "1", "triggerSource": src, "region": "us-east-1", "userPoolId": "us-east-1_EXAMPLE01",
			"userName":      "0f1e2d3c-0000-4000-8000-0000000000ff",
			"callerContext": map[string]string{"awsSdkVersion": "fuzz", "clientId": "fuzz"},
			"request": map[string]any{
				"userAttributes": attrs, "codeParameter": "{####}", "usernameParameter": "{username}",
				"linkParameter": "{##Click Here##}", "clientMetadata": map[string]string{},
			},
			"response": map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil},
		}
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Skip("not representable in JSON")
		}
		for _, s := range setups {
			r := invoke(t, s.h, payload)
			link := s.link && (src == "CustomMessage_SignUp" || src == "CustomMessage_ResendCode")
			checkRules(t, payload, r, link)
			if strings.Contains(string(r.EmailMessage), markup) {
				t.Errorf("an attribute reached the email body as markup:\n%s", r.EmailMessage)
			}
		}
	})
}

// FuzzSignIn renders every part of the default SignIn message for random
// attribute values, locales and validities, with a magic link and
// without. Whatever the input, a part either renders or is too long (a
// name of thousands of characters in the email), every part shows the
// code, the email body and text show the link when there is one and the
// subject and SMS never do, no attribute reaches the HTML body as markup,
// and the plain-text body shows it unescaped.
//
//	go test ./pkg/message -run '^$' -fuzz FuzzSignIn -fuzztime 3m
func FuzzSignIn(f *testing.F) {
	f.Add("en", "Jane", 3, true)
	f.Add("es-MX", "<img src=x onerror=alert(1)>", 0, false)
	f.Add("es_MX.UTF-8", strings.Repeat("Maximiliana", 190), 1, true)
	f.Add("", "Ja\x00ne\u202e\r\n\t", -2, false)
	f.Add("zz", "😀 {####} &amp;", 15, true)

	set := defaults(f)
	f.Fuzz(func(t *testing.T, locale, given string, minutes int, link bool) {
		d := message.Data{
			Code:    "123456",
			AppName: "Example",
			AppURL:  "https://app.example.com",
			User:    map[string]string{"given_name": markup + given, "locale": locale},
			Minutes: minutes,
		}
		must := []message.Field{message.CodeField}
		if link {
			d.Link = magicLink
			must = append(must, message.LinkField)
		}
		lang := set.Language(locale)
		for _, p := range allParts {
			mustHere := must
			if p == message.Subject || p == message.SMS {
				mustHere = must[:1]
			}
			got, err := set.Render(lang, "SignIn", p, d, mustHere...)
			if errors.Is(err, message.ErrLimit) && (p == message.Body || p == message.Text) {
				continue
			}
			if err != nil {
				t.Fatalf("Render %v: %v", p, err)
			}
			if !strings.Contains(got, d.Code) {
				t.Errorf("the %v lacks the code:\n%s", p, got)
			}
			if shown := strings.Contains(got, magicLink); shown != (link && len(mustHere) == 2) {
				t.Errorf("the %v shows the link: %t, want %t:\n%s", p, shown, !shown, got)
			}
			if p == message.Body && strings.Contains(got, markup) {
				t.Errorf("an attribute reached the email body as markup:\n%s", got)
			}
			if p == message.Text && !strings.Contains(got, markup) {
				t.Errorf("the email text lacks the name as it is:\n%s", got)
			}
		}
	})
}
