//go:build unix

package rie

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/rie/rietest"
	"github.com/cognitrig/cognitrig/internal/syncio"
)

// Paths of the binaries built by TestMain.
var (
	emulatorPath string // aws-lambda-rie
	echoPath     string // the bootstrap of testdata/echofn
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rie-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	emulatorPath, echoPath, err = buildBinaries(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}

// buildBinaries builds the emulator, unless the Makefile has built it
// already, and the echo function into dir.
func buildBinaries(dir string) (emulator, echo string, err error) {
	if emulator, err = rietest.Emulator(dir); err != nil {
		return "", "", err
	}
	echo = filepath.Join(dir, "echofn", "bootstrap")
	if err := rietest.Build(echo, "./testdata/echofn"); err != nil {
		return "", "", err
	}
	return emulator, echo, nil
}

// echoFunction returns a Function running the echo function.
func echoFunction(logs *syncio.Buffer) Function {
	f := Function{Name: "echo", Bootstrap: echoPath, Emulator: emulatorPath}
	if logs != nil {
		f.Logs = logs
	}
	return f
}

// start starts f and closes it when the test ends.
func start(t *testing.T, f Function) *Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	in, err := f.Start(ctx)
	if err != nil {
		t.Fatalf("Start() error: %v", err)
	}
	t.Cleanup(func() {
		if err := in.Close(); err != nil {
			t.Errorf("Close() error: %v", err)
		}
	})
	return in
}

// errorFields decodes an error payload.
func errorFields(t *testing.T, payload []byte) (msg, typ string) {
	t.Helper()
	var e struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if err := json.Unmarshal(payload, &e); err != nil {
		t.Fatalf("payload %s is not an error object: %v", payload, err)
	}
	return e.ErrorMessage, e.ErrorType
}

