// Command invoke runs a Lambda function once, locally and without Docker,
// under the AWS Lambda Runtime Interface Emulator: a Docker-less
// `sam local invoke`. It works from any Go module: the function is a built
// bootstrap, or a main package that invoke builds.
//
// Usage:
//
//	invoke (-bootstrap PATH | -package PKG) -event FILE [-name NAME]
//	       [-env-file FILE] [-env KEY=value]... [-timeout 5s] [-memory 128]
//	       [-emulator PATH] [-v]
//
// For example, from this repository, or from a module of your own that
// requires it (with a replace directive while it is not published):
//
//	go run github.com/cognitrig/cognitrig/cmd/invoke -package ./mytrigger \
//	    -event events/presignup/PreSignUp_SignUp.json
//
// The flags:
//
//	-bootstrap PATH   the function's built bootstrap executable, for this machine
//	-package PKG      instead of -bootstrap: a main package of the module holding the
//	                  working directory (./mytrigger), built for this machine with
//	                  CGO_ENABLED=0 and -tags lambda.norpc into a temporary directory
//	-event FILE       the JSON event, at most 6291456 bytes; - reads standard input
//	-name NAME        the function's name (default: the name of the directory holding
//	                  the bootstrap, or of the package)
//	-env-file FILE    KEY=value lines (# starts a comment line) for the function's
//	                  environment; your environment wins over them
//	-env KEY=value    a variable for the function, over every other source; repeatable
//	-timeout D        the function timeout, in whole seconds (default 5s, the longest
//	                  Cognito waits for a trigger)
//	-memory MB        the memory size reported to the function (default 128)
//	-emulator PATH    aws-lambda-rie (default: see below)
//	-v                also show the emulator's own log lines (INFO, WARNING, ERROR)
//
// Without -emulator, invoke uses build/tools/aws-lambda-rie in the root of
// this repository when it is there (make builds it there), else
// aws-lambda-rie on PATH, else the one in build/tools of the clone of this
// repository that the working directory's module uses, else it builds the
// emulator version that the clone's triggers/go.mod pins, once, into the
// user cache directory (such as ~/.cache/cognitrig/aws-lambda-rie), saying
// so.
//
// Invoke prints the function's response, indented, to standard output, and
// the function's log (its own lines, framed by Lambda's START, END and
// REPORT lines) to standard error. The emulator's own chatter is hidden
// unless -v is given.
//
// The function's environment is, in increasing order of precedence: the
// Lambda variables (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION and so on), the
// -env-file settings, invoke's own environment (your shell), and the -env
// settings. So APP_NAME=MyBrand in your shell wins over APP_NAME=Example in
// the file, and APP_NAME= in your shell empties it. Package
// github.com/cognitrig/cognitrig/internal/rie describes the details.
//
// Exit statuses:
//
//	0  the function succeeded
//	1  the function failed: it returned an error (such as a trigger's Denial),
//	   panicked, crashed, could not start or timed out; invoke printed the
//	   function's error object to standard output
//	2  invoke could not invoke the function: bad flags, an unreadable, invalid
//	   or oversized event (Lambda's RequestTooLargeException), a package that
//	   does not build, a missing bootstrap or emulator; or it was interrupted
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cognitrig/cognitrig/internal/cli"
	"github.com/cognitrig/cognitrig/internal/envfile"
	"github.com/cognitrig/cognitrig/internal/rie"
	"github.com/cognitrig/cognitrig/internal/syncio"
)

// Exit statuses.
const (
	exitOK            = 0
	exitFunctionError = 1
	exitFailure       = 2
)

