package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/internal/runtimeapi"
)

// harness runs bootstraps and measures them.
type harness struct {
	starts, warmup, invocations int
	timeout, memoryTime         time.Duration
	functionTimeout             time.Duration
	env                         []string // -env settings
}

// outputTail is how many bytes of a bootstrap's output a failure quotes.
const outputTail = 2000

// memoryMB is the memory size reported to the functions: Lambda's default.
const memoryMB = 128

// sample is what one cold start measured.
type sample struct {
	init, firstInvoke, handler time.Duration
	startupConns               []connection
	firstError                 *runtimeapi.FunctionError
	errorLog                   string // the last line of output after a first error
	hwmKB                      int64
}

// instance is one running bootstrap with its Runtime API and its fake AWS
// endpoint.
type instance struct {
	fn      *function
	api     *runtimeapi.Server
	sink    *sink
	cmd     *exec.Cmd
	logs    *os.File
	started time.Time
	exited  chan struct{} // closed once the process is reaped
}

// launch starts fn's bootstrap with its event queued. The caller must call
// stop.
func (h *harness) launch(fn *function) (*instance, *runtimeapi.Pending, error) {
	in := &instance{fn: fn, exited: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			in.release()
		}
	}()
	var err error
	if in.api, err = runtimeapi.Start(runtimeapi.Options{Timeout: h.functionTimeout, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:" + fn.name}); err != nil {
		return nil, nil, err
	}
	if in.sink, err = listenSink(); err != nil {
		return nil, nil, err
	}
	// A file, not a pipe: no goroutine of ours copies the output while
	// the bootstrap starts.
	if in.logs, err = os.CreateTemp("", "coldstart-"+fn.name+"-*.log"); err != nil {
		return nil, nil, err
	}
	first, err := in.api.Enqueue(fn.event)
	if err != nil {
		return nil, nil, err
	}
	in.cmd = exec.Command(fn.bootstrap)
	in.cmd.Dir = filepath.Dir(fn.bootstrap)
	in.cmd.Env = h.environment(fn, in.api, in.sink)
	in.cmd.Stdout = in.logs
	in.cmd.Stderr = in.logs
	configure(in.cmd)

	in.started = time.Now()
	if err := in.cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("cannot start the bootstrap: %w", err)
	}
	go func() {
		in.api.Exited(in.cmd.Wait())
		close(in.exited)
	}()
	ok = true
	return in, first, nil
}

// environment returns fn's environment, in increasing precedence: the
// Lambda variables, invoke.env, the fake AWS settings, -env, and the
// Runtime API address.
func (h *harness) environment(fn *function, api *runtimeapi.Server, s *sink) []string {
	dir := filepath.Dir(fn.bootstrap)
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"LAMBDA_TASK_ROOT=" + dir,
		"LAMBDA_RUNTIME_DIR=" + dir,
		"AWS_LAMBDA_FUNCTION_NAME=" + fn.name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(memoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + fn.name,
		"AWS_LAMBDA_LOG_STREAM_NAME=coldstart",
	}
	env = append(env, fn.env...)
	env = append(env,
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIAFAKECOLDSTART000",
		"AWS_SECRET_ACCESS_KEY=fake-secret-of-coldstart",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_ENDPOINT_URL="+s.url(),
		// Go does not proxy requests to loopback addresses: only a
		// request for a host elsewhere reaches the sink this way.
		"HTTP_PROXY="+s.url(),
		"HTTPS_PROXY="+s.url(),
	)
	env = append(env, h.env...)
	return append(env, api.Env())
}

// stop kills the bootstrap and releases what launch made.
func (in *instance) stop() {
	kill(in.cmd)
	<-in.exited
	in.release()
}

// release closes the servers and removes the output file.
func (in *instance) release() {
	if in.api != nil {
		in.api.Close()
	}
	if in.sink != nil {
		in.sink.close()
	}
	if in.logs != nil {
		in.logs.Close()
		os.Remove(in.logs.Name())
	}
}

// failed describes a failure of the instance during what, with the end of
// its output.
func (in *instance) failed(what string, err error) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v", what, err)
	if out := in.output(); out != "" {
		fmt.Fprintf(&b, "; its output ends with:\n%s", out)
	}
	return errors.New(b.String())
}

// output returns the end of what the bootstrap wrote.
func (in *instance) output() string {
	fi, err := in.logs.Stat()
	if err != nil {
		return ""
	}
	off := max(fi.Size()-outputTail, 0)
	b, err := io.ReadAll(io.NewSectionReader(in.logs, off, fi.Size()-off))
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(b))
}

// wait returns a context bounded by the harness timeout, whose cause says
// what was awaited.
func (h *harness) wait(ctx context.Context, what string) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, h.timeout, fmt.Errorf("no %s within %v", what, h.timeout))
}

