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

// TestGolden renders every default message in every shipped language and
// compares it with testdata/golden/<lang>/<source>[.link].txt. After a
// deliberate change to the templates, run
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
			golden(t, filepath.Join(lang, string(src)+".txt"), invoke(t, code, payload))
			if src == trigger.SourceCustomMessageSignUp || src == trigger.SourceCustomMessageResendCode {
				golden(t, filepath.Join(lang, string(src)+".link.txt"), invoke(t, link, payload))
			}
		}
	}
}

// golden compares a response with its golden file, or rewrites the file
// under -update.
func golden(t *testing.T, name string, r trigger.CustomMessageResponse) {
	t.Helper()
	got := fmt.Sprintf("subject: %s\nsms: %s\n\n%s\n", r.EmailSubject, r.SMSMessage, r.EmailMessage)
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
