package opswalk

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/docpages"
	"github.com/cognitrig/cognitrig/internal/moto"
)

// heading introduces the block this test runs.
const heading = "### Walk-through against moto_server"

// block finds the first sh block after heading.
var block = regexp.MustCompile("(?s)```sh\n(.*?)```")

func TestWalkThrough(t *testing.T) {
	for _, tool := range []string{"bash", "moto_server", "aws", "zip", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the walk-through needs %s, which is not on PATH; install it to run this test", tool)
		}
	}
	root, pages := docpages.Load(t)
	var script string
	for _, p := range pages {
		if p.Name != "docs/operations.md" {
			continue
		}
		_, after, ok := strings.Cut(string(p.Text), heading)
		if !ok {
			t.Fatalf("docs/operations.md has no %q section", heading)
		}
		m := block.FindStringSubmatch(after)
		if m == nil {
			t.Fatalf("docs/operations.md: no sh block after %q", heading)
		}
		script = m[1]
	}
	if script == "" {
		t.Fatal("docs/operations.md is missing")
	}

	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = root
	port, err := moto.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Environ(), fmt.Sprintf("PORT=%d", port))
	// Its own process group, so that moto_server, which the block starts
	// in the background, stops with it even when the block fails.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the walk-through failed: %v\n%s", err, out.String())
	}

	// What the page says each check prints, in order, and the repair's log.
	text := out.String()
	var exits []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "exit ") {
			exits = append(exits, line)
		}
	}
	if got, want := strings.Join(exits, ", "), "exit 1, exit 0, exit 1, exit 0"; got != want {
		t.Errorf("the checks printed %q, want %q (as the page's comments say)\n%s", got, want, text)
	}
	for _, want := range []string{`"msg":"restored"`, "drift:", "in place:"} {
		if !strings.Contains(text, want) {
			t.Errorf("the walk-through's output lacks %s\n%s", want, text)
		}
	}
}
