package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// spec says how the suite measures one function and which targets apply.
type spec struct {
	// order places the function in the table.
	order int
	// pkg and bench name its per-invocation benchmark: the function as its
	// bootstrap builds it, on its main fixture.
	pkg, bench string
	// sdk reports whether the function holds AWS SDK clients, which
	// chooses its size target.
	sdk bool
	// fast reports whether the per-invocation target applies.
	fast bool
	// reference marks the references, which have no targets.
	reference bool
}

const module = "github.com/cognitrig/cognitrig/"

// specs lists every function under triggers/ and every reference under
// cmd/bench/reference. The suite refuses to run when one is missing.
var specs = map[string]spec{
	"presignup":         {order: 1, pkg: "pkg/signup", bench: "BenchmarkPreSignUp/SignUp", sdk: true, fast: true},
	"defineauth":        {order: 2, pkg: "internal/passwordlesscore", bench: "BenchmarkDefineAuth/otp-right-answer", fast: true},
	"createauth":        {order: 3, pkg: "pkg/passwordless", bench: "BenchmarkCreateAuth", sdk: true},
	"verifyauth":        {order: 4, pkg: "internal/passwordlesscore", bench: "BenchmarkVerifyAuth", fast: true},
	"custommessage":     {order: 5, pkg: "triggers/custommessage", bench: "BenchmarkCustomMessage/SignUp"},
	"pretoken":          {order: 6, pkg: "pkg/claims", bench: "BenchmarkPreToken/v2/Authentication"},
	"postconfirmation":  {order: 7, pkg: "pkg/groups", bench: "BenchmarkPostConfirmation", sdk: true},
	"customemailsender": {order: 8, pkg: "pkg/customsender", bench: "BenchmarkCustomEmailSender", sdk: true},
	"customsmssender":   {order: 9, pkg: "pkg/customsender", bench: "BenchmarkCustomSMSSender", sdk: true},
	"awslambdago":       {order: 10, pkg: "pkg/trigger", bench: "BenchmarkPlainAWSLambdaGoDefine", reference: true},
	"awssdk":            {order: 11, reference: true},
}

// referenceEvent is the event of both references.
const referenceEvent = "events/defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json"

// Targets, on the 2-core machines of CI.
const (
	targetInitMS      = 5.0
	targetInitRatio   = 2.0 // init, over the awslambdago reference's in the same round
	targetNsPerOp     = 3500.0
	targetAllocsPerOp = 25.0
	targetSizeMB      = 6.5
	targetSizeSDKMB   = 9.0
	targetRSSMB       = 16.0
)

// benchPackages returns the packages holding the benchmarks of specs, by
// the folder (from root) of the module each belongs to, each package
// written from its module's folder ("./pkg/signup"): go test runs the
// packages of one module at a time, and pkg/customsender and triggers are
// modules of their own.
func benchPackages(root string) (map[string][]string, error) {
	byModule := map[string][]string{}
	for _, s := range specs {
		if s.pkg == "" {
			continue
		}
		mod, err := moduleOf(root, s.pkg)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(filepath.Join(root, mod), filepath.Join(root, s.pkg))
		if err != nil {
			return nil, err
		}
		pkg := "."
		if rel != "." {
			pkg = "./" + filepath.ToSlash(rel)
		}
		if !slices.Contains(byModule[mod], pkg) {
			byModule[mod] = append(byModule[mod], pkg)
		}
	}
	for _, pkgs := range byModule {
		slices.Sort(pkgs)
	}
	return byModule, nil
}

// moduleOf returns the folder, from root, of the module that holds the
// package in the folder pkg (from root): the nearest with a go.mod.
func moduleOf(root, pkg string) (string, error) {
	for dir := pkg; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(root, dir, "go.mod")); err == nil {
			return dir, nil
		}
		if dir == "." || dir == string(filepath.Separator) {
			return "", fmt.Errorf("no go.mod holds %s under %s", pkg, root)
		}
	}
}

// benchPattern returns the -bench pattern that selects the benchmarks of
// specs (with all their sub-benchmarks: the table uses one, the runs
// cost little).
func benchPattern() string {
	set := map[string]bool{}
	for _, s := range specs {
		if s.bench != "" {
			top, _, _ := strings.Cut(s.bench, "/")
			set[regexp.QuoteMeta(top)] = true
		}
	}
	return "^(" + strings.Join(slices.Sorted(maps.Keys(set)), "|") + ")$"
}