// defaultTimeout is the longest Cognito waits for a trigger: 5 seconds.
const defaultTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, which makes run stop the function, let a
	// second one end invoke at once.
	context.AfterFunc(ctx, stop)
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is invoke without the process around it: it returns the exit status.
// It stops the function and returns when ctx ends.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The function's log reaches stderr from the emulator's goroutine
	// while invoke writes its own messages: one lock orders them.
	stderr = &syncio.Writer{W: stderr}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "invoke: "+format+"\n", a...)
		return exitFailure
	}
	fs := cli.NewFlagSet("invoke", stderr, "usage: invoke (-bootstrap PATH | -package PKG) -event FILE [flags]\n"+
		"Invokes a Lambda function once under the Lambda runtime interface emulator.\n"+
		"Exit status: 0 success, 1 the function failed (such as a Denial), 2 could not invoke.\n")
	var (
		bootstrap = fs.String("bootstrap", "", "`path` of the function's bootstrap executable, built for this machine")
		pkg       = fs.String("package", "", "main `package` to build and run instead of -bootstrap, such as ./mytrigger")
		emulator  = fs.String("emulator", "", "`path` of aws-lambda-rie (default: build/tools/aws-lambda-rie of this module, else on PATH, else built once into the user cache directory)")
		eventPath = fs.String("event", "", "`file` holding the JSON event, or - for standard input (required)")
		name      = fs.String("name", "", "function `name` (default: the name of the directory holding the bootstrap, or of the package)")
		timeout   = fs.Duration("timeout", defaultTimeout, "function timeout, in whole seconds (Cognito waits 5s at most)")
		memory    = fs.Int("memory", rie.DefaultMemoryMB, "memory size in `MB` reported to the function")
		envFile   = fs.String("env-file", "", "`file` of KEY=value lines (# starts a comment line) for the function's environment; your environment wins over them")
		verbose   = fs.Bool("v", false, "also show the emulator's own log lines")
		env       envfile.Flag
	)
	fs.Var(&env, "env", "`KEY=value` environment variable for the function, over your environment and -env-file; repeatable")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected arguments %q: pass the event with -event", fs.Args())
	case *bootstrap != "" && *pkg != "":
		return fail("both -bootstrap and -package given: give one")
	case *bootstrap == "" && *pkg == "":
		return fail("missing -bootstrap or -package: give the path of the function's bootstrap executable, or its main package")
	case *eventPath == "":
		return fail("missing -event: give a JSON event file, or - to read it from standard input")
	}
	if *timeout == 0 {
		*timeout = defaultTimeout
	}
	if *timeout > defaultTimeout {
		fmt.Fprintf(stderr, "invoke: note: -timeout %v is longer than the %v Cognito waits for a trigger\n", *timeout, defaultTimeout)
	}
	if *bootstrap != "" && *name == "" {
		n, err := nameFrom(*bootstrap)
		if err != nil {
			return fail("%v", err)
		}
		*name = n
	}

	// Read and check the event and the settings before starting anything.
	event, err := readEvent(*eventPath, stdin)
	if err != nil {
		return fail("%v", err)
	}
	var fileEnv []string
	if *envFile != "" {
		if fileEnv, err = envfile.Read(*envFile); err != nil {
			return fail("read the -env-file: %v", err)
		}
	}

	if *pkg != "" {
		tmp, err := os.MkdirTemp("", "invoke-")
		if err != nil {
			return fail("cannot build -package %s: %v", *pkg, err)
		}
		defer os.RemoveAll(tmp)
		if *bootstrap, err = buildFunction(ctx, *pkg, tmp, stderr); err != nil {
			return failContext(ctx, fail, err)
		}
		if *name == "" {
			if *name, err = nameFrom(*bootstrap); err != nil {
				return fail("%v", err)
			}
		}
	}
	if *emulator == "" {
		cache, _ := os.UserCacheDir()
		if *emulator, err = findEmulator(ctx, cache, *verbose, stderr); err != nil {
			return failContext(ctx, fail, err)
		}
	}
	logLevel := rie.QuietLogLevel
	if *verbose {
		logLevel = "info"
	}

	fn := rie.Function{
		Name:        *name,
		Bootstrap:   *bootstrap,
		Emulator:    *emulator,
		Env:         env,
		EnvDefaults: fileEnv,
		Timeout:     *timeout,
		MemoryMB:    *memory,
		Logs:        stderr,
		LogLevel:    logLevel,
	}
	in, err := fn.Start(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return fail("interrupted while starting the function")
		}
		return fail("%v", err)
	}
	defer in.Close()

	res, err := in.Invoke(ctx, event)
	if err != nil {
		if ctx.Err() != nil {
			in.Close()
			return fail("interrupted: stopped the function")
		}
		return fail("%v", err)
	}
	// Close before printing, so that the function's last log lines come
	// before the response.
	if err := in.Close(); err != nil {
		fmt.Fprintf(stderr, "invoke: %v\n", err)
	}
	stdout.Write(indent(res.Payload))
	if res.FunctionError {
		switch {
		case res.TimedOut:
			fmt.Fprintf(stderr, "invoke: function %s timed out after %v; raise -timeout if it needs longer\n", *name, *timeout)
		case errorType(res.Payload) == "Runtime.ExitError":
			fmt.Fprintf(stderr, "invoke: function %s failed: it exited before answering; its log above says why (status %d)\n", *name, exitFunctionError)
		default:
			fmt.Fprintf(stderr, "invoke: function %s failed (status %d)\n", *name, exitFunctionError)
		}
		return exitFunctionError
	}
	return exitOK
}

