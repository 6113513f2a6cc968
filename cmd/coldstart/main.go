// Command coldstart measures what a Lambda cold start costs each deployable
// function: the time its bootstrap takes to initialize and to answer its
// first event, the size of its stripped binary, its peak memory after many
// invocations, and the network connections it attempts while it starts
// (there must be none).
//
// Usage, from the module root:
//
//	go run ./cmd/coldstart [-n 20] [-invocations 10000] [-json] [-json-file FILE]
//	       [-bootstrap-dir DIR] [-event FN=FILE]... [-env KEY=value]...
//	       [-timeout 10s] [-memory-time 2m] [function...]
//
// Without function names it measures every directory under triggers/. It
// builds their bootstraps as Lambda does (GOOS=linux, this machine's
// GOARCH, CGO_ENABLED=0, -tags lambda.norpc -trimpath -ldflags "-s -w")
// into a temporary directory, or takes DIR/<fn>/bootstrap from
// -bootstrap-dir (make build/host/<fn>/bootstrap writes them to build/host).
//
// Each bootstrap runs directly against a Runtime API of its own
// (package github.com/cognitrig/cognitrig/internal/runtimeapi), listening before
// the process starts and holding the function's event already queued, so
// that the harness adds nothing to what it measures:
//
//   - init: from just before the process is started to its first
//     GET /runtime/invocation/next;
//   - first invoke: from the same start to the first response (or error)
//     posted, init included;
//
// over -n starts (after -warmup discarded ones), reported as median and p90.
// Then one more start serves -invocations events in a row (for at most
// -memory-time) and the process's VmHWM from /proc/<pid>/status is its peak
// RSS.
//
// A function gets the Lambda variables (AWS_LAMBDA_FUNCTION_NAME…), the
// settings of triggers/<fn>/invoke.env, then fake AWS settings that keep
// the SDK on this machine: fake static credentials, AWS_REGION=us-east-1,
// AWS_EC2_METADATA_DISABLED=true, AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE set to /dev/null, and AWS_ENDPOINT_URL,
// HTTP_PROXY and HTTPS_PROXY all pointing at a local listener that counts
// the connections it accepts and refuses every request with 403
// AccessDenied. The start-up connections are those accepted before the
// first next request. -env settings come last and win. The calling
// process's environment is not passed on.
//
// Each function's event is its -event file or, by default: presignup
// PreSignUp_SignUp, defineauth the otp-right-answer fixture, createauth the
// user-not-found one (it sends nothing), verifyauth the otp one,
// custommessage CustomMessage_SignUp, pretoken pretokengen-v2
// TokenGeneration_Authentication, postconfirmation
// PostConfirmation_ConfirmForgotPassword (it makes no call), and the custom
// senders their SignUp fixtures, whose codes nobody can decrypt: those end
// in a function error, which the report marks.
//
// The output is a Markdown table with the machine (CPU model, cores, load)
// and the Go version of the bootstraps, or with -json the same figures, and
// more, for scripts (-json-file writes them too, beside the table). Every wait is bounded by -timeout: a function that exits, or
// never asks for an event, is reported with the end of its output. coldstart
// exits with status 0 when every function was measured and made no
// connection at start-up, 1 when one was not or did, and 2 on a usage or
// build error. It needs Linux.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/cognitrig/cognitrig/internal/cli"
	"github.com/cognitrig/cognitrig/internal/envfile"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is coldstart without the process around it: it returns the exit
// status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "coldstart: "+format+"\n", a...)
		return exitFailure
	}
	fs := cli.NewFlagSet("coldstart", stderr, "usage: coldstart [flags] [function...]\n"+
		"Measures cold start, binary size, peak memory and start-up connections of Lambda bootstraps.\n")
	var (
		h            harness
		bootstrapDir = fs.String("bootstrap-dir", "", "take each bootstrap from `DIR`/<fn>/bootstrap instead of building it")
		root         = fs.String("root", "", "the module's `directory`, holding triggers/ and events/ (default: found above the working directory)")
		asJSON       = fs.Bool("json", false, "print JSON instead of a Markdown table")
		jsonFile     = fs.String("json-file", "", "also write the JSON report to `file`")
		events, env  envfile.Flag
	)
	fs.IntVar(&h.starts, "n", 20, "measured cold starts per function")
	fs.IntVar(&h.warmup, "warmup", 1, "cold starts per function run first and not counted")
	fs.IntVar(&h.invocations, "invocations", 10000, "invocations before the peak RSS is read")
	fs.DurationVar(&h.timeout, "timeout", 10*time.Second, "bound on every wait: for the first next request, and for each response")
	fs.DurationVar(&h.memoryTime, "memory-time", 2*time.Minute, "bound on the invocations before the peak RSS is read; fewer are then reported")
	fs.DurationVar(&h.functionTimeout, "function-timeout", 5*time.Second, "the function timeout, which sets each event's deadline")
	fs.Var(&events, "event", "`FN=FILE`: the event for function FN; repeatable")
	fs.Var(&env, "env", "`KEY=value` for every function's environment, over all others; repeatable")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	switch {
	case runtime.GOOS != "linux":
		return fail("needs Linux, to run Linux bootstraps and read /proc; this is %s", runtime.GOOS)
	case h.starts < 1:
		return fail("-n %d: give at least 1 start", h.starts)
	case h.warmup < 0:
		return fail("-warmup %d: give 0 or more", h.warmup)
	case h.invocations < 1:
		return fail("-invocations %d: give at least 1", h.invocations)
	case h.timeout <= 0 || h.memoryTime <= 0 || h.functionTimeout <= 0:
		return fail("-timeout, -memory-time and -function-timeout must be positive")
	}
	h.env = env

	if *root == "" {
		r, err := moduleRoot()
		if err != nil {
			return fail("%v; run from the module or pass -root", err)
		}
		*root = r
	}
	fns, err := plan(*root, *bootstrapDir, fs.Args(), events)
	if err != nil {
		return fail("%v", err)
	}
	if *bootstrapDir == "" {
		dir, err := os.MkdirTemp("", "coldstart-")
		if err != nil {
			return fail("%v", err)
		}
		defer os.RemoveAll(dir)
		fmt.Fprintf(stderr, "coldstart: building %d bootstraps for linux/%s\n", len(fns), runtime.GOARCH)
		if err := build(ctx, *root, dir, fns); err != nil {
			return fail("%v", err)
		}
	}

	rep := report{Machine: describeMachine(), Settings: settings{
		Starts: h.starts, Warmup: h.warmup, Invocations: h.invocations,
		Timeout: h.timeout.String(), MemoryTime: h.memoryTime.String(), FunctionTimeout: h.functionTimeout.String(),
	}}
	for _, fn := range fns {
		fmt.Fprintf(stderr, "coldstart: %s: %d starts, then %d invocations\n", fn.name, h.warmup+h.starts, h.invocations)
		rep.Functions = append(rep.Functions, h.measure(ctx, fn))
		if ctx.Err() != nil {
			return fail("interrupted")
		}
	}
	rep.Machine.LoadAfter = loadAverage()
	rep.Machine.GoVersion = goVersions(rep.Functions)

	if *jsonFile != "" {
		if err := rep.writeJSONFile(*jsonFile); err != nil {
			return fail("%v", err)
		}
	}
	if *asJSON {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeMarkdown(stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	for _, r := range rep.Functions {
		if r.Failure != "" || r.StartupConnections > 0 {
			return exitFindings
		}
	}
	return exitOK
}
