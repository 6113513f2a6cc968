// Package modroot finds the root of the repository from the working
// directory: where the Makefile builds its tools (build/tools), for the
// invoke command and the emulator helper of the tests. The repository
// holds several modules (the Lambda side at the root; infra,
// pkg/customsender and triggers below it), so the root is the directory
// of the go.mod that declares the repository's own module path.
package modroot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
)

// Module is the path of the repository's root module.
const Module = "github.com/cognitrig/cognitrig"

// Find returns the repository's root: the nearest directory at or above
// the working directory whose go.mod declares [Module]. Outside the
// repository it returns the nearest directory holding a go.mod.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	nearest := ""
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if nearest == "" {
				nearest = dir
			}
			if declares(b, Module) {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			if nearest != "" {
				return nearest, nil
			}
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// declares reports whether the go.mod text b declares module path.
func declares(b []byte, path string) bool {
	for _, line := range bytes.Split(b, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) >= 2 && string(f[0]) == "module" {
			return string(bytes.Trim(f[1], `"`)) == path
		}
	}
	return false
}

// Mains returns, sorted, the names of the directories just below dir that
// hold a main.go: under triggers/, the shipped functions (the test-only
// packages next to them hold none).
func Mains(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "main.go")); err == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