// failContext reports err with fail, or an interruption when ctx has ended.
func failContext(ctx context.Context, fail func(string, ...any) int, err error) int {
	if ctx.Err() != nil {
		return fail("interrupted")
	}
	return fail("%v", err)
}

// errorType returns the errorType of a Lambda error object, or "".
func errorType(payload []byte) string {
	var e struct {
		ErrorType string `json:"errorType"`
	}
	json.Unmarshal(payload, &e)
	return e.ErrorType
}

// nameFrom returns a valid Lambda function name made from the name of the
// directory holding bootstrap.
func nameFrom(bootstrap string) (string, error) {
	abs, err := filepath.Abs(bootstrap)
	if err != nil {
		return "", fmt.Errorf("cannot resolve -bootstrap %s: %v", bootstrap, err)
	}
	name := []rune(filepath.Base(filepath.Dir(abs)))
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			name[i] = '-'
		}
	}
	if len(name) > 64 {
		name = name[:64]
	}
	if string(name) == "-" {
		return "function", nil
	}
	return string(name), nil
}

// readEvent reads the event from path, or from stdin when path is "-", and
// checks that it is JSON.
func readEvent(path string, stdin io.Reader) ([]byte, error) {
	var (
		event []byte
		err   error
	)
	name := path
	if path == "-" {
		name = "standard input"
		event, err = io.ReadAll(stdin)
	} else {
		event, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the event from %s: %v", name, err)
	}
	if len(event) > rie.MaxEventSize {
		return nil, fmt.Errorf("event in %s: %v", name, &rie.TooLargeError{Size: len(event)})
	}
	if len(bytes.TrimSpace(event)) == 0 {
		return nil, fmt.Errorf("event in %s is empty: Lambda events are JSON, such as {}", name)
	}
	var v any
	if err := json.Unmarshal(event, &v); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) && strings.HasPrefix(syntax.Error(), "unexpected end") {
			return nil, fmt.Errorf("event in %s is not valid JSON: it ends too early (%v)", name, err)
		}
		if errors.As(err, &syntax) {
			line, col := position(event, syntax.Offset)
			return nil, fmt.Errorf("event in %s is not valid JSON: line %d, column %d: %v", name, line, col, err)
		}
		return nil, fmt.Errorf("event in %s is not valid JSON: %v", name, err)
	}
	return event, nil
}

// position returns the line and column, counted from 1, of the byte that a
// json.SyntaxError with the given offset complains about: the offset counts
// the bytes read, that one included.
func position(b []byte, offset int64) (line, col int) {
	offset = min(max(offset-1, 0), int64(len(b)))
	before := b[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// indent returns payload indented, with a final newline, or as it is when it
// is not JSON.
func indent(payload []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, payload, "", "  "); err != nil {
		return append(payload, '\n')
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
