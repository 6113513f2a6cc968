// Package rie runs a real AWS Lambda bootstrap locally, without Docker, under
// the AWS Lambda Runtime Interface Emulator (aws-lambda-rie), and invokes it.
//
// A [Function] describes the bootstrap (a Lambda "provided" runtime
// executable, such as a Go binary built with github.com/aws/aws-lambda-go),
// the emulator binary and the Lambda configuration to emulate. [Function.Start]
// launches the emulator on free ports of 127.0.0.1 and returns an [Instance]
// whose [Instance.Invoke] sends one event to the function and returns its
// response. [Instance.Close] stops the emulator and the bootstrap.
//
// The emulator serves one invocation at a time and crashes when given two, so
// an Instance serializes its invocations; run several instances to invoke a
// function in parallel.
//
// The emulator starts the bootstrap lazily, on the first invocation, and
// restarts it after a crash or a timeout, like Lambda starts a new execution
// environment.
//
// The emulator runs in a process group of its own, and starts the bootstrap
// in another one, so neither sees a Ctrl-C meant for the caller: the caller
// must call Close, which kills both. On Linux, should the calling process die
// without calling Close, the emulator receives SIGTERM and stops the
// bootstrap itself. The package needs a Unix system; it is tested on Linux.
package rie

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// DefaultTimeout is the function timeout used when Function.Timeout is
	// zero. It is Lambda's default.
	DefaultTimeout = 3 * time.Second
	// MaxTimeout is the longest function timeout Lambda allows.
	MaxTimeout = 900 * time.Second
	// DefaultMemoryMB is the memory size reported to the function when
	// Function.MemoryMB is zero. It is Lambda's default.
	DefaultMemoryMB = 128
	// DefaultRegion is the region given to the function when neither
	// Function.Env nor the parent environment sets one.
	DefaultRegion = "us-east-1"
	// DefaultLogLevel is the emulator's own log level when Function.LogLevel
	// is empty. It hides the emulator's per-invocation INFO lines but keeps
	// its warnings, such as timeouts and crashes.
	DefaultLogLevel = "warn"
	// QuietLogLevel is the emulator's log level that hides its WARNING,
	// ERROR and INFO lines: only the function's own log lines and the START,
	// END and REPORT lines remain, and the emulator's fatal errors, which
	// Start reports.
	QuietLogLevel = "fatal"
	// MaxEventSize is the largest event Lambda accepts for a synchronous
	// invocation, in bytes: 6 MB. Invoke refuses larger ones, as Lambda does,
	// with a RequestTooLargeException.
	MaxEventSize = 6 << 20

	// MarkerEnv names the environment variable, holding a random id per
	// Instance, that the emulator and the bootstrap receive. Close uses it to
	// find a bootstrap that outlived a crashed emulator.
	MarkerEnv = "COGNITRIG_RIE_INSTANCE"
)

// The emulator serves only this function name in its invoke path.
const invokePath = "/2015-03-31/functions/function/invocations"

// startLimit bounds how long Start waits for the emulator to accept
// connections, whatever the deadline of its context. The emulator normally
// listens within a few tens of milliseconds.
const startLimit = 20 * time.Second

// invokeGrace is how long Invoke waits for the emulator beyond the function
// timeout, which the emulator enforces itself.
const invokeGrace = 10 * time.Second

// maxResponse bounds how much of a response Invoke reads. Lambda's own limit
// for a synchronous response is 6 MB.
const maxResponse = 64 << 20

// functionName matches the names Lambda accepts.
var functionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// timedOut matches the plain-text answer of the emulator to a timed-out
// invocation, such as "Task timed out after 3.00 seconds".
var timedOut = regexp.MustCompile(`^Task timed out after [0-9.]+ seconds$`)

