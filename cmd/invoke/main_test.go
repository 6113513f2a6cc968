//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

// Paths of the binaries built by TestMain.
var (
	emulatorPath string // aws-lambda-rie
	echoPath     string // the echo function's bootstrap, in a directory named presignup
	invokePath   string // this command
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "invoke-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	if emulatorPath, err = rietest.Emulator(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	echoPath = filepath.Join(dir, "presignup", "bootstrap")
	invokePath = filepath.Join(dir, "invoke")
	for out, pkg := range map[string]string{echoPath: "../../internal/rie/testdata/echofn", invokePath: "."} {
		if err := rietest.Build(out, pkg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	return m.Run()
}

// writeFile writes content to a new file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// indented returns the JSON document s indented as invoke prints it.
func indented(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		t.Fatal(err)
	}
	return buf.String() + "\n"
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	event := writeFile(t, dir, "event.json", `{"userName": "alice", "log": "hello from the function"}`)
	fail := writeFile(t, dir, "fail.json", `{"fail": true}`)
	sleep := writeFile(t, dir, "sleep.json", `{"sleep": "5s"}`)
	getenv := writeFile(t, dir, "getenv.json", `{"getenv": ["AWS_LAMBDA_FUNCTION_NAME", "GREETING"]}`)
	invalid := writeFile(t, dir, "invalid.json", "{\n  \"a\": 1,\n  \"b\": \n}")
	empty := writeFile(t, dir, "empty.json", " \n")
	missing := filepath.Join(dir, "missing.json")
	envFile := writeFile(t, dir, "fn.env", "# settings\n\nGREETING=from the file\nAWS_LAMBDA_FUNCTION_NAME=renamed\n")
	badEnvFile := writeFile(t, dir, "bad.env", "GREETING=hi\nNOVALUE\n")
	appEnvFile := writeFile(t, dir, "app.env", "APP_NAME=Example\n")
	getApp := writeFile(t, dir, "getapp.json", `{"getenv": ["APP_NAME"]}`)
	getTimeout := writeFile(t, dir, "gettimeout.json", `{"getenv": ["AWS_LAMBDA_FUNCTION_TIMEOUT"]}`)
	// One byte over Lambda's limit, and one at it: JSON strings.
	tooLarge := writeFile(t, dir, "large.json", `"`+strings.Repeat("x", 6291456-1)+`"`)
	atLimit := writeFile(t, dir, "limit.json", `"`+strings.Repeat("x", 6291456-2)+`"`)
	// A bootstrap that fails at start-up, as a trigger missing a setting does.
	failing := filepath.Join(dir, "failing", "bootstrap")
	if err := os.MkdirAll(filepath.Dir(failing), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Dir(failing), "bootstrap", "#!/bin/sh\necho 'cannot start: APP_NAME is not set' >&2\nexit 1\n")
	if err := os.Chmod(failing, 0o755); err != nil {
		t.Fatal(err)
	}
	// Chatter of the emulator, hidden without -v.
	chatter := []string{"[INFO]", "[WARNING]", "[ERROR]", "(rapid)"}
	base := []string{"-bootstrap", echoPath, "-emulator", emulatorPath}

	tests := []struct {
		name         string
		args         []string
		setenv       map[string]string // invoke's own environment
		stdin        string
		wantCode     int
		wantStdout   string   // compared exactly when not empty
		wantStderr   []string // parts of stderr
		unwantStderr []string // what stderr must not contain
	}{
		{
			name:       "success",
			args:       []string{"-event", event},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"userName": "alice", "log": "hello from the function"}`),
			wantStderr: []string{"stdout: hello from the function", "START RequestId"},
		},
		{
			name:       "event from stdin",
			args:       []string{"-event", "-"},
			stdin:      `["a", 1]`,
			wantCode:   exitOK,
			wantStdout: "[\n  \"a\",\n  1\n]\n",
		},
		{
			name:       "name and env",
			args:       []string{"-event", getenv, "-env", "GREETING=hi=there"},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_NAME": "presignup", "GREETING": "hi=there"}}`),
		},
		{
			name:       "env file",
			args:       []string{"-event", getenv, "-env-file", envFile},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_NAME": "renamed", "GREETING": "from the file"}}`),
		},
		{
			name:       "env over env file",
			args:       []string{"-event", getenv, "-env", "GREETING=from the flag", "-env-file", envFile},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_NAME": "renamed", "GREETING": "from the flag"}}`),
		},
		{
			name:       "your environment over env file",
			args:       []string{"-event", getApp, "-env-file", appEnvFile},
			setenv:     map[string]string{"APP_NAME": "MyBrand"},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"APP_NAME": "MyBrand"}}`),
		},
		{
			name:       "empty in your environment empties the env file's",
			args:       []string{"-event", getApp, "-env-file", appEnvFile},
			setenv:     map[string]string{"APP_NAME": ""},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"APP_NAME": ""}}`),
		},
		{
			name:       "env file when your environment has none",
			args:       []string{"-event", getApp, "-env-file", appEnvFile},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"APP_NAME": "Example"}}`),
		},
		{
			name:       "env over your environment and env file",
			args:       []string{"-event", getApp, "-env-file", appEnvFile, "-env", "APP_NAME=FromFlag"},
			setenv:     map[string]string{"APP_NAME": "MyBrand"},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"APP_NAME": "FromFlag"}}`),
		},
		{
			name:       "default timeout is Cognito's 5s",
			args:       []string{"-event", getTimeout},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_TIMEOUT": "5"}}`),
		},
		{
			name:         "explicit timeout",
			args:         []string{"-event", getTimeout, "-timeout", "2s"},
			wantCode:     exitOK,
			wantStdout:   indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_TIMEOUT": "2"}}`),
			unwantStderr: []string{"Cognito waits"},
		},
		{
			name:       "timeout longer than Cognito waits",
			args:       []string{"-event", getTimeout, "-timeout", "7s"},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_TIMEOUT": "7"}}`),
			wantStderr: []string{"-timeout 7s is longer than the 5s Cognito waits"},
		},
		{
			// The size is checked before the emulator, which is missing.
			name:       "event over Lambda's limit",
			args:       []string{"-bootstrap", echoPath, "-emulator", missing, "-event", tooLarge},
			wantCode:   exitFailure,
			wantStderr: []string{tooLarge, "RequestTooLargeException", "over Lambda's 6291456-byte limit", "6291457 bytes"},
		},
		{
			name:       "event from stdin over Lambda's limit",
			args:       []string{"-bootstrap", echoPath, "-emulator", missing, "-event", "-"},
			stdin:      `"` + strings.Repeat("x", 6291456) + `"`,
			wantCode:   exitFailure,
			wantStderr: []string{"standard input", "RequestTooLargeException", "6291458 bytes"},
		},
		{name: "event at Lambda's limit", args: []string{"-event", atLimit}, wantCode: exitOK},
		{
			name:         "emulator chatter hidden",
			args:         []string{"-event", fail},
			wantCode:     exitFunctionError,
			wantStderr:   []string{"START RequestId", "REPORT RequestId"},
			unwantStderr: chatter,
		},
		{
			name:       "emulator chatter with -v",
			args:       []string{"-event", fail, "-v"},
			wantCode:   exitFunctionError,
			wantStderr: []string{"START RequestId", "[INFO]", "(rapid)"},
		},
		{
			name:         "start-up failure shows the function's error",
			args:         []string{"-bootstrap", failing, "-event", event},
			wantCode:     exitFunctionError,
			wantStdout:   indented(t, `{"errorMessage": "the function's runtime exited or could not start before answering; its logs say why", "errorType": "Runtime.ExitError"}`),
			wantStderr:   []string{"cannot start: APP_NAME is not set", "function failing failed: it exited before answering"},
			unwantStderr: chatter,
		},
		{
			name:       "start-up failure with -v",
			args:       []string{"-bootstrap", failing, "-event", event, "-v"},
			wantCode:   exitFunctionError,
			wantStderr: []string{"cannot start: APP_NAME is not set", "[ERROR]", "Runtime exited with error"},
		},
		{
			name:       "package",
			args:       []string{"-bootstrap", "", "-package", "../../internal/rie/testdata/echofn", "-event", getenv},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_NAME": "echofn", "GREETING": null}}`),
			wantStderr: []string{"building ../../internal/rie/testdata/echofn", "-tags lambda.norpc"},
		},
		{
			name:       "package not main",
			args:       []string{"-bootstrap", "", "-package", "../../internal/envfile", "-event", event},
			wantCode:   exitFailure,
			wantStderr: []string{"../../internal/envfile", "not a main package"},
		},
		{
			name:       "package that does not exist",
			args:       []string{"-bootstrap", "", "-package", "./nothing-here", "-event", event},
			wantCode:   exitFailure,
			wantStderr: []string{"-package ./nothing-here"},
		},
		{name: "bootstrap and package", args: []string{"-package", ".", "-event", event}, wantCode: exitFailure, wantStderr: []string{"both -bootstrap and -package"}},
		{name: "bad env file", args: []string{"-event", event, "-env-file", badEnvFile}, wantCode: exitFailure, wantStderr: []string{badEnvFile + ":2", "NOVALUE"}},
		{name: "missing env file", args: []string{"-event", event, "-env-file", missing}, wantCode: exitFailure, wantStderr: []string{"-env-file", missing}},
		{
			name:       "explicit name",
			args:       []string{"-event", getenv, "-name", "other"},
			wantCode:   exitOK,
			wantStdout: indented(t, `{"env": {"AWS_LAMBDA_FUNCTION_NAME": "other", "GREETING": null}}`),
		},
		{
			name:       "function error",
			args:       []string{"-event", fail},
			wantCode:   exitFunctionError,
			wantStdout: indented(t, `{"errorMessage": "echofn was asked to fail", "errorType": "errorString"}`),
			wantStderr: []string{"function presignup failed"},
		},
		{
			name:       "timeout",
			args:       []string{"-event", sleep, "-timeout", "1s"},
			wantCode:   exitFunctionError,
			wantStdout: indented(t, `{"errorMessage": "Task timed out after 1.00 seconds", "errorType": "Sandbox.Timedout"}`),
			wantStderr: []string{"timed out after 1s", "raise -timeout"},
		},
		{
			// The event is checked before the emulator, which is missing.
			name:       "invalid event",
			args:       []string{"-bootstrap", echoPath, "-emulator", missing, "-event", invalid},
			wantCode:   exitFailure,
			wantStderr: []string{invalid, "not valid JSON", "line 4, column 1"},
		},
		{name: "empty event", args: []string{"-event", empty}, wantCode: exitFailure, wantStderr: []string{empty, "empty"}},
		{name: "empty stdin", args: []string{"-event", "-"}, wantCode: exitFailure, wantStderr: []string{"standard input", "empty"}},
		{name: "missing event", args: []string{"-event", missing}, wantCode: exitFailure, wantStderr: []string{missing}},
		{
			name:       "missing bootstrap",
			args:       []string{"-bootstrap", filepath.Join(dir, "nope", "bootstrap"), "-emulator", emulatorPath, "-event", event},
			wantCode:   exitFailure,
			wantStderr: []string{filepath.Join(dir, "nope", "bootstrap"), "does not exist"},
		},
		{
			name:       "missing emulator",
			args:       []string{"-bootstrap", echoPath, "-emulator", missing, "-event", event},
			wantCode:   exitFailure,
			wantStderr: []string{missing, "go build"},
		},
		{name: "no bootstrap", args: []string{"-event", event, "-bootstrap", ""}, wantCode: exitFailure, wantStderr: []string{"missing -bootstrap or -package"}},
		{name: "no event", args: nil, wantCode: exitFailure, wantStderr: []string{"missing -event"}},
		{name: "bad env", args: []string{"-event", event, "-env", "NOVALUE"}, wantCode: exitFailure, wantStderr: []string{"NOVALUE", "KEY=value"}},
		{name: "bad timeout", args: []string{"-event", event, "-timeout", "1500ms"}, wantCode: exitFailure, wantStderr: []string{"whole seconds"}},
		{name: "extra argument", args: []string{"-event", event, "extra"}, wantCode: exitFailure, wantStderr: []string{"extra"}},
		{name: "help", args: []string{"-h"}, wantCode: exitOK, wantStderr: []string{"usage: invoke", "-package", "-v", "1 the function failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("APP_NAME", "") // known, whatever the machine has
			os.Unsetenv("APP_NAME")
			for k, v := range tt.setenv {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			args := append(append([]string{}, base...), tt.args...)
			got := run(t.Context(), args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if got != tt.wantCode {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.wantCode, stderr.String())
			}
			if tt.wantStdout != "" && stdout.String() != tt.wantStdout {
				t.Errorf("run(%q) stdout = %q, want %q", tt.args, stdout.String(), tt.wantStdout)
			}
			if tt.wantCode == exitFailure && stdout.Len() > 0 {
				t.Errorf("run(%q) stdout = %q, want nothing on a failure", tt.args, stdout.String())
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, stderr.String(), w)
				}
			}
			for _, w := range tt.unwantStderr {
				if strings.Contains(stderr.String(), w) {
					t.Errorf("run(%q) stderr = %q, want no %q", tt.args, stderr.String(), w)
				}
			}
		})
	}
}

