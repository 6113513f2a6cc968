package cognitrig

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// ModulePath is the module of the shipped functions.
const ModulePath = "github.com/cognitrig/cognitrig"

// Go packages built into functions, relative to ModulePath.
const (
	triggersDir = "triggers"
	bindingPkg  = "infra/userpoolbinding"
)

// builds caches the bootstraps built in this process, by module
// directory, package and architecture, so that one synth (or a test
// process that synthesizes several apps) builds each function once. Go's
// own build cache makes a rebuild in a later process quick.
var builds = struct {
	sync.Mutex
	dirs map[string]string
}{dirs: map[string]string{}}

// buildSpec says how to build the functions.
type buildSpec struct {
	moduleDir string // where go build runs: a module that has ModulePath
	outDir    string // where the asset directories go
	goarch    string // arm64 or amd64
	ours      bool   // moduleDir is ModulePath itself
}

// build compiles the packages (paths relative to ModulePath) for Lambda's
// provided.al2023 runtime, in one go build, and returns for each the
// directory that holds its executable bootstrap and nothing else. Packages
// built earlier in this process are not built again.
func (b buildSpec) build(pkgs ...string) (map[string]string, error) {
	builds.Lock()
	defer builds.Unlock()
	out := map[string]string{}
	var todo []string
	for _, p := range pkgs {
		if dir, ok := builds.dirs[b.key(p)]; ok {
			out[p] = dir
		} else {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 {
		return out, nil
	}
	if b.ours {
		for _, p := range todo {
			if _, err := os.Stat(filepath.Join(b.moduleDir, filepath.FromSlash(p))); err != nil {
				return nil, fmt.Errorf("cognitrig: cannot build %s: the directory %s does not exist", p, filepath.Join(b.moduleDir, filepath.FromSlash(p)))
			}
		}
	}
	if err := os.MkdirAll(b.outDir, 0o755); err != nil {
		return nil, fmt.Errorf("cognitrig: build directory: %w", err)
	}
	tmp, err := os.MkdirTemp(b.outDir, ".build-")
	if err != nil {
		return nil, fmt.Errorf("cognitrig: build directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	for dir, pkgs := range b.groups(todo) {
		args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w", "-o", tmp + string(filepath.Separator)}
		for _, p := range pkgs {
			args = append(args, path.Join(ModulePath, p))
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+b.goarch)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("cognitrig: go build of %s for linux/%s in %s failed: %w\n%s", strings.Join(pkgs, ", "), b.goarch, dir, err, strings.TrimSpace(stderr.String()))
		}
	}
	for _, p := range todo {
		dir := filepath.Join(b.outDir, strings.ReplaceAll(p, "/", "-")+"-"+b.goarch)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("cognitrig: asset directory: %w", err)
		}
		// A rename replaces the file atomically, so that a concurrent
		// synth never stages half a binary.
		if err := os.Rename(filepath.Join(tmp, path.Base(p)), filepath.Join(dir, "bootstrap")); err != nil {
			return nil, fmt.Errorf("cognitrig: asset of %s: %w", p, err)
		}
		builds.dirs[b.key(p)] = dir
		out[p] = dir
	}
	return out, nil
}

// groups returns the packages to build by the directory go build runs
// in. This repository holds the functions (triggers/) and the binding
// (infra/) in modules of their own, each built in its directory; a user's
// module requires both modules and builds everything.
func (b buildSpec) groups(pkgs []string) map[string][]string {
	out := map[string][]string{}
	for _, p := range pkgs {
		dir := b.moduleDir
		if sub := filepath.Join(b.moduleDir, strings.SplitN(p, "/", 2)[0]); b.ours && isFile(filepath.Join(sub, "go.mod")) {
			dir = sub
		}
		out[dir] = append(out[dir], p)
	}
	return out
}

// isFile reports whether p is a regular file.
func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (b buildSpec) key(pkg string) string {
	return b.moduleDir + "\x00" + b.outDir + "\x00" + pkg + "\x00" + b.goarch
}

// findModule returns the directory go build runs in: the nearest directory
// at or above start whose go.mod declares ModulePath, else the nearest
// directory with any go.mod (a user's module, which must require
// ModulePath's triggers and infra modules). ours reports which one it is.
func findModule(start string) (dir string, ours bool, err error) {
	var nearest string
	for d := start; ; d = filepath.Dir(d) {
		mod, err := modulePath(filepath.Join(d, "go.mod"))
		if err == nil {
			if mod == ModulePath {
				return d, true, nil
			}
			if nearest == "" {
				nearest = d
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if nearest != "" {
		return nearest, false, nil
	}
	return "", false, fmt.Errorf("cognitrig: no go.mod at or above %s; run the CDK app inside a Go module that requires %s/triggers and %s/infra, or set Props.ModuleDir", start, ModulePath, ModulePath)
}

// modulePath reads the module line of a go.mod.
func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", errors.New("no module line")
}

// defaultOutDir is where the bootstraps go: build/cdk in this repository
// (ignored by git, removed by make clean), or the user's cache directory
// when the functions are built from another module.
func defaultOutDir(moduleDir string, ours bool) (string, error) {
	if ours {
		return filepath.Join(moduleDir, "build", "cdk"), nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cognitrig: no cache directory for the function builds (%w); set Props.BuildDir", err)
	}
	return filepath.Join(cache, "cognitrig", "lambda"), nil
}
