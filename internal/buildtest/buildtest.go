// Package buildtest holds what the tests of the builders of the shipped
// functions (signup.FromEnv, claims.FromEnv, ...) share.
package buildtest

import (
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
