package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

const (
	// modulePath is this repository's root module. Its triggers/
	// directory, the module of the functions, pins the emulator's version
	// (toolModuleDir).
	modulePath    = "github.com/cognitrig/cognitrig"
	toolModuleDir = "triggers"
	// emulatorModule and emulatorPackage are the emulator's module and main
	// package.
	emulatorModule  = "github.com/aws/aws-lambda-runtime-interface-emulator"
	emulatorPackage = emulatorModule + "/cmd/aws-lambda-rie"
	// emulatorName is the emulator's executable name.
	emulatorName = "aws-lambda-rie"
)

// goTool runs the go command in dir with the extra environment variables
// env and returns its standard output, trimmed. A failure carries the
// command's standard error.
func goTool(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// hostEnv makes a build for this machine, static, whatever GOOS, GOARCH and
// CGO_ENABLED the caller's environment sets.
func hostEnv() []string {
	return []string{"CGO_ENABLED=0", "GOOS=" + runtime.GOOS, "GOARCH=" + runtime.GOARCH}
}

// buildFunction builds the main package pkg of the module holding the
// working directory as a Lambda bootstrap for this machine, into a new
// directory under tmp named after the package. It returns the bootstrap's
// path.
func buildFunction(ctx context.Context, pkg, tmp string, progress io.Writer) (string, error) {
	// A directory is built in the module that holds it (the functions of
	// this repository are a module of their own); an import path in the
	// working directory's module.
	dir, shown := "", pkg
	if fi, err := os.Stat(pkg); err == nil && fi.IsDir() {
		dir, pkg = pkg, "."
	}
	out, err := goTool(ctx, dir, nil, "list", "-f", "{{.Name}} {{.Dir}}", pkg)
	if err != nil {
		return "", fmt.Errorf("cannot find -package %s: %v", shown, err)
	}
	name, pkgDir, _ := strings.Cut(out, " ")
	if name != "main" {
		return "", fmt.Errorf("-package %s is package %s, not a main package: give the package of the function's main", shown, name)
	}
	bootstrap := filepath.Join(tmp, filepath.Base(pkgDir), "bootstrap")
	args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-o", bootstrap, pkg}
	fmt.Fprintf(progress, "invoke: building %s for %s/%s: go %s\n", shown, runtime.GOOS, runtime.GOARCH, strings.Join(args, " "))
	if _, err := goTool(ctx, dir, hostEnv(), args...); err != nil {
		return "", fmt.Errorf("cannot build -package %s: %v", shown, err)
	}
	return bootstrap, nil
}

// findEmulator returns the path of an aws-lambda-rie executable, looking in
// order for
//
//  1. build/tools/aws-lambda-rie in the root of this repository (or of
//     the working directory's module), where the Makefile builds it;
//  2. aws-lambda-rie on PATH;
//  3. build/tools/aws-lambda-rie in the clone of this repository that the
//     working directory's module uses;
//  4. a build of the version that clone's triggers/go.mod pins, in
//     cacheDir/cognitrig/aws-lambda-rie/VERSION-GOOS-GOARCH, made once with
//     go build in that module.
//
// It says on progress what it builds, and, when verbose, what it uses.
func findEmulator(ctx context.Context, cacheDir string, verbose bool, progress io.Writer) (string, error) {
	found := func(p, where string) (string, error) {
		if verbose {
			fmt.Fprintf(progress, "invoke: using the emulator %s (%s)\n", p, where)
		}
		return p, nil
	}
	if root, err := modroot.Find(); err == nil {
		p := filepath.Join(root, "build", "tools", emulatorName)
		if isExecutable(p) {
			return found(p, "the repository's build/tools")
		}
	}
	if p, err := exec.LookPath(emulatorName); err == nil {
		return found(p, "on PATH")
	}
	how := fmt.Sprintf("build it with make build/tools/%s in a clone of %s, or install it on PATH, then pass -emulator PATH", emulatorName, modulePath)
	// The clone of this repository that the working directory's module
	// uses (through a replace directive): its Makefile's build, or a build
	// in its functions' module, which pins the version.
	root, err := goTool(ctx, "", nil, "list", "-m", "-f", "{{.Dir}}", modulePath)
	if err != nil || root == "" {
		return "", fmt.Errorf("no emulator in build/tools or on PATH, and no module %s here to build it from: %s", modulePath, how)
	}
	if p := filepath.Join(root, "build", "tools", emulatorName); isExecutable(p) {
		return found(p, "the build/tools of "+root)
	}
	src := filepath.Join(root, toolModuleDir)
	if !isFile(filepath.Join(src, "go.mod")) {
		return "", fmt.Errorf("no emulator in build/tools or on PATH, and %s is not a clone of %s with its %s module to build it from: %s", root, modulePath, toolModuleDir, how)
	}
	version, err := goTool(ctx, src, nil, "list", "-m", "-f", "{{.Version}}", emulatorModule)
	if err != nil || version == "" {
		return "", fmt.Errorf("cannot find the emulator's version in %s: %v; %s", src, err, how)
	}
	if cacheDir == "" {
		return "", fmt.Errorf("no emulator in build/tools or on PATH, and no cache directory to build one into: %s", how)
	}
	dir := filepath.Join(cacheDir, "cognitrig", emulatorName, version+"-"+runtime.GOOS+"-"+runtime.GOARCH)
	p := filepath.Join(dir, emulatorName)
	if isExecutable(p) {
		return found(p, "built earlier")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot build the emulator: %v", err)
	}
	// Build under another name and rename, so that an interrupted build
	// leaves no half-written emulator behind.
	tmp, err := os.CreateTemp(dir, emulatorName+"-*.tmp")
	if err != nil {
		return "", fmt.Errorf("cannot build the emulator: %v", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	fmt.Fprintf(progress, "invoke: no %s in build/tools or on PATH: building the Lambda runtime interface emulator once (about a minute on a cold cache): cd %s && go build -trimpath -o %s %s\n",
		emulatorName, src, p, emulatorPackage)
	if _, err := goTool(ctx, src, hostEnv(), "build", "-trimpath", "-o", tmp.Name(), emulatorPackage); err != nil {
		return "", fmt.Errorf("cannot build the emulator in %s: %v", src, err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", fmt.Errorf("cannot build the emulator: %v", err)
	}
	return p, nil
}

// isExecutable reports whether p is a regular file someone may execute.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// isFile reports whether p is a regular file.
func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
