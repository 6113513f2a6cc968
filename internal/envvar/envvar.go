// Package envvar gives the errors of the configuration parsers the name of
// the environment variable they are about, so that a caller (the CDK
// construct, which names the props that set a variable) finds it by type,
// never by searching the text. It links neither the AWS SDK nor the
// templates: package passwordlesscore uses it.
package envvar

import (
	"fmt"
	"slices"
)

// Error is an error about the environment variable Name. Its text is
// Err's, unchanged: the variable is already in it for people to read.
type Error struct {
	// Name is the variable, such as "LOG_LEVEL".
	Name string
	// Err is what is wrong with it.
	Err error
}

// Error returns Err's text, byte for byte.
func (e *Error) Error() string { return e.Err.Error() }

// EnvVar returns the name of the variable the error is about.
func (e *Error) EnvVar() string { return e.Name }

// Unwrap returns Err, so that errors.Is and errors.As see through Error.
func (e *Error) Unwrap() error { return e.Err }

// Wrap returns err as an error about the variable name, or nil when err
// is nil. To name every variable of an error about several, such as a
// contradiction, wrap it once per variable.
func Wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Name: name, Err: err}
}

// Errorf returns fmt.Errorf(format, args...) as an error about the
// variable name.
func Errorf(name, format string, args ...any) error {
	return &Error{Name: name, Err: fmt.Errorf(format, args...)}
}

// Names returns, sorted and each once, the variables that err's tree is
// about: the EnvVar of every error in it that has one (any error with an
// EnvVar() string method, through Unwrap() error and Unwrap() []error).
func Names(err error) []string {
	var names []string
	var walk func(error)
	walk = func(err error) {
		if e, ok := err.(interface{ EnvVar() string }); ok {
			names = append(names, e.EnvVar())
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				walk(next)
			}
		case interface{ Unwrap() []error }:
			for _, next := range u.Unwrap() {
				walk(next)
			}
		}
	}
	walk(err)
	slices.Sort(names)
	return slices.Compact(names)
}