func TestInvoke(t *testing.T) {
	logs := &syncio.Buffer{}
	in := start(t, echoFunction(logs))
	tests := []struct {
		name        string
		event       string
		wantPayload string // compared when not empty
		wantFnError bool
		wantType    string // errorType, compared when not empty
		wantMessage string // part of errorMessage, compared when not empty
	}{
		{name: "object", event: `{"userName":"alice","n":1}`, wantPayload: `{"userName":"alice","n":1}`},
		{name: "string", event: `"hello"`, wantPayload: `"hello"`},
		{name: "empty event is {}", event: ``, wantPayload: `{}`},
		{name: "lookalike of an error is no error", event: `{"errorMessage":"m","errorType":"t","other":1}`, wantPayload: `{"errorMessage":"m","errorType":"t","other":1}`},
		{name: "returned error", event: `{"fail":true}`, wantFnError: true, wantType: "errorString", wantMessage: "asked to fail"},
		{name: "panic", event: `{"panic":true}`, wantFnError: true, wantMessage: "asked to panic"},
		{name: "works after a panic", event: `{"again":1}`, wantPayload: `{"again":1}`},
		{name: "exit", event: `{"exit":3}`, wantFnError: true, wantType: "Runtime.ExitError", wantMessage: "exit status 3"},
		{name: "works after an exit", event: `{"again":2}`, wantPayload: `{"again":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := in.Invoke(t.Context(), []byte(tt.event))
			if err != nil {
				t.Fatalf("Invoke(%s) error: %v", tt.event, err)
			}
			if got.FunctionError != tt.wantFnError {
				t.Errorf("Invoke(%s).FunctionError = %v, want %v (payload %s)", tt.event, got.FunctionError, tt.wantFnError, got.Payload)
			}
			if got.TimedOut {
				t.Errorf("Invoke(%s).TimedOut = true, want false", tt.event)
			}
			if tt.wantPayload != "" && string(got.Payload) != tt.wantPayload {
				t.Errorf("Invoke(%s).Payload = %s, want %s", tt.event, got.Payload, tt.wantPayload)
			}
			if tt.wantFnError {
				msg, typ := errorFields(t, got.Payload)
				if tt.wantType != "" && typ != tt.wantType {
					t.Errorf("Invoke(%s) errorType = %q, want %q", tt.event, typ, tt.wantType)
				}
				if !strings.Contains(msg, tt.wantMessage) {
					t.Errorf("Invoke(%s) errorMessage = %q, want it to contain %q", tt.event, msg, tt.wantMessage)
				}
			}
		})
	}
}

func TestInvokeRejectsInvalidJSON(t *testing.T) {
	in := start(t, echoFunction(nil))
	_, err := in.Invoke(t.Context(), []byte(`{"a":`))
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("Invoke(invalid JSON) error = %v, want one saying it is not valid JSON", err)
	}
	// The instance still works.
	if got, err := in.Invoke(t.Context(), []byte(`{"ok":true}`)); err != nil || string(got.Payload) != `{"ok":true}` {
		t.Errorf("Invoke() after invalid JSON = %s, %v; want {\"ok\":true}, nil", got.Payload, err)
	}
}

func TestInvokeRefusesTooLargeEvents(t *testing.T) {
	in := start(t, echoFunction(nil))
	tests := []struct {
		name    string
		size    int
		wantErr bool
	}{
		{name: "at the limit", size: MaxEventSize},
		{name: "one byte over", size: MaxEventSize + 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A JSON string of tt.size bytes.
			event := []byte(`"` + strings.Repeat("x", tt.size-2) + `"`)
			got, err := in.Invoke(t.Context(), event)
			if !tt.wantErr {
				if err != nil || got.FunctionError || len(got.Payload) != tt.size {
					t.Errorf("Invoke(%d bytes) = %d bytes, function error %v, %v; want the event back", tt.size, len(got.Payload), got.FunctionError, err)
				}
				return
			}
			var tooLarge *TooLargeError
			if !errors.As(err, &tooLarge) || tooLarge.Size != tt.size {
				t.Fatalf("Invoke(%d bytes) error = %v, want a *TooLargeError of that size", tt.size, err)
			}
			for _, want := range []string{"RequestTooLargeException", "6291456-byte limit", fmt.Sprint(tt.size)} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Invoke(%d bytes) error = %q, want it to contain %q", tt.size, err, want)
				}
			}
		})
	}
}

func TestLogLevel(t *testing.T) {
	tests := []struct {
		level    string
		want     []string // parts of the logs
		wantNone []string // what the logs must not contain
	}{
		{level: "", want: []string{"stdout: level", "START RequestId", "[WARNING]"}},
		{level: "info", want: []string{"stdout: level", "[INFO]", "[WARNING]"}},
		{level: QuietLogLevel, want: []string{"stdout: level", "stderr: level", "START RequestId", "REPORT RequestId"}, wantNone: []string{"[INFO]", "[WARNING]", "[ERROR]"}},
	}
	for _, tt := range tests {
		t.Run("level "+tt.level, func(t *testing.T) {
			logs := &syncio.Buffer{}
			f := echoFunction(logs)
			f.LogLevel = tt.level
			in := start(t, f)
			// An exit makes the emulator warn and log errors.
			for _, event := range []string{`{"log":"level"}`, `{"exit":3}`} {
				if _, err := in.Invoke(t.Context(), []byte(event)); err != nil {
					t.Fatalf("Invoke(%s) error: %v", event, err)
				}
			}
			if err := in.Close(); err != nil {
				t.Fatalf("Close() error: %v", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("logs = %q, want them to contain %q", logs.String(), want)
				}
			}
			for _, bad := range tt.wantNone {
				if strings.Contains(logs.String(), bad) {
					t.Errorf("logs = %q, want no %q", logs.String(), bad)
				}
			}
		})
	}
}

func TestLogsStayOutOfTheResponse(t *testing.T) {
	logs := &syncio.Buffer{}
	in := start(t, echoFunction(logs))
	event := `{"log":"marker-42"}`
	got, err := in.Invoke(t.Context(), []byte(event))
	if err != nil {
		t.Fatalf("Invoke() error: %v", err)
	}
	if string(got.Payload) != event {
		t.Errorf("Invoke().Payload = %s, want %s", got.Payload, event)
	}
	if err := in.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	for _, want := range []string{"stdout: marker-42", "stderr: marker-42", "START RequestId", "REPORT RequestId"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs = %q, want them to contain %q", logs.String(), want)
		}
	}
}

func TestEnvironment(t *testing.T) {
	// Make the parent environment known, whatever the machine running the
	// tests has.
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("RIE_TEST_PARENT", "from-parent")
	t.Setenv("AWS_LAMBDA_MAX_CONCURRENCY", "4")
	keys := []string{
		"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_TIMEOUT",
		"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_REGION", "AWS_DEFAULT_REGION",
		"LAMBDA_TASK_ROOT", "RIE_TEST_PARENT", "RIE_TEST_OWN", "AWS_LAMBDA_MAX_CONCURRENCY",
		"RIE_TEST_FILE", "RIE_TEST_EMPTIED",
	}
	tests := []struct {
		name         string
		parentRegion string
		parent       map[string]string // more variables of the calling process
		fn           func(*Function)
		want         map[string]string // "<unset>" for unset
	}{
		{
			name: "defaults",
			fn:   func(*Function) {},
			want: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME":        "echo",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
				"AWS_LAMBDA_FUNCTION_TIMEOUT":     "3",
				"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
				"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/echo",
				"AWS_REGION":                      "us-east-1",
				"AWS_DEFAULT_REGION":              "us-east-1",
				"LAMBDA_TASK_ROOT":                filepath.Dir(echoPath),
				"RIE_TEST_PARENT":                 "from-parent",
				"RIE_TEST_OWN":                    "<unset>",
				"AWS_LAMBDA_MAX_CONCURRENCY":      "<unset>",
			},
		},
		{
			name: "configured",
			fn: func(f *Function) {
				f.Name = "pre-sign-up"
				f.MemoryMB = 512
				f.Timeout = 7 * time.Second
				f.Env = []string{"RIE_TEST_OWN=own", "RIE_TEST_PARENT=overridden", "AWS_REGION=eu-west-1"}
			},
			want: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME":        "pre-sign-up",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
				"AWS_LAMBDA_FUNCTION_TIMEOUT":     "7",
				"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/pre-sign-up",
				"AWS_REGION":                      "eu-west-1",
				"AWS_DEFAULT_REGION":              "eu-west-1",
				"RIE_TEST_PARENT":                 "overridden",
				"RIE_TEST_OWN":                    "own",
			},
		},
		{
			name:         "region of the parent",
			parentRegion: "ap-south-1",
			fn:           func(*Function) {},
			want:         map[string]string{"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "ap-south-1"},
		},
		{
			name:   "the calling process wins over EnvDefaults",
			parent: map[string]string{"RIE_TEST_EMPTIED": ""},
			fn: func(f *Function) {
				f.EnvDefaults = []string{"RIE_TEST_PARENT=from-file", "RIE_TEST_FILE=from-file", "RIE_TEST_EMPTIED=from-file", "AWS_REGION=eu-north-1"}
			},
			want: map[string]string{
				"RIE_TEST_PARENT":  "from-parent",
				"RIE_TEST_FILE":    "from-file",
				"RIE_TEST_EMPTIED": "",
				"AWS_REGION":       "eu-north-1",
			},
		},
		{
			name:         "region of the parent over EnvDefaults",
			parentRegion: "ap-south-1",
			fn:           func(f *Function) { f.EnvDefaults = []string{"AWS_REGION=eu-north-1"} },
			want:         map[string]string{"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "ap-south-1"},
		},
		{
			name: "EnvDefaults over the Lambda variables, Env over all",
			fn: func(f *Function) {
				f.EnvDefaults = []string{"AWS_LAMBDA_FUNCTION_NAME=renamed", "RIE_TEST_PARENT=from-file", "RIE_TEST_OWN=from-file"}
				f.Env = []string{"RIE_TEST_PARENT=from-env", "RIE_TEST_OWN=from-env"}
			},
			want: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME": "renamed",
				"RIE_TEST_PARENT":          "from-env",
				"RIE_TEST_OWN":             "from-env",
			},
		},
		{
			name:   "the calling process cannot change the Lambda variables",
			parent: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "from-parent", "LAMBDA_TASK_ROOT": "/elsewhere"},
			fn:     func(*Function) {},
			want: map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME": "echo",
				"LAMBDA_TASK_ROOT":         filepath.Dir(echoPath),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.parentRegion != "" {
				t.Setenv("AWS_REGION", tt.parentRegion)
			}
			for k, v := range tt.parent {
				t.Setenv(k, v)
			}
			f := echoFunction(nil)
			tt.fn(&f)
			in := start(t, f)
			event, err := json.Marshal(map[string]any{"getenv": keys})
			if err != nil {
				t.Fatal(err)
			}
			res, err := in.Invoke(t.Context(), event)
			if err != nil {
				t.Fatalf("Invoke() error: %v", err)
			}
			var got struct{ Env map[string]*string }
			if err := json.Unmarshal(res.Payload, &got); err != nil {
				t.Fatalf("Invoke() payload %s: %v", res.Payload, err)
			}
			for k, want := range tt.want {
				v := "<unset>"
				if p := got.Env[k]; p != nil {
					v = *p
				}
				if v != want {
					t.Errorf("function sees %s=%q, want %q", k, v, want)
				}
			}
		})
	}
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notExec := script("not-executable", "#!/bin/sh\n", 0o644)
	dying := script("dying-emulator", "#!/bin/sh\necho boom: cannot emulate >&2\nexit 3\n", 0o755)
	deaf := script("deaf-emulator", "#!/bin/sh\nexec sleep 30\n", 0o755)
	missing := filepath.Join(dir, "missing", "bootstrap")

	tests := []struct {
		name string
		fn   func(*Function)
		ctx  time.Duration // Start's deadline, if not zero
		want []string      // parts of the error
	}{
		{name: "missing bootstrap", fn: func(f *Function) { f.Bootstrap = missing }, want: []string{missing, "does not exist"}},
		{name: "empty bootstrap", fn: func(f *Function) { f.Bootstrap = "" }, want: []string{"no bootstrap"}},
		{name: "bootstrap not executable", fn: func(f *Function) { f.Bootstrap = notExec }, want: []string{notExec, "chmod +x"}},
		{name: "bootstrap is a directory", fn: func(f *Function) { f.Bootstrap = dir }, want: []string{dir, "not a regular file"}},
		{name: "missing emulator", fn: func(f *Function) { f.Emulator = missing }, want: []string{"emulator", missing, "go build"}},
		{name: "no emulator", fn: func(f *Function) { f.Emulator = "" }, want: []string{"no emulator"}},
		{name: "bad name", fn: func(f *Function) { f.Name = "no spaces" }, want: []string{`"no spaces"`, "not valid"}},
		{name: "fractional timeout", fn: func(f *Function) { f.Timeout = 1500 * time.Millisecond }, want: []string{"1.5s", "whole seconds"}},
		{name: "timeout too long", fn: func(f *Function) { f.Timeout = time.Hour }, want: []string{"1h0m0s", "whole seconds"}},
		{name: "bad memory", fn: func(f *Function) { f.MemoryMB = 64 }, want: []string{"64 MB"}},
		{name: "bad env", fn: func(f *Function) { f.Env = []string{"NOEQUALS"} }, want: []string{`"NOEQUALS"`, "KEY=value"}},
		{name: "bad env defaults", fn: func(f *Function) { f.EnvDefaults = []string{"=x"} }, want: []string{`"=x"`, "KEY=value"}},
		{name: "emulator dies", fn: func(f *Function) { f.Emulator = dying }, want: []string{echoPath, "exited before", "boom: cannot emulate"}},
		{name: "emulator never listens", fn: func(f *Function) { f.Emulator = deaf }, ctx: 300 * time.Millisecond, want: []string{echoPath, "did not accept connections"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := echoFunction(nil)
			tt.fn(&f)
			ctx := t.Context()
			if tt.ctx != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctx)
				defer cancel()
			}
			in, err := f.Start(ctx)
			if err == nil {
				in.Close()
				t.Fatalf("Start() succeeded, want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Start() error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestBootstrapThatCannotStart(t *testing.T) {
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(bootstrap, []byte("#!/bin/sh\necho cannot start >&2\nexit 7\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	logs := &syncio.Buffer{}
	f := echoFunction(logs)
	f.Bootstrap = bootstrap
	in := start(t, f)
	got, err := in.Invoke(t.Context(), []byte(`{}`))
	if err != nil {
		t.Fatalf("Invoke() error: %v", err)
	}
	if !got.FunctionError {
		t.Errorf("Invoke().FunctionError = false, want true (payload %s)", got.Payload)
	}
	if _, typ := errorFields(t, got.Payload); typ != "Runtime.ExitError" {
		t.Errorf("Invoke() errorType = %q, want %q", typ, "Runtime.ExitError")
	}
	in.Close()
	if !strings.Contains(logs.String(), "cannot start") {
		t.Errorf("logs = %q, want them to contain the bootstrap's output %q", logs.String(), "cannot start")
	}
}

func TestTimeout(t *testing.T) {
	f := echoFunction(nil)
	f.Timeout = time.Second
	in := start(t, f)
	begin := time.Now()
	got, err := in.Invoke(t.Context(), []byte(`{"sleep":"10s"}`))
	if err != nil {
		t.Fatalf("Invoke() error: %v", err)
	}
	if took := time.Since(begin); took > 4*time.Second {
		t.Errorf("Invoke() took %v, want about the 1s timeout", took)
	}
	if !got.TimedOut || !got.FunctionError {
		t.Errorf("Invoke() = {TimedOut: %v, FunctionError: %v}, want both true", got.TimedOut, got.FunctionError)
	}
	msg, typ := errorFields(t, got.Payload)
	if typ != "Sandbox.Timedout" || !strings.Contains(msg, "timed out after 1.00 seconds") {
		t.Errorf("Invoke() error = %q (%s), want a Sandbox.Timedout after 1.00 seconds", msg, typ)
	}
	// The emulator starts a fresh bootstrap for the next invocation.
	got, err = in.Invoke(t.Context(), []byte(`{"next":true}`))
	if err != nil || string(got.Payload) != `{"next":true}` {
		t.Errorf("Invoke() after a timeout = %s, %v; want {\"next\":true}, nil", got.Payload, err)
	}
}

func TestConcurrentInvokesAreSerialized(t *testing.T) {
	in := start(t, echoFunction(nil))
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			event := fmt.Sprintf(`{"i":%d,"sleep":"20ms"}`, i)
			got, err := in.Invoke(t.Context(), []byte(event))
			switch {
			case err != nil:
				errs <- fmt.Errorf("Invoke(%s) error: %v", event, err)
			case string(got.Payload) != event:
				errs <- fmt.Errorf("Invoke(%s).Payload = %s, want %s", event, got.Payload, event)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestInvokeGivesUpWithContext(t *testing.T) {
	in := start(t, echoFunction(nil))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	_, err := in.Invoke(ctx, []byte(`{"sleep":"1s"}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke() error = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(begin); took > 800*time.Millisecond {
		t.Errorf("Invoke() returned after %v, want right after its context ended", took)
	}
	// The next invocation waits for the abandoned one rather than crashing
	// the emulator.
	got, err := in.Invoke(t.Context(), []byte(`{"after":1}`))
	if err != nil || string(got.Payload) != `{"after":1}` {
		t.Errorf("Invoke() after an abandoned one = %s, %v; want {\"after\":1}, nil", got.Payload, err)
	}
	if took := time.Since(begin); took < time.Second {
		t.Errorf("second Invoke() finished %v after the first began, want after the first's 1s sleep", took)
	}
}

// awaitLog waits until logs contain s.
func awaitLog(t *testing.T, logs *syncio.Buffer, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("logs = %q, want them to contain %q", logs.String(), s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sleepingInstance starts the echo function, makes it sleep in an invocation
// and returns the emulator's pid, the processes it started and the
// invocation's error, available once it returns.
func sleepingInstance(t *testing.T) (in *Instance, emulator int, children []proc, invokeErr <-chan error) {
	t.Helper()
	logs := &syncio.Buffer{}
	f := echoFunction(logs)
	f.Timeout = 60 * time.Second
	in = start(t, f)
	errc := make(chan error, 1)
	go func() {
		_, err := in.Invoke(context.Background(), []byte(`{"log":"sleeping","sleep":"60s"}`))
		errc <- err
	}()
	awaitLog(t, logs, "stdout: sleeping")
	emulator = in.cmd.Process.Pid
	procs, err := snapshot("")
	if err != nil {
		t.Fatalf("snapshot() error: %v", err)
	}
	children = family(procs, emulator)
	if len(children) == 0 {
		t.Fatalf("found no process started by the emulator (pid %d)", emulator)
	}
	for _, c := range children {
		if c.pgid == emulator {
			t.Logf("process %d shares the emulator's process group", c.pid)
		}
	}
	return in, emulator, children, errc
}

// assertGone fails unless every process of procs, and of their process
// groups, is gone.
func assertGone(t *testing.T, procs []proc) {
	t.Helper()
	now, err := snapshot("")
	if err != nil {
		t.Fatalf("snapshot() error: %v", err)
	}
	pids, groups := map[int]bool{}, map[int]bool{}
	for _, p := range procs {
		pids[p.pid], groups[p.pgid] = true, true
	}
	for _, p := range now {
		if !p.zombie && (pids[p.pid] || groups[p.pgid]) {
			t.Errorf("process %d (group %d) still runs", p.pid, p.pgid)
		}
	}
}

func TestCloseStopsEverything(t *testing.T) {
	in, emulator, children, invokeErr := sleepingInstance(t)
	addr := strings.TrimPrefix(in.url, "http://")
	addr = addr[:strings.Index(addr, "/")]
	begin := time.Now()
	if err := in.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	if took := time.Since(begin); took > 3*time.Second {
		t.Errorf("Close() took %v, want well under 3s", took)
	}
	if err := <-invokeErr; err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Invoke() in flight during Close() error = %v, want one saying the instance is closed", err)
	}
	assertGone(t, append(children, proc{pid: emulator, pgid: emulator}))
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after Close()", addr)
	}
}

func TestCloseAfterEmulatorCrash(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("finding orphaned bootstraps needs Linux's /proc")
	}
	in, emulator, children, invokeErr := sleepingInstance(t)
	// Kill the emulator alone: its bootstrap, in another process group,
	// survives it and is adopted by another process.
	if err := in.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-invokeErr; err == nil {
		t.Errorf("Invoke() in flight when the emulator died succeeded, want an error")
	}
	if _, err := in.Invoke(t.Context(), []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "start a new") {
		t.Errorf("Invoke() after the emulator died error = %v, want one saying to start a new instance", err)
	}
	if err := in.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	assertGone(t, append(children, proc{pid: emulator, pgid: emulator}))
}

func TestCloseTwice(t *testing.T) {
	in, err := echoFunction(nil).Start(t.Context())
	if err != nil {
		t.Fatalf("Start() error: %v", err)
	}
	if _, err := in.Invoke(t.Context(), []byte(`{}`)); err != nil {
		t.Fatalf("Invoke() error: %v", err)
	}
	for i := range 2 {
		if err := in.Close(); err != nil {
			t.Errorf("Close() call %d error: %v", i+1, err)
		}
	}
	if _, err := in.Invoke(t.Context(), []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Invoke() after Close() error = %v, want one saying the instance is closed", err)
	}
}

func TestIsErrorPayload(t *testing.T) {
	tests := []struct {
		payload string
		want    bool
	}{
		{`{"errorMessage":"m","errorType":"t"}`, true},
		{`{"errorType":"t","errorMessage":"m","stackTrace":[]}`, true},
		{`{"errorType":"Error","errorMessage":"m","trace":["at x"]}`, true},
		{`{"errorMessage":"m","errorType":"t","requestId":"r","stackTrace":[]}`, true},
		{` {"errorMessage":null,"errorType":"t"} `, true},
		{`{"errorMessage":"m"}`, false},
		{`{"errorType":"t"}`, false},
		{`{"errorMessage":"m","errorType":"t","response":{}}`, false},
		{`{"userName":"alice"}`, false},
		{`[{"errorMessage":"m","errorType":"t"}]`, false},
		{`"errorMessage"`, false},
		{`Task timed out after 3.00 seconds`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := IsErrorPayload([]byte(tt.payload)); got != tt.want {
			t.Errorf("IsErrorPayload(%s) = %v, want %v", tt.payload, got, tt.want)
		}
	}
}