// Function describes one Lambda function to run under the emulator.
//
// The bootstrap's environment is built from four sources. In increasing
// order of precedence:
//
//  1. the Lambda variables below;
//  2. EnvDefaults, such as the settings of an invoke.env file;
//  3. the environment of the calling process, so that your shell wins over a
//     settings file, and settings such as AWS_ENDPOINT_URL, AWS_PROFILE and
//     AWS credentials reach the function, as they do under `sam local
//     invoke`. A variable set to the empty string (APP_NAME=) wins too: it
//     empties what EnvDefaults gives. The calling process cannot change the
//     Lambda variables other than the region: its own AWS_LAMBDA_* values
//     are replaced;
//  4. Env, which overrides everything.
//
// The Lambda variables:
//
//	AWS_LAMBDA_FUNCTION_NAME         Name
//	AWS_LAMBDA_FUNCTION_VERSION      $LATEST
//	AWS_LAMBDA_FUNCTION_MEMORY_SIZE  MemoryMB
//	AWS_LAMBDA_FUNCTION_TIMEOUT      Timeout, in seconds
//	AWS_LAMBDA_LOG_GROUP_NAME        /aws/lambda/Name
//	AWS_REGION, AWS_DEFAULT_REGION   from Env, else the calling process, else EnvDefaults, else us-east-1
//	LAMBDA_TASK_ROOT                 the directory holding Bootstrap
//	COGNITRIG_RIE_INSTANCE           a random id (see MarkerEnv), which nothing overrides
//
// The emulator adds AWS_LAMBDA_RUNTIME_API and, when they are unset,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN as empty
// strings. AWS_LAMBDA_MAX_CONCURRENCY is dropped from the calling process's
// environment because it switches the emulator into another mode.
type Function struct {
	// Name is the function's name, as Lambda would know it. Required.
	Name string
	// Bootstrap is the path of the function's executable. It runs with the
	// directory holding it as its working directory. Required.
	Bootstrap string
	// Emulator is the path of the aws-lambda-rie executable, or a name to
	// look up in PATH. Required.
	Emulator string
	// Env holds extra KEY=value environment variables for the function. They
	// override every other source.
	Env []string
	// EnvDefaults holds KEY=value environment variables for the function
	// that the calling process's environment overrides, such as the
	// settings of a file. They override the Lambda variables.
	EnvDefaults []string
	// Timeout is the function timeout: a whole number of seconds between 1s
	// and MaxTimeout. Zero means DefaultTimeout. It covers the bootstrap's
	// start-up (Lambda's init phase) and the invocation together.
	Timeout time.Duration
	// MemoryMB is the memory size reported to the function. It is not
	// enforced. Zero means DefaultMemoryMB.
	MemoryMB int
	// Logs receives the function's log output (its stdout and stderr) mixed
	// with the emulator's own lines, such as START, END and REPORT. Nil
	// discards them. Logs is written from one goroutine at a time, and never
	// after Close returns. A Logs that fails is no longer written to.
	Logs io.Writer
	// LogLevel is the emulator's own log level: debug, info, warn, error or
	// QuietLogLevel. Empty means DefaultLogLevel. It does not change the
	// function's own log lines, nor the START, END and REPORT lines.
	LogLevel string
}

// Result is the outcome of one invocation.
type Result struct {
	// Payload is the function's response: what it returned, normally JSON,
	// or, when FunctionError is set, a JSON error object with the fields
	// errorMessage and errorType (and sometimes stackTrace).
	Payload []byte
	// FunctionError reports that the function failed: it returned an error,
	// panicked, exited, could not start or timed out. Lambda reports these
	// with the X-Amz-Function-Error response header, which the emulator does
	// not set; Invoke recognizes them from the payload instead. When the
	// emulator gives no error object (on a timeout, or when the bootstrap
	// dies before answering), Invoke writes one, with the errorType
	// "Sandbox.Timedout" or "Runtime.ExitError".
	FunctionError bool
	// TimedOut reports that the function ran past its timeout and was
	// stopped. FunctionError is then set too.
	TimedOut bool
}

// Instance is one running emulator serving one Function. Its methods are safe
// for concurrent use.
type Instance struct {
	fn       Function
	url      string
	timeout  time.Duration
	marker   string
	client   *http.Client
	cmd      *exec.Cmd
	logs     *logSink
	logsRead *os.File

	// exited is closed once the emulator process has exited; exitErr, then
	// set, holds what cmd.Wait returned.
	exited  chan struct{}
	exitErr error
	// logsDone is closed once the emulator's output is drained.
	logsDone chan struct{}

	// closing is closed when Close starts; it aborts in-flight requests to
	// the emulator.
	closing chan struct{}

	// turn holds a token while an invocation is in flight: the emulator
	// crashes on concurrent invocations.
	turn chan struct{}
	// requests counts the goroutines talking to the emulator.
	requests sync.WaitGroup

	mu     sync.Mutex
	broken error // why the instance can no longer invoke, if it cannot
	// invoked is set once an invocation reached the emulator, which then
	// started the bootstrap.
	invoked atomic.Bool

	closeOnce sync.Once
	closeErr  error
}

