package modroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name    string
		gomod   string // where go.mod is, under the temp dir; "" for none
		nested  string // where a go.mod of another module is, under the temp dir
		wd      string // the working directory, under the temp dir
		want    string // the root found, under the temp dir
		wantErr bool
	}{
		{name: "in the root", gomod: "m", wd: "m", want: "m"},
		{name: "below the root", gomod: "m", wd: "m/a/b", want: "m"},
		{name: "no module", wd: "x", wantErr: true},
		{name: "below a nested module of the repository", gomod: "m", nested: "m/triggers", wd: "m/triggers/x", want: "m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(base, tt.wd), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.gomod != "" {
				if err := os.WriteFile(filepath.Join(base, tt.gomod, "go.mod"), []byte("module "+Module+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.nested != "" {
				if err := os.WriteFile(filepath.Join(base, tt.nested, "go.mod"), []byte("module "+Module+"/triggers\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(filepath.Join(base, tt.wd))
			got, err := Find()
			switch {
			case tt.wantErr:
				// A go.mod above the temp dir, if any, may be found; one
				// inside it may not.
				if err == nil && !strings.HasPrefix(got+string(filepath.Separator), base+string(filepath.Separator)) {
					return
				}
				if err == nil {
					t.Errorf("Find() = %s, want an error", got)
				}
			case err != nil || got != filepath.Join(base, tt.want):
				t.Errorf("Find() = %q, %v; want %q", got, err, filepath.Join(base, tt.want))
			}
		})
	}
}
