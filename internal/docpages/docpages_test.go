package docpages

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string // path under the root → content
		wantNames []string
		wantErr   bool
	}{
		{
			name:      "README first, then docs in name order",
			files:     map[string]string{"README.md": "r", "docs/b.md": "b", "docs/a.md": "a", "docs/notes.txt": "n", "other.md": "o"},
			wantNames: []string{"README.md", "docs/a.md", "docs/b.md"},
		},
		{name: "no docs folder", files: map[string]string{"README.md": "r"}, wantNames: []string{"README.md"}},
		{name: "no README", files: map[string]string{"docs/a.md": "a"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range tt.files {
				path := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pages, err := Read(root)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Read() error = %v, want error: %v", err, tt.wantErr)
			}
			var names []string
			for _, p := range pages {
				names = append(names, p.Name)
				if got, want := string(p.Text), tt.files[p.Name]; got != want {
					t.Errorf("%s: Text = %q, want %q", p.Name, got, want)
				}
			}
			if !slices.Equal(names, tt.wantNames) {
				t.Errorf("Read() names = %q, want %q", names, tt.wantNames)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	root, pages := Load(t)
	want, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if root != want {
		t.Errorf("Load() root = %s, want %s", root, want)
	}
	if len(pages) < 2 || pages[0].Name != "README.md" || len(pages[0].Text) == 0 {
		t.Errorf("Load() pages = %d, want the README first and the pages of docs/", len(pages))
	}
}