// Start checks f, starts the emulator for it and waits, within ctx, until the
// emulator accepts invocations. The returned Instance keeps running after ctx
// ends; stop it with Close.
func (f Function) Start(ctx context.Context) (*Instance, error) {
	if err := supported(); err != nil {
		return nil, err
	}
	fn, timeout, err := f.checked()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, startLimit)
	defer cancel()
	// Start picks its ports by opening and closing a listener, so another
	// process may take one before the emulator binds it; retry then.
	const attempts = 3
	for i := 1; ; i++ {
		in, err := fn.start(ctx, timeout)
		if err == nil {
			return in, nil
		}
		if i == attempts || !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
}

// checked returns f with defaults filled in and paths made absolute, or an
// error saying what is wrong with it.
func (f Function) checked() (Function, time.Duration, error) {
	if !functionName.MatchString(f.Name) {
		return f, 0, fmt.Errorf("rie: function name %q is not valid: use 1 to 64 letters, digits, hyphens or underscores", f.Name)
	}
	if f.Bootstrap == "" {
		return f, 0, fmt.Errorf("rie: function %s has no bootstrap: set Function.Bootstrap to the path of its executable", f.Name)
	}
	abs, err := filepath.Abs(f.Bootstrap)
	if err != nil {
		return f, 0, fmt.Errorf("rie: cannot resolve bootstrap path %s: %w", f.Bootstrap, err)
	}
	f.Bootstrap = abs
	fi, err := os.Stat(f.Bootstrap)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return f, 0, fmt.Errorf("rie: bootstrap %s does not exist: build the function first, or fix the path", f.Bootstrap)
	case err != nil:
		return f, 0, fmt.Errorf("rie: cannot use bootstrap %s: %w", f.Bootstrap, err)
	case !fi.Mode().IsRegular():
		return f, 0, fmt.Errorf("rie: bootstrap %s is not a regular file: point Function.Bootstrap at the function's executable", f.Bootstrap)
	case fi.Mode().Perm()&0o111 == 0:
		return f, 0, fmt.Errorf("rie: bootstrap %s is not executable: run chmod +x on it, or rebuild it", f.Bootstrap)
	}
	if f.Emulator == "" {
		return f, 0, errors.New("rie: no emulator given: set Function.Emulator to the path of aws-lambda-rie (go build github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie)")
	}
	emulator, err := exec.LookPath(f.Emulator)
	if err != nil {
		return f, 0, fmt.Errorf("rie: emulator %s is missing or not executable (%v): build it with go build -o %s github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie", f.Emulator, err, f.Emulator)
	}
	if f.Emulator, err = filepath.Abs(emulator); err != nil {
		return f, 0, fmt.Errorf("rie: cannot resolve emulator path %s: %w", emulator, err)
	}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if timeout < time.Second || timeout > MaxTimeout || timeout%time.Second != 0 {
		return f, 0, fmt.Errorf("rie: timeout %v of function %s is not valid: Lambda timeouts are whole seconds from 1s to %v", f.Timeout, f.Name, MaxTimeout)
	}
	if f.MemoryMB == 0 {
		f.MemoryMB = DefaultMemoryMB
	}
	if f.MemoryMB < 128 || f.MemoryMB > 10240 {
		return f, 0, fmt.Errorf("rie: memory size %d MB of function %s is not valid: Lambda allows 128 to 10240 MB", f.MemoryMB, f.Name)
	}
	if f.LogLevel == "" {
		f.LogLevel = DefaultLogLevel
	}
	for _, env := range [][]string{f.Env, f.EnvDefaults} {
		for _, kv := range env {
			if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
				return f, 0, fmt.Errorf("rie: environment entry %q of function %s is not KEY=value", kv, f.Name)
			}
		}
	}
	if f.Logs == nil {
		f.Logs = io.Discard
	}
	return f, timeout, nil
}

