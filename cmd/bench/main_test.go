package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/modroot"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/cognitrig/cognitrig/pkg/passwordless
cpu: AMD EPYC
BenchmarkDefineAuth/otp-right-answer-2         	  100	      9000 ns/op	    2000 B/op	      20 allocs/op
BenchmarkDefineAuth/otp-right-answer-2         	  100	      7000 ns/op	    2000 B/op	      20 allocs/op
BenchmarkDefineAuth/otp-right-answer-2         	  100	      8000 ns/op	    2100 B/op	      21 allocs/op
PASS
pkg: github.com/cognitrig/cognitrig/pkg/trigger
BenchmarkPlainAWSLambdaGoDefine   	  100	     25000 ns/op	  39.00 MB/s	    5000 B/op	      83 allocs/op
BenchmarkNoise says hello
ok  	github.com/cognitrig/cognitrig/pkg/trigger	1.0s
`
	runs, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  benchKey
		want benchFigures
		n    int
	}{
		{benchKey{module + "pkg/passwordless", "BenchmarkDefineAuth/otp-right-answer"}, benchFigures{8000, 2000, 20}, 3},
		{benchKey{module + "pkg/trigger", "BenchmarkPlainAWSLambdaGoDefine"}, benchFigures{25000, 5000, 83}, 1},
		{benchKey{module + "pkg/trigger", "BenchmarkNoise"}, benchFigures{}, 0},
	}
	for _, tt := range tests {
		got, n := runs.median(tt.key)
		if got != tt.want || n != tt.n {
			t.Errorf("median(%v) = %+v over %d runs, want %+v over %d", tt.key, got, n, tt.want, tt.n)
		}
	}
	if _, err := parseBench(strings.NewReader("BenchmarkX-2 10 5 ns/op\n")); err == nil {
		t.Error("a line without -benchmem figures was accepted")
	}
}

func TestPercentileAndMedian(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 500; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		p    int
		want time.Duration
	}{{50, 250 * time.Millisecond}, {99, 495 * time.Millisecond}, {100, 500 * time.Millisecond}, {1, 5 * time.Millisecond}} {
		if got := percentile(ds, tt.p); got != tt.want {
			t.Errorf("percentile %d = %v, want %v", tt.p, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkX-2":          "BenchmarkX",
		"BenchmarkX/sub-case-8": "BenchmarkX/sub-case",
		"BenchmarkX/sub-case":   "BenchmarkX/sub-case",
		"BenchmarkX":            "BenchmarkX",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSpecsCoverEveryFunction checks that the suite knows every function
// and reference, and that each benchmark it names exists.
func TestSpecsCoverEveryFunction(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, sub := range []string{"triggers", filepath.Join("cmd", "bench", "reference")} {
		names, err := modroot.Mains(filepath.Join(root, sub))
		if err != nil || len(names) == 0 {
			t.Fatalf("no main packages under %s (%v)", sub, err)
		}
		for _, name := range names {
			if _, ok := specs[name]; !ok {
				t.Errorf("%s/%s has no entry in specs", sub, name)
			}
		}
	}
	pattern := regexp.MustCompile(benchPattern())
	for name, s := range specs {
		if s.bench == "" {
			continue
		}
		top, _, _ := strings.Cut(s.bench, "/")
		if !pattern.MatchString(top) {
			t.Errorf("%s: the -bench pattern does not select %s", name, top)
		}
		files, _ := filepath.Glob(filepath.Join(root, s.pkg, "*_test.go"))
		found := false
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "func "+top+"(b *testing.B)") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no func %s in %s", name, top, s.pkg)
		}
	}
}

// TestBenchPackagesByModule checks that each benchmark's package is run
// from the module that holds it: go test takes one module's packages.
func TestBenchPackagesByModule(t *testing.T) {
	got, err := benchPackages(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ module, pkg string }{
		{".", "./pkg/signup"},
		{".", "./pkg/trigger"},
		{"pkg/customsender", "."},
		{"triggers", "./custommessage"},
	} {
		if !slices.Contains(got[tc.module], tc.pkg) {
			t.Errorf("module %s: packages %q, want %s among them", tc.module, got[tc.module], tc.pkg)
		}
	}
	for mod, pkgs := range got {
		for _, p := range pkgs {
			if mod == "." && (strings.HasPrefix(p, "./pkg/customsender") || strings.HasPrefix(p, "./triggers")) {
				t.Errorf("%s is run from the root module, which does not hold it", p)
			}
		}
	}
}
