package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// benchKey names one benchmark: its package and its full name without the
// GOMAXPROCS suffix ("BenchmarkDefineAuth/otp-right-answer").
type benchKey struct {
	pkg, name string
}

// benchFigures is what one line of go test -bench -benchmem output says.
type benchFigures struct {
	nsPerOp, bytesPerOp, allocsPerOp float64
}

// benchRuns holds every run of every benchmark, in the order they ran.
type benchRuns map[benchKey][]benchFigures

// median returns the median of each figure over the runs of k, and the
// number of runs.
func (r benchRuns) median(k benchKey) (benchFigures, int) {
	runs := r[k]
	pick := func(f func(benchFigures) float64) float64 {
		vs := make([]float64, len(runs))
		for i, run := range runs {
			vs[i] = f(run)
		}
		return median(vs)
	}
	return benchFigures{
		nsPerOp:     pick(func(b benchFigures) float64 { return b.nsPerOp }),
		bytesPerOp:  pick(func(b benchFigures) float64 { return b.bytesPerOp }),
		allocsPerOp: pick(func(b benchFigures) float64 { return b.allocsPerOp }),
	}, len(runs)
}

// median returns the median of vs (the mean of the middle two for an even
// count), or 0 for none. It sorts vs.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// runGoBench runs go test -bench over pkgs and returns every run it
// reported. Its output goes to log as it comes.
func runGoBench(ctx context.Context, root string, pattern string, count int, pkgs []string, log io.Writer) (benchRuns, error) {
	args := append([]string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-count", strconv.Itoa(count)}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, log)
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return parseBench(&out)
}

// parseBench reads the output of go test -bench -benchmem: "pkg:" lines set
// the package of the benchmark lines that follow.
func parseBench(r io.Reader) (benchRuns, error) {
	runs := benchRuns{}
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !isInt(f[1]) {
			continue // a benchmark's own output, or a failure line
		}
		var b benchFigures
		seen := 0
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark line %q: %q is not a number", line, f[i])
			}
			switch f[i+1] {
			case "ns/op":
				b.nsPerOp, seen = v, seen|1
			case "B/op":
				b.bytesPerOp, seen = v, seen|2
			case "allocs/op":
				b.allocsPerOp, seen = v, seen|4
			}
		}
		if seen != 7 {
			return nil, fmt.Errorf("benchmark line %q lacks ns/op, B/op or allocs/op; run with -benchmem", line)
		}
		k := benchKey{pkg: pkg, name: trimProcs(f[0])}
		runs[k] = append(runs[k], b)
	}
	return runs, sc.Err()
}

// trimProcs removes the -GOMAXPROCS suffix go test adds to a benchmark name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i > 0 && isInt(name[i+1:]) {
		return name[:i]
	}
	return name
}

func isInt(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}