// errPortTaken marks a start that failed because a port was taken.
var errPortTaken = errors.New("port already in use")

// start starts the emulator once, on fresh ports.
func (f Function) start(ctx context.Context, timeout time.Duration) (_ *Instance, err error) {
	invokeAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	runtimeAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	marker, err := newMarker()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(f.Emulator,
		"--log-level", f.LogLevel,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		f.Bootstrap)
	// The emulator runs the bootstrap in its own working directory.
	cmd.Dir = filepath.Dir(f.Bootstrap)
	cmd.Env = f.environ(os.Environ(), timeout, marker)
	configure(cmd)

	// Give the emulator the write end of a pipe rather than an io.Writer, so
	// that exec passes it on as is: cmd.Wait then returns when the emulator
	// exits, even if the bootstrap, which inherits the pipe, still runs.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("rie: cannot create a pipe for the logs of function %s: %w", f.Name, err)
	}
	cmd.Stdout = w
	cmd.Stderr = w
	// The emulator also gets the read end, which it leaves alone: should
	// this process die without calling Close, the pipe then does not break,
	// and the emulator, instead of dying of SIGPIPE when it logs the SIGTERM
	// that configure arranges for it, stops the bootstrap before it exits.
	cmd.ExtraFiles = []*os.File{r}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("rie: cannot start emulator %s for function %s: %w", f.Emulator, f.Name, err)
	}
	w.Close()

	in := &Instance{
		fn:       f,
		url:      "http://" + invokeAddr + invokePath,
		timeout:  timeout,
		marker:   marker,
		client:   &http.Client{Transport: &http.Transport{Proxy: nil}},
		cmd:      cmd,
		logs:     &logSink{w: f.Logs},
		logsRead: r,
		exited:   make(chan struct{}),
		logsDone: make(chan struct{}),
		closing:  make(chan struct{}),
		turn:     make(chan struct{}, 1),
	}
	go func() {
		defer close(in.logsDone)
		io.Copy(in.logs, r)
	}()
	go func() {
		in.exitErr = cmd.Wait()
		close(in.exited)
	}()
	defer func() {
		if err != nil {
			in.Close()
		}
	}()
	if err := in.awaitReady(ctx, invokeAddr, runtimeAddr); err != nil {
		return nil, err
	}
	return in, nil
}

