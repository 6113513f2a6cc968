// Command testprogress turns the output of go test -json into a line per
// package as it finishes, in the order they finish, so that a long test
// run shows where it is: go test's own output holds each package's result
// until the packages listed before it have finished. make test pipes its
// go test runs through it:
//
//	go test -json ./... | go run ./internal/testprogress
//
// A package that passes gets one line (ok, the package, its time); one
// that fails gets its whole output, as go test prints it, then its FAIL
// line; build errors are printed as they come. When no package has
// finished for a minute, a line names the packages still running. Lines
// that are not JSON are passed through. It exits 1 when a package failed
// or did not build, else 0; the caller should also check go test's status
// (set -o pipefail).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// event is a line of go test -json (cmd/test2json), with the build events
// of go build -json.
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string // of build-output and build-fail
}

func main() {
	p := newProgress(os.Stdout, time.Now)
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.tick(time.Minute)
			case <-stop:
				return
			}
		}
	}()
	failed := p.read(os.Stdin)
	close(stop)
	if failed {
		os.Exit(1)
	}
}

// progress keeps the state of the packages of one go test run.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	start   time.Time
	last    time.Time            // when the last line was printed
	running map[string]time.Time // package: when it started
	output  map[string]*strings.Builder
	ok, bad int
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, now: now, start: t, last: t, running: map[string]time.Time{}, output: map[string]*strings.Builder{}}
}

// read prints the run read from r and reports whether a package failed.
func (p *progress) read(r io.Reader) bool {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		p.line(sc.Bytes())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := sc.Err(); err != nil {
		fmt.Fprintf(p.w, "testprogress: reading go test's output: %v\n", err)
		p.bad++
	}
	if p.ok+p.bad > 0 {
		fmt.Fprintf(p.w, "%d packages tested: %d ok, %d failed (%s)\n", p.ok+p.bad, p.ok, p.bad, p.now().Sub(p.start).Round(time.Second))
	}
	return p.bad > 0
}

// line handles one line of go test -json.
func (p *progress) line(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var e event
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &e) != nil {
		fmt.Fprintf(p.w, "%s\n", b)
		return
	}
	switch e.Action {
	case "build-output":
		fmt.Fprint(p.w, e.Output)
		p.last = p.now()
		return
	case "build-fail":
		return // the package's fail event follows
	}
	if e.Package == "" {
		return
	}
	switch {
	case e.Action == "start":
		p.running[e.Package] = p.now()
	case e.Action == "output":
		out := p.output[e.Package]
		if out == nil {
			out = &strings.Builder{}
			p.output[e.Package] = out
		}
		out.WriteString(e.Output)
	case e.Test != "":
		// A test's own result: its package's result follows.
	case e.Action == "pass":
		p.ok++
		p.finish(e, fmt.Sprintf("ok    %s\t%.1fs\n", e.Package, e.Elapsed))
	case e.Action == "skip": // no test files, or no tests
		p.finish(e, "")
	case e.Action == "fail":
		p.bad++
		out := ""
		if o := p.output[e.Package]; o != nil {
			out = o.String()
		}
		if !strings.Contains(out, "FAIL\t"+e.Package) {
			out += fmt.Sprintf("FAIL  %s\t%.1fs\n", e.Package, e.Elapsed)
		}
		p.finish(e, out)
	}
}

// finish prints the package's lines and forgets it. The caller holds p.mu.
func (p *progress) finish(e event, lines string) {
	delete(p.running, e.Package)
	delete(p.output, e.Package)
	if lines != "" {
		fmt.Fprint(p.w, lines)
		p.last = p.now()
	}
}

// tick prints the packages still running when nothing was printed for
// quiet.
func (p *progress) tick(quiet time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.last) < quiet || len(p.running) == 0 {
		return
	}
	var names []string
	for pkg, since := range p.running {
		names = append(names, fmt.Sprintf("%s (%s)", pkg, now.Sub(since).Round(time.Second)))
	}
	slices.Sort(names)
	fmt.Fprintf(p.w, "  still running: %s\n", strings.Join(names, ", "))
	p.last = now
}
