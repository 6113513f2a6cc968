package passwordless

import (
	"io/fs"
	"path"
	"strings"
)

// signInTemplates is a template folder (package message's, for Load)
// reduced to what create renders: the partials and the MessageName files
// of every language. Loading it takes a third of the time that loading
// every message takes, at every cold start.
type signInTemplates struct{ fsys fs.FS }

// keep reports whether the file named name (a base name) is a partial or
// a part of MessageName. Folders have no dot in their names and are kept.
func keep(name string) bool {
	return !strings.Contains(name, ".") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, MessageName+".")
}

// Open opens the file name of the folder, unless it is left out.
func (t signInTemplates) Open(name string) (fs.File, error) {
	if name != "." && !keep(path.Base(name)) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return t.fsys.Open(name)
}

// ReadDir lists the folder name without what is left out.
func (t signInTemplates) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(t.fsys, name)
	if err != nil {
		return nil, err
	}
	kept := make([]fs.DirEntry, 0, len(entries))
	for _, e := range entries {
		if keep(e.Name()) {
			kept = append(kept, e)
		}
	}
	return kept, nil
}