// environ returns the environment of the emulator, which passes it on to the
// bootstrap, in the order documented on Function.
func (f Function) environ(parent []string, timeout time.Duration, marker string) []string {
	lookup := func(env []string, key string) string {
		v := ""
		for _, kv := range env {
			if k, val, _ := strings.Cut(kv, "="); k == key {
				v = val
			}
		}
		return v
	}
	region := DefaultRegion
	for _, r := range []string{
		lookup(f.Env, "AWS_REGION"), lookup(f.Env, "AWS_DEFAULT_REGION"),
		lookup(parent, "AWS_REGION"), lookup(parent, "AWS_DEFAULT_REGION"),
		lookup(f.EnvDefaults, "AWS_REGION"), lookup(f.EnvDefaults, "AWS_DEFAULT_REGION"),
	} {
		if r != "" {
			region = r
			break
		}
	}
	lambda := []string{
		"AWS_LAMBDA_FUNCTION_NAME=" + f.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(f.MemoryMB),
		"AWS_LAMBDA_FUNCTION_TIMEOUT=" + strconv.Itoa(int(timeout/time.Second)),
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + f.Name,
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"LAMBDA_TASK_ROOT=" + filepath.Dir(f.Bootstrap),
	}
	reserved := map[string]bool{"AWS_LAMBDA_MAX_CONCURRENCY": true, MarkerEnv: true}
	for _, kv := range lambda {
		k, _, _ := strings.Cut(kv, "=")
		reserved[k] = true
	}
	env := make([]string, 0, len(parent)+len(f.Env)+len(f.EnvDefaults)+len(lambda)+1)
	env = append(env, lambda...)
	// The parent's values win over EnvDefaults: they come after them, and
	// exec uses the last value of a key.
	fromParent := map[string]bool{}
	var own []string
	for _, kv := range parent {
		k, _, _ := strings.Cut(kv, "=")
		if reserved[k] {
			continue
		}
		fromParent[k] = true
		own = append(own, kv)
	}
	for _, kv := range f.EnvDefaults {
		k, _, _ := strings.Cut(kv, "=")
		if k == "AWS_REGION" || k == "AWS_DEFAULT_REGION" || k == MarkerEnv || fromParent[k] {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, own...)
	env = append(env, f.Env...)
	// The marker comes last so that Env cannot change it: exec uses the last
	// value of a key.
	return append(env, MarkerEnv+"="+marker)
}

// awaitReady waits until the emulator accepts connections on both its ports.
func (in *Instance) awaitReady(ctx context.Context, addrs ...string) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for _, addr := range addrs {
		for {
			var d net.Dialer
			dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			conn, err := d.DialContext(dctx, "tcp", addr)
			cancel()
			if err == nil {
				conn.Close()
				break
			}
			select {
			case <-in.exited:
				// Let the emulator's last words reach the tail.
				select {
				case <-in.logsDone:
				case <-time.After(time.Second):
				}
				tail := in.logs.tail()
				if strings.Contains(tail, "address already in use") {
					return fmt.Errorf("rie: emulator for function %s could not listen on %s (%w); its last output:\n%s",
						in.fn.Name, strings.Join(addrs, " and "), errPortTaken, tail)
				}
				return fmt.Errorf("rie: emulator for function %s (bootstrap %s) exited before accepting invocations (%v); its last output:\n%s",
					in.fn.Name, in.fn.Bootstrap, in.exitErr, tail)
			case <-ctx.Done():
				return fmt.Errorf("rie: emulator for function %s (bootstrap %s) did not accept connections on %s in time (%w); check that %s is aws-lambda-rie",
					in.fn.Name, in.fn.Bootstrap, addr, ctx.Err(), in.fn.Emulator)
			case <-tick.C:
			}
		}
	}
	// Catch an emulator that failed just after a stranger answered on its
	// port.
	select {
	case <-in.exited:
		return fmt.Errorf("rie: emulator for function %s (bootstrap %s) exited while starting (%v); its last output:\n%s",
			in.fn.Name, in.fn.Bootstrap, in.exitErr, in.logs.tail())
	default:
		return nil
	}
}

// Invoke sends payload, a JSON event, to the function and returns its
// response. An empty payload is sent as {}, as Lambda does. A payload over
// MaxEventSize is refused with a *TooLargeError, as Lambda refuses it.
//
// A function that fails gives a Result with FunctionError set and a nil
// error; Invoke returns an error only when the function could not be
// invoked. Invocations wait for each other. When ctx ends before the function
// answers, Invoke returns ctx's error at once, and the next invocation waits
// until the function has finished or timed out.
func (in *Instance) Invoke(ctx context.Context, payload []byte) (Result, error) {
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
	}
	if len(payload) > MaxEventSize {
		return Result{}, &TooLargeError{Size: len(payload)}
	}
	if !json.Valid(payload) {
		return Result{}, fmt.Errorf("rie: event for function %s is not valid JSON: Lambda accepts only JSON events", in.fn.Name)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("rie: not invoking function %s: %w", in.fn.Name, err)
	}
	select {
	case in.turn <- struct{}{}:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("rie: gave up waiting for an earlier invocation of function %s to finish: %w", in.fn.Name, ctx.Err())
	case <-in.closing:
		return Result{}, in.closedError()
	}
	if err := in.begin(); err != nil {
		<-in.turn
		return Result{}, err
	}

	type answer struct {
		res Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		defer in.requests.Done()
		defer func() { <-in.turn }()
		res, err := in.post(payload)
		if err != nil {
			in.setBroken(err)
		}
		in.invoked.Store(true)
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		return a.res, a.err
	case <-ctx.Done():
		return Result{}, fmt.Errorf("rie: stopped waiting for function %s: %w (it keeps running until it answers or times out after %v)", in.fn.Name, ctx.Err(), in.timeout)
	}
}

