package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/cognitrig/cognitrig/internal/envfile"
	"github.com/cognitrig/cognitrig/internal/modroot"
)

// defaultEvents names, for each shipped function, the fixture under events/
// it is measured with: one that needs no AWS call where the function has
// one.
var defaultEvents = map[string]string{
	"presignup":         "presignup/PreSignUp_SignUp.json",
	"defineauth":        "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json",
	"createauth":        "createauth/CreateAuthChallenge_Authentication.user-not-found.json",
	"verifyauth":        "verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json",
	"custommessage":     "custommessage/CustomMessage_SignUp.json",
	"pretoken":          "pretokengen-v2/TokenGeneration_Authentication.json",
	"postconfirmation":  "postconfirmation/PostConfirmation_ConfirmForgotPassword.json",
	"customemailsender": "customemailsender/CustomEmailSender_SignUp.json",
	"customsmssender":   "customsmssender/CustomSMSSender_SignUp.json",
}

// expectedErrors says why the default event of a function ends in a
// function error.
var expectedErrors = map[string]string{
	"customemailsender": "the fixture's code was encrypted under a KMS key that no longer exists, and no KMS is reachable here",
	"customsmssender":   "the fixture's code was encrypted under a KMS key that no longer exists, and no KMS is reachable here",
}

// eventNotes says what else to know of the figures of a function's default
// event.
var eventNotes = map[string]string{
	"createauth": "a round for an unknown user sends nothing but waits a decoy delay " +
		"(passwordless.DefaultDecoyDelay, 150 ms ± 25 %) so that it takes as long as a real send: " +
		"its first invoke is mostly that wait, and its memory run fits fewer invocations in -memory-time",
}

// function is one bootstrap to measure.
type function struct {
	name      string
	bootstrap string
	eventPath string
	event     []byte
	// env holds the KEY=value lines of triggers/<name>/invoke.env.
	env []string
	// expectedError says why the event is expected to fail; empty when it
	// is not.
	expectedError string
	// note says what else to know of the figures; may be empty.
	note string
}

// plan lists the functions to measure, with their events and settings:
// names, or every directory under root/triggers. The bootstraps are in
// bootstrapDir, or to be built when it is empty. events holds FN=FILE
// choices of events.
func plan(root, bootstrapDir string, names, events []string) ([]*function, error) {
	chosen := map[string]string{}
	for _, kv := range events {
		fn, file, _ := strings.Cut(kv, "=")
		chosen[fn] = file
	}
	if len(names) == 0 {
		var err error
		if names, err = triggerNames(root); err != nil {
			return nil, err
		}
	}
	var fns []*function
	for _, name := range names {
		if slices.ContainsFunc(fns, func(f *function) bool { return f.name == name }) {
			return nil, fmt.Errorf("function %s is named twice", name)
		}
		fn := &function{name: name, eventPath: chosen[name]}
		delete(chosen, name)
		if bootstrapDir != "" {
			fn.bootstrap = filepath.Join(bootstrapDir, name, "bootstrap")
			if _, err := os.Stat(fn.bootstrap); err != nil {
				return nil, fmt.Errorf("no bootstrap for %s: %w (make build/host/%s/bootstrap builds one into build/host)", name, err, name)
			}
		} else if _, err := os.Stat(filepath.Join(root, "triggers", name, "main.go")); err != nil {
			all, _ := triggerNames(root)
			return nil, fmt.Errorf("no function %q under triggers/; the functions are: %s", name, strings.Join(all, " "))
		}
		if fn.eventPath == "" {
			def, ok := defaultEvents[name]
			if !ok {
				return nil, fmt.Errorf("no event for %s: pass -event %s=FILE", name, name)
			}
			fn.eventPath = filepath.Join(root, "events", def)
			fn.expectedError = expectedErrors[name]
			fn.note = eventNotes[name]
		}
		b, err := os.ReadFile(fn.eventPath)
		if err != nil {
			return nil, fmt.Errorf("the event of %s: %w", name, err)
		}
		fn.event = b
		if fn.env, err = readInvokeEnv(filepath.Join(root, "triggers", name, "invoke.env")); err != nil {
			return nil, err
		}
		fns = append(fns, fn)
	}
	for name := range chosen {
		return nil, fmt.Errorf("-event names %s, which is not measured", name)
	}
	return fns, nil
}

// triggerNames returns the names of the functions under root/triggers.
func triggerNames(root string) ([]string, error) {
	names, err := modroot.Mains(filepath.Join(root, "triggers"))
	if err != nil {
		return nil, fmt.Errorf("cannot list the functions: %w", err)
	}
	return names, nil
}

// readInvokeEnv reads an invoke.env file; a missing file holds nothing.
func readInvokeEnv(path string) ([]string, error) {
	env, err := envfile.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return env, err
}

// build builds the bootstrap of every function as Lambda runs it, for
// linux and this machine's architecture, into dir/<name>/bootstrap.
func build(ctx context.Context, root, dir string, fns []*function) error {
	bin := filepath.Join(dir, "bin") + string(filepath.Separator)
	args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", bin}
	for _, fn := range fns {
		args = append(args, "./"+fn.name)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Join(root, "triggers") // the functions' own module
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	for _, fn := range fns {
		fn.bootstrap = filepath.Join(dir, fn.name, "bootstrap")
		if err := os.Mkdir(filepath.Dir(fn.bootstrap), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(bin, fn.name), fn.bootstrap); err != nil {
			return err
		}
	}
	return nil
}

// moduleRoot returns the directory of the main module, as the go command
// finds it from the working directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
