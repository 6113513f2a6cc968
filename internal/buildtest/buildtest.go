// Package buildtest holds what the tests of the builders of the shipped
// functions (signup.FromEnv, claims.FromEnv, ...) share, and what the
// tests of what a function links share.
package buildtest

import (
	"os/exec"
	"strings"
	"testing"
)

// Built checks the error of a build against the error a test case
// wants, and reports whether the build succeeded. With no non-empty
// wantErr, the build must succeed; else it must fail with an error
// naming each of wantErr, and Built returns false. It fails the test
// when the build did otherwise, and stops it when the build's result
// cannot be used.
func Built(tb testing.TB, err error, wantErr ...string) bool {
	tb.Helper()
	var want []string
	for _, w := range wantErr {
		if w != "" {
			want = append(want, w)
		}
	}
	switch {
	case len(want) == 0 && err != nil:
		tb.Fatalf("build: %v", err)
	case len(want) == 0:
		return true
	case err == nil:
		tb.Fatalf("build succeeded, want an error naming %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			tb.Errorf("build error = %q, want one naming %q", err, w)
		}
	}
	return false
}

// Env returns the environment that fields sets, variables such as
// "APP_NAME=Example OTP_CHANNEL=sms" separated by spaces.
func Env(fields string) map[string]string {
	env := map[string]string{}
	for kv := range strings.FieldsSeq(fields) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

// Deps returns the import paths of the packages that the package in dir
// links, itself included, as Lambda builds it: with the tag lambda.norpc
// (without it, aws-lambda-go links net/rpc, which links html/template).
// It runs go list -deps in dir, so that the module of dir (such as the
// functions' own module, triggers/) decides the versions, and stops the
// test when go list fails.
func Deps(tb testing.TB, dir string) []string {
	tb.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + string(ee.Stderr)
		}
		tb.Fatalf("go list -deps in %s: %s", dir, msg)
	}
	return strings.Fields(string(out))
}
