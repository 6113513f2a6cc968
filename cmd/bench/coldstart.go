package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

// coldstartReport is the part of cmd/coldstart's JSON report this command
// reads.
type coldstartReport struct {
	Machine struct {
		CPU        string `json:"cpu"`
		Cores      int    `json:"cores"`
		Platform   string `json:"platform"`
		Kernel     string `json:"kernel"`
		LoadBefore string `json:"load_before"`
		LoadAfter  string `json:"load_after"`
		GoVersion  string `json:"go_version"`
	} `json:"machine"`
	Functions []coldstartResult `json:"functions"`
}

type coldstartResult struct {
	Function           string  `json:"function"`
	SizeBytes          int64   `json:"size_bytes"`
	Init               *msStat `json:"init_ms"`
	FirstInvoke        *msStat `json:"first_invoke_ms"`
	StartupConnections int     `json:"startup_connections"`
	Memory             *struct {
		Invocations int   `json:"invocations"`
		Errors      int   `json:"errors"`
		PeakRSSKB   int64 `json:"peak_rss_kb"`
	} `json:"memory"`
	Failure       string `json:"failure"`
	FirstError    string `json:"first_error"`
	ExpectedError string `json:"expected_error"`
}

type msStat struct {
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
}

// buildBootstraps builds, as Lambda runs them (linux, this machine's
// architecture, no cgo, stripped), the bootstrap of every function under
// triggers/ and of the references under cmd/bench/reference, into
// dir/<name>/bootstrap, and the coldstart harness into dir/coldstart. It
// returns the names of the functions and of the references.
func buildBootstraps(ctx context.Context, root, dir string) (functions, references []string, err error) {
	list := func(sub string) ([]string, error) { return modroot.Mains(filepath.Join(root, sub)) }
	if functions, err = list("triggers"); err != nil {
		return nil, nil, err
	}
	if references, err = list(filepath.Join("cmd", "bench", "reference")); err != nil {
		return nil, nil, err
	}
	bin := filepath.Join(dir, "bin") + string(filepath.Separator)
	// The functions are a module of their own; the references are in the
	// root module.
	args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", bin}
	env := []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + runtime.GOARCH}
	if err := goCommand(ctx, filepath.Join(root, "triggers"), env, append(args, "./...")...); err != nil {
		return nil, nil, err
	}
	if err := goCommand(ctx, root, env, append(args, "./cmd/bench/reference/...")...); err != nil {
		return nil, nil, err
	}
	for _, name := range append(append([]string{}, functions...), references...) {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.Rename(filepath.Join(bin, name), filepath.Join(dir, name, "bootstrap")); err != nil {
			return nil, nil, err
		}
	}
	if err := goCommand(ctx, root, nil, "build", "-o", filepath.Join(dir, "coldstart"), "./cmd/coldstart"); err != nil {
		return nil, nil, err
	}
	return functions, references, nil
}

func goCommand(ctx context.Context, root string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// runColdstart runs the harness built by buildBootstraps with args and
// returns its report. Its progress goes to log. The harness exits with
// status 1 when a function failed or connected at start-up; the report
// says which, so that status is not an error here.
func runColdstart(ctx context.Context, root, dir string, log io.Writer, args ...string) (*coldstartReport, error) {
	jsonFile := filepath.Join(dir, "coldstart.json")
	args = append([]string{"-root", root, "-bootstrap-dir", dir, "-json-file", jsonFile}, args...)
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "coldstart"), args...)
	cmd.Stdout, cmd.Stderr = io.Discard, log
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			return nil, fmt.Errorf("coldstart %s: %w", strings.Join(args, " "), err)
		}
	}
	b, err := os.ReadFile(jsonFile)
	if err != nil {
		return nil, err
	}
	var rep coldstartReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("read the coldstart report: %w", err)
	}
	return &rep, nil
}
