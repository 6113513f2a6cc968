package ownmodule_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// section is the README section this test follows.
const section = "## Write your own trigger"

// block is a fenced code block of the README.
type block struct {
	lang, body string
}

// TestREADMEOwnModule runs the README's "Write your own trigger" section
// in a new module under a temporary directory, with COGNITRIG naming this
// repository: the first shell block makes the module, each Go block (whose
// first line names its file) is written into it, and the second shell
// block's commands run one by one: go mod tidy, go test, the build and the
// invoke, whose response must confirm the user.
//
// The go commands use this machine's module and build caches, so that,
// warm, only the new module's own packages are compiled; they need no
// network once the modules of this repository are downloaded (make test
// downloads them first), since go.sum starts as a copy of this
// repository's. The invoke needs the emulator the Makefile builds before
// the tests; without it the test stops there, skipped.
func TestREADMEOwnModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a module of its own")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text, blocks := sectionBlocks(t, string(readme))
	var langs []string
	for _, b := range blocks {
		langs = append(langs, b.lang)
	}
	if got, want := strings.Join(langs, " "), "sh go go sh"; got != want {
		t.Fatalf("the README section %q has code blocks %q, want %q: make the module, main.go, main_test.go, then test, build and invoke", section, got, want)
	}
	for _, want := range []string{"not published", "403", "replace"} {
		if !strings.Contains(text, want) {
			t.Errorf("the README section %q does not say %q", section, want)
		}
	}

	dir := t.TempDir()
	env := append(os.Environ(),
		"COGNITRIG="+root,
		"GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"),
		"GOWORK=off",
	)
	run := func(dir, script string) (stdout []byte) {
		t.Helper()
		start := time.Now()
		cmd := exec.CommandContext(t.Context(), "sh", "-ec", script)
		cmd.Dir, cmd.Env = dir, env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s\nfailed: %v\nstdout:\n%s\nstderr:\n%s", script, err, out.Bytes(), errOut.Bytes())
		}
		t.Logf("%s (%v)", script, time.Since(start).Round(10*time.Millisecond))
		return out.Bytes()
	}

	// The first block makes the module and changes into it, in one shell.
	run(dir, blocks[0].body)
	mod := filepath.Join(dir, "mytrigger")
	if _, err := os.Stat(filepath.Join(mod, "go.mod")); err != nil {
		t.Fatalf("the README's first block made no module in mytrigger: %v", err)
	}
	// Seed go.sum with this repository's: go mod tidy then checks the
	// modules against hashes this repository already checked, instead of
	// asking sum.golang.org, and drops the lines the module does not need.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks[1:3] {
		first, _, _ := strings.Cut(b.body, "\n")
		name, ok := strings.CutPrefix(first, "// ")
		if !ok || !strings.HasSuffix(name, ".go") || strings.ContainsAny(name, `/\ `) {
			t.Fatalf("a Go block of the README section starts with %q, want a comment naming its file, such as // main.go", first)
		}
		if err := os.WriteFile(filepath.Join(mod, name), []byte(b.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	emulator := filepath.Join(root, "build", "tools", "aws-lambda-rie")
	var response []byte
	for line := range strings.Lines(blocks[3].body) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.Contains(line, "cmd/invoke") {
			if _, err := os.Stat(emulator); errors.Is(err, os.ErrNotExist) {
				t.Skipf("the module builds and its tests pass, but %s is missing, so the invoke cannot run: build it with make -C %s build/tools/aws-lambda-rie (make test does)", emulator, root)
			}
			response = run(mod, line)
			continue
		}
		run(mod, line)
	}
	if response == nil {
		t.Fatalf("the README section's last block does not invoke the function with cmd/invoke")
	}
	var ev struct {
		TriggerSource string `json:"triggerSource"`
		Response      struct {
			AutoConfirmUser bool `json:"autoConfirmUser"`
		} `json:"response"`
	}
	if err := json.Unmarshal(response, &ev); err != nil {
		t.Fatalf("the invoke printed %q, not the event: %v", response, err)
	}
	if ev.TriggerSource != "PreSignUp_SignUp" || !ev.Response.AutoConfirmUser {
		t.Errorf("the invoke printed triggerSource %q, autoConfirmUser %v; want PreSignUp_SignUp, true\n%s", ev.TriggerSource, ev.Response.AutoConfirmUser, response)
	}
}

// sectionBlocks returns the text of the README section and its fenced code
// blocks.
func sectionBlocks(t *testing.T, readme string) (string, []block) {
	t.Helper()
	_, rest, ok := strings.Cut(readme, "\n"+section+"\n")
	if !ok {
		t.Fatalf("the README has no section %q", section)
	}
	body, _, _ := strings.Cut(rest, "\n## ")
	text := body
	var blocks []block
	for {
		var ok bool
		if _, text, ok = strings.Cut(text, "\n```"); !ok {
			return body, blocks
		}
		var lang, code string
		lang, text, _ = strings.Cut(text, "\n")
		if code, text, ok = strings.Cut(text, "\n```"); !ok {
			t.Fatalf("a code block of the README section %q is not closed", section)
		}
		blocks = append(blocks, block{lang: lang, body: code + "\n"})
	}
}
