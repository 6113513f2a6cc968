// Package rietest builds what tests of code that runs Lambda bootstraps
// need: the AWS Lambda Runtime Interface Emulator and the bootstraps of Go
// packages.
package rietest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

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
