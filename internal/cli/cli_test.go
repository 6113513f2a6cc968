package cli

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name       string
		usage      string
		args       []string
		wantCode   int
		wantDone   bool
		wantStderr []string
		wantRest   []string
	}{
		{name: "flags and arguments", args: []string{"-n", "3", "a", "b"}, wantRest: []string{"a", "b"}},
		{name: "no arguments"},
		{name: "help", args: []string{"-h"}, wantCode: ExitHelp, wantDone: true, wantStderr: []string{"Usage of cmd:", "-n int"}},
		{name: "long help", args: []string{"--help"}, wantCode: ExitHelp, wantDone: true, wantStderr: []string{"Usage of cmd:"}},
		{name: "unknown flag", args: []string{"-x"}, wantCode: ExitUsage, wantDone: true, wantStderr: []string{"flag provided but not defined: -x", "Usage of cmd:"}},
		{name: "bad value", args: []string{"-n", "many"}, wantCode: ExitUsage, wantDone: true, wantStderr: []string{`invalid value "many" for flag -n`}},
		{
			name: "help with a usage", usage: "usage: cmd [-n N] [arg...]\n", args: []string{"-help"}, wantCode: ExitHelp, wantDone: true,
			wantStderr: []string{"usage: cmd [-n N] [arg...]\n  -n int\n"},
		},
		{
			name: "bad flag with a usage", usage: "usage: cmd [-n N] [arg...]\n", args: []string{"-x"}, wantCode: ExitUsage, wantDone: true,
			wantStderr: []string{"flag provided but not defined: -x\nusage: cmd [-n N] [arg...]\n  -n int\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			fs := NewFlagSet("cmd", &stderr, tt.usage)
			fs.Int("n", 1, "a number")
			code, done := Parse(fs, tt.args)
			if code != tt.wantCode || done != tt.wantDone {
				t.Errorf("Parse(%q) = %d, %v, want %d, %v", tt.args, code, done, tt.wantCode, tt.wantDone)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr = %q, want it to contain %q", stderr.String(), w)
				}
			}
			if len(tt.wantStderr) == 0 && stderr.Len() > 0 {
				t.Errorf("stderr = %q, want nothing", stderr.String())
			}
			if tt.usage != "" && strings.Contains(stderr.String(), "Usage of") {
				t.Errorf("stderr = %q, want the given usage instead of the flag package's", stderr.String())
			}
			if !done && strings.Join(fs.Args(), " ") != strings.Join(tt.wantRest, " ") {
				t.Errorf("Args() = %q, want %q", fs.Args(), tt.wantRest)
			}
		})
	}
}
