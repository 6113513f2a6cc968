// Package envfile reads function environments written as KEY=value: the
// lines of a file such as triggers/<fn>/invoke.env, and repeated
// command-line flags such as -env KEY=value.
//
// The settings of a file are defaults, not overrides: cmd/invoke passes them
// as rie.Function.EnvDefaults, so that your environment wins over them
// (APP_NAME=MyBrand in the shell over APP_NAME=Example in the file, and
// APP_NAME= in the shell empties it), and -env flags, passed as
// rie.Function.Env, win over both.
package envfile

import (
	"fmt"
	"os"
	"strings"
)

// Check reports whether kv has the form KEY=value with a non-empty key.
func Check(kv string) error {
	if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=value", kv)
	}
	return nil
}

// Parse reads the KEY=value lines of src; name names it in errors. Blank
// lines and lines starting with '#' are skipped; values are taken as they
// are, without quotes or expansion.
func Parse(name, src string) ([]string, error) {
	var env []string
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := Check(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		env = append(env, line)
	}
	return env, nil
}

// Read reads the KEY=value lines of the file at path, as Parse does.
func Read(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(b))
}

// Flag collects a repeated command-line flag whose values are KEY=value;
// use it with flag.FlagSet.Var.
type Flag []string

// String returns the values, separated by spaces.
func (f *Flag) String() string { return strings.Join(*f, " ") }

// Set adds kv, refusing one that is not KEY=value.
func (f *Flag) Set(kv string) error {
	if err := Check(kv); err != nil {
		return err
	}
	*f = append(*f, kv)
	return nil
}
