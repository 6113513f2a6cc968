// Package modroot finds the root of the Go module that holds the working
// directory: where the Makefile builds its tools (build/tools), for the
// invoke command and the emulator helper of the tests.
package modroot

import (
	"errors"
	"os"
	"path/filepath"
)

// Find returns the directory holding go.mod, at or above the working
// directory.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}