// watchWriter is a concurrency-safe buffer that reports when it has
// received a given string.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	event := writeFile(t, t.TempDir(), "event.json", `{"log": "sleeping", "sleep": "30s"}`)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stderr := &watchWriter{want: "stdout: sleeping", seen: make(chan struct{})}
	var stdout bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-bootstrap", echoPath, "-emulator", emulatorPath, "-event", event, "-timeout", "60s"},
			strings.NewReader(""), &stdout, stderr)
	}()
	select {
	case <-stderr.seen:
	case <-time.After(10 * time.Second):
		t.Fatalf("the function did not start; stderr:\n%s", stderr.String())
	}
	cancel()
	select {
	case got := <-code:
		if got != exitFailure {
			t.Errorf("run() = %d after its context ended, want %d", got, exitFailure)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run() did not return within 5s of its context ending")
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr = %q, want it to say invoke was interrupted", stderr.String())
	}
}

// descendants returns the pids of the processes descending from pid, read
// from /proc.
func descendants(t *testing.T, pid int) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if state, ppid, ok := procStat(p); ok && state != "Z" {
			children[ppid] = append(children[ppid], p)
		}
	}
	var out []int
	var walk func(int)
	walk = func(p int) {
		for _, c := range children[p] {
			out = append(out, c)
			walk(c)
		}
	}
	walk(pid)
	return out
}

