package envfile_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/envfile"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		wantErr   string
	}{
		{name: "empty", src: ""},
		{name: "comments and blanks", src: "# a comment\n\n  A=1  \nB=two words\nC=x=y\n", want: []string{"A=1", "B=two words", "C=x=y"}},
		{name: "empty value", src: "A=\n", want: []string{"A="}},
		{name: "no equals", src: "A=1\nNOVALUE\n", wantErr: "f.env:2: \"NOVALUE\" is not KEY=value"},
		{name: "no key", src: "=1\n", wantErr: "f.env:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := envfile.Parse("f.env", tt.src)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Parse = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestFlag(t *testing.T) {
	var f envfile.Flag
	for _, kv := range []string{"A=1", "B=x=y"} {
		if err := f.Set(kv); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Set("NOVALUE"); err == nil {
		t.Error("Set accepted NOVALUE")
	}
	if f.String() != "A=1 B=x=y" {
		t.Errorf("String = %q", f.String())
	}
}