// coldStart starts fn once and measures its initialization and its first
// invocation.
func (h *harness) coldStart(ctx context.Context, fn *function) (s sample, err error) {
	in, first, err := h.launch(fn)
	if err != nil {
		return sample{}, err
	}
	var ready time.Time
	defer func() {
		in.stop()
		// Stopped, the sink has read every request line it will get.
		s.startupConns = in.sink.before(ready)
	}()

	wctx, cancel := h.wait(ctx, "first next request")
	defer cancel()
	ready, err = in.api.WaitReady(wctx)
	if err != nil {
		return sample{}, in.failed("init", err)
	}
	rctx, cancel := h.wait(ctx, "response to the first event")
	defer cancel()
	r, err := first.Wait(rctx)
	if err != nil {
		return sample{}, in.failed("first invocation", err)
	}
	s = sample{
		init:        ready.Sub(in.started),
		firstInvoke: r.Posted.Sub(in.started),
		handler:     r.Posted.Sub(r.Dispatched),
		firstError:  r.Err,
	}
	// A process that exited after its response has no memory to read.
	s.hwmKB, _, _ = memoryStatus(in.cmd.Process.Pid)
	if r.Err != nil {
		s.errorLog = lastLogLine(in.output())
	}
	return s, nil
}

// memoryRun starts fn once more, invokes it up to h.invocations times for
// at most h.memoryTime, and reads its memory use.
func (h *harness) memoryRun(ctx context.Context, fn *function) (memory, error) {
	in, first, err := h.launch(fn)
	if err != nil {
		return memory{}, err
	}
	defer in.stop()

	wctx, cancel := h.wait(ctx, "first next request")
	defer cancel()
	if _, err := in.api.WaitReady(wctx); err != nil {
		return memory{}, in.failed("init", err)
	}
	var m memory
	began := time.Now()
	budget := began.Add(h.memoryTime)
	// One event waits in the queue while the function handles another, so
	// that its next request never waits for this loop.
	current, queued := first, 1
	for {
		var ahead *runtimeapi.Pending
		if queued < h.invocations && time.Now().Before(budget) {
			if ahead, err = in.api.Enqueue(fn.event); err != nil {
				return memory{}, err
			}
			queued++
		}
		ictx, cancel := h.wait(ctx, fmt.Sprintf("response to event %d", m.Invocations+1))
		r, err := current.Wait(ictx)
		cancel()
		if err != nil {
			return memory{}, in.failed(fmt.Sprintf("after %d invocations", m.Invocations), err)
		}
		m.Invocations++
		if r.Err != nil {
			m.Errors++
		}
		if ahead == nil {
			break
		}
		current = ahead
	}
	m.Seconds = time.Since(began).Seconds()
	m.Connections = len(in.sink.all())
	if m.PeakRSSKB, m.RSSKB, err = memoryStatus(in.cmd.Process.Pid); err != nil {
		return memory{}, in.failed("reading the memory use", err)
	}
	return m, nil
}

// measure runs every measurement of fn. A failure ends them and is
// recorded in the result.
func (h *harness) measure(ctx context.Context, fn *function) result {
	res := result{Function: fn.name, Event: fn.eventPath, Bootstrap: fn.bootstrap, ExpectedError: fn.expectedError, Note: fn.note}
	if fi, err := os.Stat(fn.bootstrap); err == nil {
		res.SizeBytes = fi.Size()
	}
	res.GoVersion = goVersion(fn.bootstrap)

	var samples []sample
	for i := range h.warmup + h.starts {
		s, err := h.coldStart(ctx, fn)
		if err != nil {
			res.Failure = fmt.Sprintf("start %d of %d: %v", i+1, h.warmup+h.starts, err)
			return res
		}
		if i >= h.warmup {
			samples = append(samples, s)
		}
	}
	res.summarize(samples)
	m, err := h.memoryRun(ctx, fn)
	if err != nil {
		res.Failure = "memory run: " + err.Error()
		return res
	}
	res.Memory = &m
	return res
}

// memoryStatus reads the peak (VmHWM) and current (VmRSS) resident set
// size of a process, in KiB.
func memoryStatus(pid int) (hwm, rss int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmHWM" && k != "VmRSS") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, k, err)
		}
		if k == "VmHWM" {
			hwm = n
		} else {
			rss = n
		}
	}
	if hwm == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status has no VmHWM", pid)
	}
	return hwm, rss, nil
}

// lastLogLine returns the last JSON line of output, the function's log of
// its last invocation (aws-lambda-go's own log lines follow it), or the
// last line when none is JSON.
func lastLogLine(output string) string {
	lines := strings.Split(output, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "{") {
			return lines[i]
		}
	}
	return lines[len(lines)-1]
}
