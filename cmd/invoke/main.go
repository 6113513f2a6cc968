// Command invoke runs a Lambda function's bootstrap once, locally and without
// Docker, under the AWS Lambda Runtime Interface Emulator: a Docker-less
// `sam local invoke`.
//
// Usage:
//
//	invoke -bootstrap PATH -event FILE [-emulator PATH] [-name NAME]
//	       [-env-file FILE] [-env KEY=value]... [-timeout 3s] [-memory 128]
//
// For example:
//
//	go run ./cmd/invoke -bootstrap build/host/presignup/bootstrap \
//	    -event events/presignup/PreSignUp_SignUp.json
//
// With -event -, the event is read from standard input.
//
// Invoke prints the function's response, indented, to standard output and the
// function's logs to standard error. It exits with status 0 when the function
// succeeds; 1 when the function fails (it returned an error, panicked, crashed
// or timed out), after printing the function's error object to standard
// output; and 2 when it could not invoke the function (bad flags, an
// unreadable event, a missing bootstrap or emulator) or was interrupted.
//
// The function gets the environment of invoke itself, plus the Lambda
// variables, the -env-file settings and the -env settings (which win) described in package
// github.com/cognitrig/cognitrig/pkg/rie.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/cognitrig/cognitrig/pkg/envfile"
	"github.com/cognitrig/cognitrig/pkg/rie"
)

// Exit statuses.
const (
	exitOK            = 0
	exitFunctionError = 1
	exitFailure       = 2
)

// defaultEmulator is where the Makefile builds the emulator.
const defaultEmulator = "build/tools/aws-lambda-rie"

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
	stderr = &lockedWriter{w: stderr}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "invoke: "+format+"\n", a...)
		return exitFailure
	}
	fs := flag.NewFlagSet("invoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		bootstrap = fs.String("bootstrap", "", "`path` of the function's bootstrap executable (required)")
		emulator  = fs.String("emulator", defaultEmulator, "`path` of aws-lambda-rie")
		eventPath = fs.String("event", "", "`file` holding the JSON event, or - for standard input (required)")
		name      = fs.String("name", "", "function `name` (default: the name of the directory holding the bootstrap)")
		timeout   = fs.Duration("timeout", rie.DefaultTimeout, "function timeout, in whole seconds")
		memory    = fs.Int("memory", rie.DefaultMemoryMB, "memory size in `MB` reported to the function")
		envFile   = fs.String("env-file", "", "`file` of KEY=value lines (# starts a comment line) for the function's environment")
		env       envfile.Flag
	)
	fs.Var(&env, "env", "`KEY=value` environment variable for the function, over -env-file; repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: invoke -bootstrap PATH -event FILE [flags]")
		fmt.Fprintln(stderr, "Invokes a Lambda bootstrap once under the Lambda runtime interface emulator.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitFailure
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected arguments %q: pass the event with -event", fs.Args())
	case *bootstrap == "":
		return fail("missing -bootstrap: give the path of the function's bootstrap executable")
	case *eventPath == "":
		return fail("missing -event: give a JSON event file, or - to read it from standard input")
	}
	if *timeout == 0 {
		*timeout = rie.DefaultTimeout
	}
	if *name == "" {
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
	if *envFile != "" {
		fileEnv, err := envfile.Read(*envFile)
		if err != nil {
			return fail("read the -env-file: %v", err)
		}
		env = append(fileEnv, env...)
	}

	fn := rie.Function{
		Name:      *name,
		Bootstrap: *bootstrap,
		Emulator:  *emulator,
		Env:       env,
		Timeout:   *timeout,
		MemoryMB:  *memory,
		Logs:      stderr,
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
		if res.TimedOut {
			fmt.Fprintf(stderr, "invoke: function %s timed out after %v; raise -timeout if it needs longer\n", *name, *timeout)
		} else {
			fmt.Fprintf(stderr, "invoke: function %s failed\n", *name)
		}
		return exitFunctionError
	}
	return exitOK
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

// lockedWriter serializes the writes to w, which need not be safe for
// concurrent use.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
