package consumer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

// heavy are the modules a user's module must not list unless it imports
// what needs them: by path prefix, what needs them.
var heavy = []struct{ prefix, neededBy string }{
	{"github.com/aws/aws-cdk-go/", "the CDK construct (module infra)"},
	{"github.com/aws/jsii-runtime-go", "the CDK construct (module infra)"},
	{"github.com/aws/constructs-go/", "the CDK construct (module infra)"},
	{"github.com/cdklabs/", "the CDK construct (module infra)"},
	{"github.com/aws/aws-encryption-sdk/", "the custom senders (module pkg/customsender)"},
	{"github.com/aws/aws-cryptographic-material-providers-library/", "the custom senders (module pkg/customsender)"},
	{"github.com/go-chi/", "the Lambda runtime interface emulator (a tool of module triggers)"},
	{"github.com/sirupsen/logrus", "the Lambda runtime interface emulator (a tool of module triggers)"},
}

// TestConsumerModuleGraph builds a user's module for each audience and
// checks its module graph: one that imports every Lambda-side package of
// the root module, and one that imports the custom senders as well, which
// may list the Encryption SDK and nothing else of heavy.
func TestConsumerModuleGraph(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := modroot.Find()
	if err != nil {
		t.Fatal(err)
	}
	out, err := goCmd(t, root, "list", "./pkg/...")
	if err != nil {
		t.Fatalf("go list ./pkg/...: %v\n%s", err, out)
	}
	lambdaSide := strings.Fields(out)
	tests := []struct {
		name    string
		imports []string
		modules map[string]string // module path to its directory under root
		allowed string            // a heavy prefix this consumer may list
	}{
		{name: "a trigger on pkg/trigger", imports: []string{"github.com/cognitrig/cognitrig/pkg/trigger"}},
		{name: "every Lambda-side package of the root module", imports: lambdaSide},
		{name: "the custom senders",
			imports: []string{"github.com/cognitrig/cognitrig/pkg/customsender"},
			modules: map[string]string{"github.com/cognitrig/cognitrig/pkg/customsender": "pkg/customsender"},
			allowed: "the custom senders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gomod := "module example.com/consumer\n\ngo 1.26\n\nrequire github.com/cognitrig/cognitrig v0.0.0\n\nreplace github.com/cognitrig/cognitrig => " + root + "\n"
			for path, sub := range tt.modules {
				gomod += "\nrequire " + path + " v0.0.0\n\nreplace " + path + " => " + filepath.Join(root, sub) + "\n"
			}
			main := "package main\n\nimport (\n"
			for _, p := range tt.imports {
				main += "\t_ \"" + p + "\"\n"
			}
			main += ")\n\nfunc main() {}\n"
			write(t, filepath.Join(dir, "go.mod"), gomod)
			// The checksums a user's module gets from ours, so that the
			// go command verifies against them and not the checksum
			// database, which this test does not reach.
			sums := read(t, filepath.Join(root, "go.sum"))
			for _, sub := range tt.modules {
				sums += read(t, filepath.Join(root, sub, "go.sum"))
			}
			write(t, filepath.Join(dir, "go.sum"), sums)
			write(t, filepath.Join(dir, "main.go"), main)
			if out, err := goCmd(t, dir, "build", "-o", os.DevNull, "."); err != nil {
				t.Fatalf("the consumer does not build: %v\n%s", err, out)
			}
			// -e: list the graph even where a module of it, needed only by tests
			// of other modules, is not in the module cache.
			out, err := goCmd(t, dir, "list", "-m", "-e", "all")
			if err != nil {
				t.Fatalf("go list -m all: %v\n%s", err, out)
			}
			mods := strings.Split(strings.TrimSpace(out), "\n")
			for _, m := range mods {
				for _, h := range heavy {
					allowed := tt.allowed != "" && strings.HasPrefix(h.neededBy, tt.allowed)
					if strings.HasPrefix(m, h.prefix) && !allowed {
						t.Errorf("the module graph lists %s, which only %s needs", m, h.neededBy)
					}
				}
			}
			t.Logf("%d modules in the graph", len(mods))
		})
	}
}

// goCmd runs the go command in dir, offline, letting it complete go.mod
// and go.sum from the module cache (make test downloads every module of
// the repository first).
func goCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
