package message_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden renders every default custom message in every shipped
// language and compares it with testdata/golden/<lang>/<source>[.link].txt.
// After a deliberate change to the templates, run
//
//	go test ./pkg/message -run TestGolden -update
//
// and review the diff.
func TestGolden(t *testing.T) {
	linkConfig := testConfig
	linkConfig.Verification = message.VerifyByLink
	code, _ := newTrigger(t, nil, testConfig)
	link, _ := newTrigger(t, nil, linkConfig)
	for _, lang := range []string{"en", "es"} {
		for _, src := range trigger.Sources() {
			if src.Kind() != trigger.KindCustomMessage {
				continue
			}
			payload := event(t, string(src)+".json", attr("locale", lang))
			golden(t, filepath.Join(lang, string(src)+".txt"), response(invoke(t, code, payload)))
			if src == trigger.SourceCustomMessageSignUp || src == trigger.SourceCustomMessageResendCode {
				golden(t, filepath.Join(lang, string(src)+".link.txt"), response(invoke(t, link, payload)))
			}
		}
	}
}

// TestGoldenSignIn renders the four parts of the default SignIn message in
// every shipped language, without a magic link (and without a known
// validity) and with one (valid for 3 minutes), and compares them with
// testdata/golden/<lang>/SignIn[.link].txt. -update rewrites them.
func TestGoldenSignIn(t *testing.T) {
	set := defaults(t)
	for _, lang := range []string{"en", "es"} {
		for _, link := range []bool{false, true} {
			d := signIn(lang, link)
			name := "SignIn.txt"
			if link {
				d.Minutes = 3
				name = "SignIn.link.txt"
			}
			var parts [5]string
			for _, p := range allParts {
				var err error
				if parts[p], err = set.Render(lang, "SignIn", p, d, message.CodeField); err != nil {
					t.Fatalf("Render %s: %v", message.File(lang, "SignIn", p), err)
				}
			}
			got := fmt.Sprintf("subject: %s\nsms: %s\n\n%s\n\ntext:\n%s\n",
				parts[message.Subject], parts[message.SMS], parts[message.Body], parts[message.Text])
			golden(t, filepath.Join(lang, name), got)
		}
	}
}

// response shows a custom message response the way its golden file does.
func response(r trigger.CustomMessageResponse) string {
	return fmt.Sprintf("subject: %s\nsms: %s\n\n%s\n", r.EmailSubject, r.SMSMessage, r.EmailMessage)
}

// golden compares got with its golden file, or rewrites the file under
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from its golden file (go test -run TestGolden -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}
