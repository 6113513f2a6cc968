package main

import (
	"bytes"
	"net"
	"strconv"
	"strings"
	"testing"
)

// Errors that stop local before it starts anything.
func TestRunRefuses(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		dir    string // working directory; "" is the repository root
		status int
		want   []string
	}{
		{name: "bad port variable", env: map[string]string{"MOTO_PORT": "fivethousand"}, status: 2, want: []string{"MOTO_PORT", "port number"}},
		{name: "port out of range", env: map[string]string{"COGNITO_PORT": "70000"}, status: 2, want: []string{"COGNITO_PORT"}},
		{name: "taken port", args: []string{"-moto-port", "0", "-cognito-port", "0"}, env: map[string]string{"LAMBDA_PORT": taken}, status: 1, want: []string{"port " + taken, "taken", "LAMBDA_PORT="}},
		{name: "extra argument", args: []string{"now"}, status: 2, want: []string{"unexpected arguments"}},
		{name: "unknown flag", args: []string{"-fast"}, status: 2, want: []string{"-fast"}},
		{name: "not at the root", dir: ".", status: 2, want: []string{"repository root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.dir == "" {
				t.Chdir("../..")
			}
			var stdout, stderr bytes.Buffer
			got := run(t.Context(), tt.args, func(k string) string { return tt.env[k] }, &stdout, &stderr)
			if got != tt.status {
				t.Errorf("status %d, want %d; stderr: %s", got, tt.status, stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr %q lacks %q", stderr.String(), w)
				}
			}
		})
	}
}
