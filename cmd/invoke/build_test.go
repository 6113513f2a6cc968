//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeEmulator writes an executable named aws-lambda-rie into dir and
// returns its path.
func fakeEmulator(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, emulatorName)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// goDir returns the directory of the go command, for a PATH with nothing
// else.
func goDir(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	return filepath.Dir(p)
}

func TestFindEmulator(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, wd, bin string) (want string) // want "" for an error
		wantErr []string
	}{
		{
			name: "build/tools of the module",
			setup: func(t *testing.T, wd, bin string) string {
				writeFile(t, wd, "go.mod", "module example.com/m\n")
				fakeEmulator(t, bin) // on PATH, but build/tools comes first
				return fakeEmulator(t, filepath.Join(wd, "build", "tools"))
			},
		},
		{
			name: "build/tools of the module from a subdirectory",
			setup: func(t *testing.T, wd, bin string) string {
				writeFile(t, wd, "go.mod", "module example.com/m\n")
				want := fakeEmulator(t, filepath.Join(wd, "build", "tools"))
				sub := filepath.Join(wd, "sub", "dir")
				if err := os.MkdirAll(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				t.Chdir(sub)
				return want
			},
		},
		{
			name: "on PATH",
			setup: func(t *testing.T, wd, bin string) string {
				writeFile(t, wd, "go.mod", "module example.com/m\n")
				return fakeEmulator(t, bin)
			},
		},
		{
			name:    "nowhere and nothing to build it from",
			setup:   func(t *testing.T, wd, bin string) string { return "" },
			wantErr: []string{"no emulator in build/tools or on PATH", "-emulator"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd, bin, cache := t.TempDir(), t.TempDir(), t.TempDir()
			t.Setenv("PATH", bin+string(os.PathListSeparator)+goDir(t))
			t.Setenv("GOFLAGS", "-mod=mod")
			t.Setenv("GOPROXY", "off")
			t.Chdir(wd)
			want := tt.setup(t, wd, bin)
			var progress bytes.Buffer
			got, err := findEmulator(context.Background(), cache, true, &progress)
			if want == "" {
				if err == nil {
					t.Fatalf("findEmulator() = %s, want an error", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("findEmulator() error = %q, want it to contain %q", err, w)
					}
				}
				return
			}
			if err != nil || got != want {
				t.Fatalf("findEmulator() = %q, %v; want %q", got, err, want)
			}
			if !strings.Contains(progress.String(), "using the emulator "+want) {
				t.Errorf("progress = %q, want it to say which emulator it uses", progress.String())
			}
		})
	}
}

// TestFromAnotherModule runs invoke as a user would, from a module of their
// own that requires this one through a replace directive: go run of
// cmd/invoke builds their trigger and, with no emulator in build/tools or on
// PATH, builds the emulator into the user cache directory.
func TestFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module, a trigger and the emulator")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var lambdaVersion, gocache, gomodcache string
	for p, args := range map[*string][]string{
		&lambdaVersion: {"list", "-m", "-f", "{{.Version}}", "github.com/aws/aws-lambda-go"},
		&gocache:       {"env", "GOCACHE"},
		&gomodcache:    {"env", "GOMODCACHE"},
	} {
		if *p, err = goTool(t.Context(), root, nil, args...); err != nil {
			t.Fatal(err)
		}
	}
	// The user's clone of this repository, without its build/tools, so
	// that invoke builds the emulator in the clone's triggers module: the
	// repository's files, linked.
	clone := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "build" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(clone, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	mod := t.TempDir()
	writeFile(t, mod, "go.mod", "module example.com/mytriggers\n\ngo 1.26\n\n"+
		"require (\n\tgithub.com/aws/aws-lambda-go "+lambdaVersion+"\n\tgithub.com/cognitrig/cognitrig v0.0.0\n)\n\n"+
		"replace github.com/cognitrig/cognitrig => "+clone+"\n")
	if err := os.Mkdir(filepath.Join(mod, "mytrigger"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "mytrigger"), "main.go", `// Command mytrigger refuses sign-ups from blocked.example.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	if os.Getenv("APP_NAME") == "" {
		fmt.Fprintln(os.Stderr, "cannot start: APP_NAME is not set")
		os.Exit(1)
	}
	lambda.Start(func(_ context.Context, e events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
		if strings.HasSuffix(e.Request.UserAttributes["email"], "@blocked.example") {
			return e, errors.New("sign-ups from blocked.example are closed")
		}
		fmt.Println(os.Getenv("APP_NAME"), "accepts", e.UserName)
		return e, nil
	})
}
`)
	writeFile(t, mod, "invoke.env", "APP_NAME=Example\n")
	writeFile(t, mod, "ok.json", `{"triggerSource": "PreSignUp_SignUp", "userName": "alice", "request": {"userAttributes": {"email": "alice@example.com"}}, "response": {}}`)
	writeFile(t, mod, "denied.json", `{"triggerSource": "PreSignUp_SignUp", "userName": "bob", "request": {"userAttributes": {"email": "bob@blocked.example"}}, "response": {}}`)
	cache := t.TempDir()

	tests := []struct {
		name       string
		event      string
		env        []string
		wantCode   int
		wantStdout string
		wantStderr []string
		unwanted   []string // what stderr must not contain
	}{
		{name: "accepted", event: "ok.json", env: []string{"APP_NAME=MyBrand"}, wantCode: exitOK, wantStdout: `"userName": "alice"`,
			wantStderr: []string{"building the Lambda runtime interface emulator once", "building ./mytrigger", "MyBrand accepts alice"}},
		{name: "denied", event: "denied.json", wantCode: exitFunctionError, wantStdout: "sign-ups from blocked.example are closed",
			wantStderr: []string{"function mytrigger failed (status 1)"}, unwanted: []string{"building the Lambda runtime interface emulator"}},
		{name: "cannot start", event: "ok.json", env: []string{"APP_NAME="}, wantCode: exitFunctionError, wantStdout: "Runtime.ExitError",
			wantStderr: []string{"cannot start: APP_NAME is not set", "exited before answering"}, unwanted: []string{"[ERROR]", "[WARNING]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), "go", "run", "github.com/cognitrig/cognitrig/cmd/invoke",
				"-package", "./mytrigger", "-env-file", "invoke.env", "-event", tt.event)
			cmd.Dir = mod
			cmd.Env = append([]string{
				"PATH=" + goDir(t), "HOME=" + os.Getenv("HOME"), "XDG_CACHE_HOME=" + cache,
				"GOCACHE=" + gocache, "GOMODCACHE=" + gomodcache, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off",
				"GOTOOLCHAIN=local", "AWS_ENDPOINT_URL=http://127.0.0.1:9",
			}, tt.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode {
				t.Errorf("invoke exited with %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout.String(), tt.wantStdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), w)
				}
			}
			for _, w := range tt.unwanted {
				if strings.Contains(stderr.String(), w) {
					t.Errorf("stderr = %q, want no %q", stderr.String(), w)
				}
			}
		})
	}
}
