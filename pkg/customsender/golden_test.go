package customsender_test

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden, and verified.go (TestGoldenVerified)")

// TestGolden sends the fixture of every trigger source (one spelling) in
// English and Spanish, with real values in place of the ciphertext, and
// compares what was sent with testdata/golden/<lang>/<source>.txt.
// -update rewrites them.
func TestGolden(t *testing.T) {
	for _, dir := range []string{"customemailsender", "customsmssender"} {
		for _, path := range fixtures(t, dir) {
			src := source(path)
			if src.Canonical() != src {
				continue
			}
			for _, lang := range []string{"en", "es"} {
				t.Run(string(src)+"/"+lang, func(t *testing.T) {
					plain := code
					if isAdmin(src) {
						plain = html.EscapeString(tempPassword)
					}
					out := &outbox{}
					_, opt := logTo()
					if _, err := triggertest.Invoke(handler(t, dir, out, opt, plain), event(t, path, ciphertext, lang)); err != nil {
						t.Fatal(err)
					}
					to, parts := out.last(t)
					var b strings.Builder
					names := []string{"subject", "html", "text"}
					if len(parts) == 1 {
						names = []string{"sms"}
					}
					fmt.Fprintf(&b, "to: %s\n", to)
					for i, p := range parts {
						fmt.Fprintf(&b, "\n--- %s ---\n%s\n", names[i], p)
					}
					golden(t, filepath.Join("testdata", "golden", lang, string(src)+".txt"), b.String())
				})
			}
		}
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs; run go test -run TestGolden -update and read the diff\ngot:\n%s", file, got)
	}
}
