package trigger_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEExamplesCompile builds every program of the README (each Go
// code block that starts with package main), so the documentation cannot
// drift from the API. The programs are placed in the module with a build
// overlay; nothing is written to the tree.
func TestREADMEExamplesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	for rest, n := string(readme), 1; ; n++ {
		var ok bool
		if _, rest, ok = strings.Cut(rest, "```go\npackage main\n"); !ok {
			break
		}
		var src string
		if src, rest, ok = strings.Cut(rest, "```"); !ok {
			t.Fatalf("README's Go program #%d is not closed", n)
		}
		file := filepath.Join(dir, fmt.Sprintf("main%d.go", n))
		if err := os.WriteFile(file, []byte("package main\n"+src), 0o644); err != nil {
			t.Fatal(err)
		}
		pkg := fmt.Sprintf("internal/readmeexample%d", n)
		replace[filepath.Join(root, pkg, "main.go")] = file
		pkgs = append(pkgs, "./"+pkg)
	}
	if len(pkgs) < 2 {
		t.Fatalf("README has %d Go programs (code blocks starting with package main), want the trigger and the passwordless client", len(pkgs))
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
			t.Errorf("the README's program %s does not build: %v\n%s", pkg, err, out)
		}
	}
}
