package awsenv_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/runtimeapi"
)

// TestShippedFunctionsStartWithoutCredentials builds every function under
// triggers/ and starts each with its invoke.env and no AWS variable of
// the machine: no credentials, no profile, no shared file. Each must ask
// for its first event; the events that make no AWS call must succeed, and
// one that needs a call must fail with the error naming the credential
// variables, before sending anything.
func TestShippedFunctionsStartWithoutCredentials(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// Built as this test is (with -race under make test), the functions
	// reuse the packages compiled for the other tests.
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	if raceEnabled() {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./...")...)
	build.Dir = filepath.Join(root, "triggers") // the functions' own module
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./... in triggers: %v\n%s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(root, "triggers", "*", "main.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("found no triggers/*/main.go (%v)", err)
	}

	t.Run("start", func(t *testing.T) {
		for _, mainGo := range names {
			name := filepath.Base(filepath.Dir(mainGo))
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				fn := startFunction(t, root, bin, name, nil)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if _, err := fn.api.WaitReady(ctx); err != nil {
					t.Fatalf("%s did not start without AWS credentials: %v\nits output:\n%s", name, err, fn.output())
				}
			})
		}
	})

	// The invocations send the SDK to a local server, in case a call went
	// out: none may.
	srv := newRecorder(t)
	tests := []struct {
		name    string
		fn      string
		event   string
		wantErr string // in the function error or its log; "" for success
	}{
		{name: "create auth for an unknown user sends nothing", fn: "createauth", event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json"},
		{name: "post confirmation of a password reset adds no group", fn: "postconfirmation", event: "postconfirmation/PostConfirmation_ConfirmForgotPassword.json"},
		{name: "custom email sender fails to decrypt, naming the credential variables", fn: "customemailsender", event: "customemailsender/CustomEmailSender_SignUp.json",
			wantErr: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			event, err := os.ReadFile(filepath.Join(root, "events", tt.event))
			if err != nil {
				t.Fatal(err)
			}
			fn := startFunction(t, root, bin, tt.fn, []string{"AWS_ENDPOINT_URL=" + srv.URL})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := fn.api.Invoke(ctx, event)
			if err != nil {
				t.Fatalf("invoke %s: %v\nits output:\n%s", tt.fn, err, fn.output())
			}
			switch {
			case tt.wantErr == "" && res.Err != nil:
				t.Errorf("%s failed: %v; want success without credentials\nits output:\n%s", tt.fn, res.Err, fn.output())
			case tt.wantErr != "" && res.Err == nil:
				t.Errorf("%s succeeded, want a function error naming %q", tt.fn, tt.wantErr)
			case tt.wantErr != "":
				// The log has the whole error; the function error may
				// say less.
				fn.cmd.Process.Kill()
				fn.wait()
				if got := string(res.Payload) + fn.output(); !strings.Contains(got, tt.wantErr) {
					t.Errorf("%s: got error %v and output\n%s\nwant %q in either", tt.fn, res.Err, fn.output(), tt.wantErr)
				}
			}
			for _, r := range srv.requests() {
				t.Errorf("%s sent %s %s to AWS_ENDPOINT_URL without credentials, want no request", tt.fn, r.Method, r.URL)
			}
		})
	}
}

// raceEnabled reports whether this test was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// function is one running bootstrap with its Runtime API.
type function struct {
	api  *runtimeapi.Server
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer // its stdout and stderr
	done chan struct{}
}

// startFunction runs bin/name with the KEY=value lines of
// triggers/name/invoke.env, extra, and of this machine's environment only
// PATH and a HOME without an .aws folder.
func startFunction(t *testing.T, root, bin, name string, extra []string) *function {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	settings, err := readInvokeEnv(filepath.Join(root, "triggers", name, "invoke.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range settings {
		if strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") || strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY=") || strings.HasPrefix(kv, "AWS_PROFILE=") {
			t.Errorf("triggers/%s/invoke.env sets %s: the functions must start without credentials", name, kv)
		}
	}
	env = append(env, settings...)
	env = append(env, extra...)
	api, err := runtimeapi.Start(runtimeapi.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fn := &function{api: api, done: make(chan struct{})}
	fn.cmd = exec.Command(filepath.Join(bin, name))
	fn.cmd.Env = append(env, api.Env(), "AWS_LAMBDA_FUNCTION_NAME="+name)
	fn.cmd.Stdout, fn.cmd.Stderr = fn, fn
	if err := fn.cmd.Start(); err != nil {
		api.Close()
		t.Fatal(err)
	}
	go func() {
		api.Exited(fn.cmd.Wait())
		close(fn.done)
	}()
	t.Cleanup(func() {
		fn.cmd.Process.Kill()
		fn.wait()
		api.Close()
	})
	return fn
}

// Write keeps the bootstrap's output.
func (f *function) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}

// output returns what the bootstrap wrote so far.
func (f *function) output() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.String()
}

// wait waits for the bootstrap to exit, for 10 seconds at most.
func (f *function) wait() {
	select {
	case <-f.done:
	case <-time.After(10 * time.Second):
	}
}

// readInvokeEnv reads the KEY=value lines of an invoke.env, skipping blank
// lines and # comments; a missing file has none.
func readInvokeEnv(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var kvs []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kvs = append(kvs, line)
	}
	return kvs, sc.Err()
}
