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

// emulatorPackage is the emulator's main package, a tool in go.mod.
const emulatorPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// Emulator returns the path of an aws-lambda-rie binary: the one the
// Makefile builds into build/tools of the module, when it is there, or a new
// build into dir.
func Emulator(dir string) (string, error) {
	if root, err := modroot.Find(); err == nil {
		p := filepath.Join(root, "build", "tools", "aws-lambda-rie")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p, nil
		}
	}
	p := filepath.Join(dir, "aws-lambda-rie")
	return p, Build(p, emulatorPackage)
}

// Build builds the Go package pkg (a path or an import path) into the
// executable out for this machine.
func Build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}