// TooLargeError is the error of an event over MaxEventSize: Lambda's
// RequestTooLargeException.
type TooLargeError struct {
	Size int // the event's size, in bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("RequestTooLargeException: the request payload is over Lambda's %d-byte limit (the event is %d bytes)", MaxEventSize, e.Size)
}

// post sends one invocation to the emulator and interprets its answer.
func (in *Instance) post(payload []byte) (Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), in.timeout+invokeGrace)
	defer cancel()
	go func() {
		select {
		case <-in.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.url, bytes.NewReader(payload))
	if err != nil {
		return Result{}, fmt.Errorf("rie: cannot build a request for function %s: %w", in.fn.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := in.client.Do(req)
	if err == nil {
		defer resp.Body.Close()
		var body []byte
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
		if err == nil && len(body) > maxResponse {
			return Result{}, fmt.Errorf("rie: response of function %s is larger than %d bytes: Lambda would reject it too", in.fn.Name, maxResponse)
		}
		if err == nil {
			return in.interpret(resp.StatusCode, body)
		}
	}
	if in.isClosing() {
		return Result{}, in.closedError()
	}
	if gone := in.exitedError(); gone != nil {
		return Result{}, gone
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return Result{}, fmt.Errorf("rie: emulator did not answer for function %s within its timeout of %v plus %v: it is probably stuck; close this instance and start a new one",
			in.fn.Name, in.timeout, invokeGrace)
	}
	return Result{}, fmt.Errorf("rie: invoking function %s failed: %w; close this instance and start a new one", in.fn.Name, err)
}

// interpret turns an answer of the emulator into a Result.
func (in *Instance) interpret(status int, body []byte) (Result, error) {
	switch {
	case status == http.StatusOK && timedOut.Match(body):
		return Result{
			Payload:       errorPayload(string(body), "Sandbox.Timedout"),
			FunctionError: true,
			TimedOut:      true,
		}, nil
	case status == http.StatusOK:
		return Result{Payload: body, FunctionError: IsErrorPayload(body)}, nil
	case status == http.StatusBadGateway:
		// The runtime reported an error and exited, or it died.
		switch {
		case IsErrorPayload(body):
			return Result{Payload: body, FunctionError: true}, nil
		case len(bytes.TrimSpace(body)) == 0:
			return Result{
				Payload:       errorPayload("the function's runtime exited or could not start before answering; its logs say why", "Runtime.ExitError"),
				FunctionError: true,
			}, nil
		default:
			return Result{Payload: errorPayload(string(body), "Runtime.Unknown"), FunctionError: true}, nil
		}
	default:
		return Result{}, fmt.Errorf("rie: emulator answered HTTP %d (%.200q) for function %s; its logs may say why; close this instance and start a new one",
			status, body, in.fn.Name)
	}
}

// errorPayload returns a Lambda error object.
func errorPayload(msg, typ string) []byte {
	b, err := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{msg, typ})
	if err != nil {
		panic(err) // Marshaling two strings cannot fail.
	}
	return b
}

// IsErrorPayload reports whether payload has the shape of a Lambda function
// error: a JSON object with the fields errorMessage and errorType and, beside
// them, only fields that runtimes add to errors (stackTrace; trace from
// Node.js; requestId from Python; cause from Java).
func IsErrorPayload(payload []byte) bool {
	var fields map[string]json.RawMessage
	if json.Unmarshal(payload, &fields) != nil {
		return false
	}
	if _, ok := fields["errorMessage"]; !ok {
		return false
	}
	if _, ok := fields["errorType"]; !ok {
		return false
	}
	for k := range fields {
		switch k {
		case "errorMessage", "errorType", "stackTrace", "trace", "requestId", "cause":
		default:
			return false
		}
	}
	return true
}

// Close stops the emulator and the bootstrap, waits for them to exit and
// releases their ports. Invocations in flight fail. Close may be called
// several times and from several goroutines; later calls return the first
// call's result.
func (in *Instance) Close() error {
	in.closeOnce.Do(func() {
		// Under mu, so that no invocation begins once Close waits for them.
		in.mu.Lock()
		close(in.closing)
		in.mu.Unlock()
		in.closeErr = in.stop()
		in.requests.Wait()
		in.client.CloseIdleConnections()
	})
	return in.closeErr
}

// stop kills the emulator, every process it started and any process carrying
// the instance's marker, and waits for them to be gone.
func (in *Instance) stop() error {
	var errs []error
	alive := true
	select {
	case <-in.exited:
		alive = false
	default:
	}
	err := killTree(in.cmd.Process.Pid, alive, in.marker)
	if err != nil {
		errs = append(errs, fmt.Errorf("rie: stopping function %s: %w", in.fn.Name, err))
	}
	select {
	case <-in.exited:
	case <-time.After(5 * time.Second):
		errs = append(errs, fmt.Errorf("rie: emulator for function %s (pid %d) did not exit after SIGKILL", in.fn.Name, in.cmd.Process.Pid))
	}
	// Every writer of the log pipe is gone now, unless a process escaped
	// killTree; stop reading then rather than hang.
	select {
	case <-in.logsDone:
	case <-time.After(2 * time.Second):
		in.logsRead.Close()
		<-in.logsDone
		errs = append(errs, fmt.Errorf("rie: a process started by function %s still holds its log pipe; look for leftover processes of %s", in.fn.Name, in.fn.Bootstrap))
	}
	in.logsRead.Close()
	return errors.Join(errs...)
}

// isClosing reports whether Close has started.
func (in *Instance) isClosing() bool {
	select {
	case <-in.closing:
		return true
	default:
		return false
	}
}

func (in *Instance) closedError() error {
	return fmt.Errorf("rie: instance of function %s is closed: start a new one", in.fn.Name)
}

// exitedError returns an error if the emulator has exited.
func (in *Instance) exitedError() error {
	select {
	case <-in.exited:
		return fmt.Errorf("rie: emulator for function %s exited unexpectedly (%v); its logs say why; start a new instance",
			in.fn.Name, in.exitErr)
	default:
		return nil
	}
}

// Err returns why the instance should take no more invocations: it is
// closed, its emulator exited or stopped answering, or the bootstrap it
// started has exited since (the emulator would fail the next invocation
// with Runtime.ExitError, where Lambda starts a new execution environment).
// It returns nil while the instance works. A caller that keeps a function
// running checks it before each invocation and replaces the instance it
// condemns, so that a crash costs at most the invocation in flight.
func (in *Instance) Err() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if err := in.unusable(); err != nil {
		return err
	}
	if in.bootstrapGone() {
		return fmt.Errorf("rie: the bootstrap of function %s exited between invocations; start a new instance", in.fn.Name)
	}
	return nil
}

