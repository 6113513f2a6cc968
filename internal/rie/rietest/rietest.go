// Package rietest builds what tests of code that runs Lambda bootstraps
// need: the AWS Lambda Runtime Interface Emulator and the bootstraps of Go
// packages; and finds their processes, for tests that kill them.
package rietest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

// emulatorPackage is the emulator's main package, a tool in the go.mod of
// the triggers module (toolModule, below the repository's root), which
// keeps it out of the root module's requirements.
const (
	emulatorPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	toolModule      = "triggers"
)

// Emulator returns the path of an aws-lambda-rie binary: the one the
// Makefile builds into build/tools of the module, when it is there, or a new
// build into dir.
func Emulator(dir string) (string, error) {
	root, err := modroot.Find()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "build", "tools", "aws-lambda-rie")
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
		return p, nil
	}
	p = filepath.Join(dir, "aws-lambda-rie")
	return p, build(filepath.Join(root, toolModule), p, emulatorPackage)
}

// Build builds the Go package pkg into the executable out for this
// machine. pkg is a directory (relative to the working directory, or
// absolute), built in the module that holds it, or an import path of the
// working directory's module.
func Build(out, pkg string) error {
	if fi, err := os.Stat(pkg); err == nil && fi.IsDir() {
		return build(pkg, out, ".")
	}
	return build("", out, pkg)
}

// build runs go build of pkg in dir ("" for the working directory).
func build(dir, out, pkg string) error {
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// Processes returns the running emulators that serve bootstrap, an
// absolute path, and the bootstrap processes themselves, read from
// Linux's /proc. Tests kill them to show that a crash is survived.
func Processes(bootstrap string) (emulators, bootstraps []int, err error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, nil, fmt.Errorf("rietest: read /proc (Linux only): %w", err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone already
		}
		args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		switch {
		case len(args) == 1 && args[0] == bootstrap:
			bootstraps = append(bootstraps, pid)
		case len(args) > 1 && args[len(args)-1] == bootstrap && strings.HasSuffix(args[0], "aws-lambda-rie"):
			emulators = append(emulators, pid)
		}
	}
	return emulators, bootstraps, nil
}
