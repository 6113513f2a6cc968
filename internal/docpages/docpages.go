// Package docpages reads the pages of the documentation, the README and
// the Markdown pages of docs/, for the tests that check what they show:
// that their Go programs build and their make invoke examples work.
package docpages

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

// Page is a page of the documentation.
type Page struct {
	// Name is the page's path from the repository's root, with slashes,
	// such as README.md or docs/architecture.md.
	Name string
	// Text is what the page holds.
	Text []byte
}

// Read returns the pages of the repository at root: its README.md first,
// then the docs/*.md pages in the order of their names. A missing README
// is an error; a missing docs/ folder is no page.
func Read(root string) ([]Page, error) {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	var pages []Page
	for _, path := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		name, err := filepath.Rel(root, path)
		if err != nil {
			return nil, err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{Name: filepath.ToSlash(name), Text: text})
	}
	return pages, nil
}

// Load returns the root of the repository a test runs in, found from its
// working directory by [modroot.Find], and the pages there (see [Read]).
// It stops the test when either cannot be had.
func Load(t testing.TB) (root string, pages []Page) {
	t.Helper()
	root, err := modroot.Find()
	if err != nil {
		t.Fatalf("finding the repository's root: %v", err)
	}
	pages, err = Read(root)
	if err != nil {
		t.Fatalf("reading the documentation: %v", err)
	}
	return root, pages
}