// unusable is Err with in.mu held.
func (in *Instance) unusable() error {
	if in.isClosing() {
		return in.closedError()
	}
	if err := in.exitedError(); err != nil {
		return err
	}
	return in.broken
}

// begin registers an invocation about to talk to the emulator, or returns why
// the instance cannot invoke. Close waits for registered invocations.
func (in *Instance) begin() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if err := in.unusable(); err != nil {
		return err
	}
	in.requests.Add(1)
	return nil
}

func (in *Instance) setBroken(err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.broken == nil {
		in.broken = err
	}
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("rie: cannot find a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// newMarker returns a random instance id.
func newMarker() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("rie: cannot generate an instance id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// logSink forwards the emulator's output to the caller's writer and keeps the
// end of it for error messages. Only the copying goroutine writes to it.
type logSink struct {
	w      io.Writer
	failed bool

	mu   sync.Mutex
	last []byte
}

// tailSize is how much output logSink keeps.
const tailSize = 4 << 10

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.last = append(s.last, p...)
	if n := len(s.last); n > tailSize {
		s.last = append(s.last[:0], s.last[n-tailSize:]...)
	}
	s.mu.Unlock()
	// Keep draining the pipe even if the caller's writer fails: a full pipe
	// would block the emulator and the function.
	if !s.failed {
		if _, err := s.w.Write(p); err != nil {
			s.failed = true
		}
	}
	return len(p), nil
}

// tail returns the last output, indented for an error message.
func (s *logSink) tail() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := strings.TrimSpace(string(s.last))
	if t == "" {
		return "\t(no output)"
	}
	return "\t" + strings.ReplaceAll(t, "\n", "\n\t")
}
