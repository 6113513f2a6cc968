package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// TestFSHoldsEveryFixture checks that FS holds exactly the JSON files of
// the folder, at the same paths, each valid JSON.
func TestFSHoldsEveryFixture(t *testing.T) {
	onDisk, err := filepath.Glob(filepath.Join("*", "*.json"))
	if err != nil || len(onDisk) == 0 {
		t.Fatalf("no fixtures in the folder (err %v)", err)
	}
	for i, p := range onDisk {
		onDisk[i] = filepath.ToSlash(p)
	}
	embedded, err := fs.Glob(events.FS, "*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(onDisk)
	slices.Sort(embedded)
	for _, p := range onDisk {
		if _, found := slices.BinarySearch(embedded, p); !found {
			t.Errorf("FS lacks %s: add its folder to the go:embed lines of events.go", p)
		}
	}
	for _, p := range embedded {
		if _, found := slices.BinarySearch(onDisk, p); !found {
			t.Errorf("FS holds %s, which the folder does not", p)
		}
	}
	for _, p := range embedded {
		b, err := fs.ReadFile(events.FS, p)
		if err != nil {
			t.Errorf("read %s: %v", p, err)
			continue
		}
		if !json.Valid(b) {
			t.Errorf("%s is not valid JSON", p)
		}
	}
}

// TestImportsOnlyEmbed keeps the package free of dependencies: a module that
// imports it for its tests must not pull anything else in.
func TestImportsOnlyEmbed(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp != "embed" && imp != "io/fs" {
			t.Errorf("package events imports %s; it may import only embed and io/fs", imp)
		}
	}
}

// A handler runs on a sample event. In a test, triggertest.LoadFS(t,
// events.FS, path) reads the file and fails the test when it cannot.
func Example() {
	h := trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
		ev.Response.AutoConfirmUser = trigger.Bool(strings.HasSuffix(ev.Request.UserAttributes["email"], "@example.com"))
		return nil
	}, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))

	payload, err := fs.ReadFile(events.FS, "presignup/PreSignUp_SignUp.json")
	if err != nil {
		panic(err)
	}
	out, err := triggertest.Invoke(h, payload)
	fmt.Println(err, strings.Contains(string(out), `"autoConfirmUser":true`))
	// Output: <nil> true
}
