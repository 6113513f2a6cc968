package envvar

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
)

func TestErrorKeepsTheTextAndTheChain(t *testing.T) {
	err := Errorf("OTP_TTL", "%s=%q: %w", "OTP_TTL", "soon", io.ErrUnexpectedEOF)
	if got, want := err.Error(), `OTP_TTL="soon": unexpected EOF`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var ev interface{ EnvVar() string }
	if !errors.As(err, &ev) || ev.EnvVar() != "OTP_TTL" {
		t.Errorf("errors.As found %v, want EnvVar OTP_TTL", ev)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not see the wrapped error")
	}
}

func TestWrap(t *testing.T) {
	if err := Wrap("APP_NAME", nil); err != nil {
		t.Errorf("Wrap(nil) = %v, want nil", err)
	}
	base := errors.New("APP_NAME is not set")
	err := Wrap("APP_NAME", base)
	if err.Error() != base.Error() || !errors.Is(err, base) {
		t.Errorf("Wrap = %q, want the text and the chain of %q", err, base)
	}
	both := Wrap("A", Errorf("B", "A and B contradict each other"))
	var names []string
	for e := both; e != nil; e = errors.Unwrap(e) {
		if ev, ok := e.(*Error); ok {
			names = append(names, ev.EnvVar())
		}
	}
	if len(names) != 2 || names[0] != "A" || names[1] != "B" || both.Error() != "A and B contradict each other" {
		t.Errorf("nested Wrap names %v with text %q, want [A B] and the text unchanged", names, both)
	}
}

func TestNames(t *testing.T) {
	a, b := Errorf("A", "A is wrong"), Errorf("B", "B is wrong")
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, nil},
		{"none", errors.New("plain"), nil},
		{"one", a, []string{"A"}},
		{"wrapped", fmt.Errorf("start: %w", a), []string{"A"}},
		{"joined, sorted", errors.Join(b, errors.New("plain"), a), []string{"A", "B"}},
		{"each once", errors.Join(a, fmt.Errorf("again: %w", a)), []string{"A"}},
		{"a contradiction, wrapped once per variable", Wrap("A", Wrap("B", errors.New("A and B contradict"))), []string{"A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Names(tt.err); !slices.Equal(got, tt.want) {
				t.Errorf("Names = %q, want %q", got, tt.want)
			}
		})
	}
}