// procStat returns the state and parent of process pid.
func procStat(pid int) (state string, ppid int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 2 {
		return "", 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	return f[0], ppid, err == nil
}

func TestSignals(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checking for leftover processes needs Linux's /proc")
	}
	event := writeFile(t, t.TempDir(), "event.json", `{"log": "sleeping", "sleep": "30s"}`)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(invokePath, "-bootstrap", echoPath, "-emulator", emulatorPath, "-event", event, "-timeout", "60s")
			stderr := &watchWriter{want: "stdout: sleeping", seen: make(chan struct{})}
			var stdout bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			select {
			case <-stderr.seen:
			case <-time.After(10 * time.Second):
				t.Fatalf("the function did not start; stderr:\n%s", stderr.String())
			}
			children := descendants(t, cmd.Process.Pid)
			if len(children) < 2 {
				t.Fatalf("invoke runs processes %v, want the emulator and the bootstrap", children)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("invoke did not exit within 5s of %v", sig)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFailure {
				t.Errorf("invoke exited with %v after %v, want status %d; stderr:\n%s", err, sig, exitFailure, stderr.String())
			}
			for _, p := range children {
				if state, _, ok := procStat(p); ok && state != "Z" {
					t.Errorf("process %d started by invoke still runs after %v", p, sig)
				}
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}
