package trigger_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/docpages"
)

// TestREADMEExamplesCompile builds every program of the README and of the
// pages of docs/ (each Go code block that starts with package main), so the
// documentation cannot drift from the API. The programs are placed in the
// module with a build overlay; nothing is written to the tree.
func TestREADMEExamplesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	root, pages := docpages.Load(t)
	// The pages that must hold a program: the trigger of docs/architecture.md
	// and the passwordless client of docs/passwordless.md.
	want := map[string]bool{"docs/architecture.md": true, "docs/passwordless.md": true}
	dir := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	origin := map[string]string{} // package → the page and the program's number in it
	n := 0
	for _, page := range pages {
		name := page.Name
		found := 0
		for rest := string(page.Text); ; {
			var ok bool
			if _, rest, ok = strings.Cut(rest, "```go\npackage main\n"); !ok {
				break
			}
			n++
			found++
			var src string
			if src, rest, ok = strings.Cut(rest, "```"); !ok {
				t.Fatalf("%s: Go program #%d is not closed", name, found)
			}
			file := filepath.Join(dir, fmt.Sprintf("main%d.go", n))
			if err := os.WriteFile(file, []byte("package main\n"+src), 0o644); err != nil {
				t.Fatal(err)
			}
			pkg := fmt.Sprintf("internal/readmeexample%d", n)
			replace[filepath.Join(root, pkg, "main.go")] = file
			pkgs = append(pkgs, "./"+pkg)
			origin["./"+pkg] = fmt.Sprintf("%s, Go program #%d", name, found)
		}
		if want[name] && found == 0 {
			t.Errorf("%s has no Go program (a code block starting with package main)", name)
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("%s is missing: it holds a Go program of the documentation", name)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": replace})
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		cmd := exec.Command("go", "build", "-o", os.DevNull, "-overlay", overlayFile, pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not build: %v\n%s", origin[pkg], err, out)
		}
	}
}
