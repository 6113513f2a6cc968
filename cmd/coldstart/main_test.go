package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

// bootstraps is the -bootstrap-dir of the tests, built by TestMain:
//
//	echofn    the rie tests' echo function (aws-lambda-go)
//	exits     a script that writes "boom" and exits with status 3 at once
//	hangs     a script that never asks for an event
//	connects  a script that calls AWS_ENDPOINT_URL, then runs echofn
var bootstraps string

// scripts are the bootstraps of the tests that are shell scripts.
var scripts = map[string]string{
	"exits": "#!/bin/sh\necho boom >&2\nexit 3\n",
	"hangs": "#!/bin/sh\nexec sleep 60\n",
	"connects": "#!/bin/bash\n" +
		"a=${AWS_ENDPOINT_URL#http://}\n" +
		"exec 3<>/dev/tcp/${a%:*}/${a#*:} || exit 1\n" +
		"printf 'GET /startup HTTP/1.1\\r\\nHost: probe\\r\\n\\r\\n' >&3\n" +
		"cat <&3 >/dev/null\n" +
		"exec \"$ECHOFN\"\n",
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coldstart-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bootstraps = dir
	if err := setup(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func setup(dir string) error {
	if err := rietest.Build(filepath.Join(dir, "echofn", "bootstrap"), "../../internal/rie/testdata/echofn"); err != nil {
		return err
	}
	for name, script := range scripts {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name, "bootstrap"), []byte(script), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// writeEvent writes an event file for the test and returns its path.
func writeEvent(t *testing.T, event string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(p, []byte(event), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runJSON runs coldstart with -json and few starts and invocations on the
// test bootstraps, and returns its exit status and report.
func runJSON(t *testing.T, args ...string) (int, report, string) {
	t.Helper()
	args = append([]string{"-json", "-bootstrap-dir", bootstraps, "-n", "3", "-warmup", "1", "-invocations", "50"}, args...)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	var rep report
	if code != exitFailure {
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("the output is no JSON report: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
		}
	}
	return code, rep, stderr.String()
}

func TestMeasuresABootstrap(t *testing.T) {
	code, rep, stderr := runJSON(t, "-event", "echofn="+writeEvent(t, `{"hello":"world"}`), "echofn")
	if code != exitOK {
		t.Fatalf("got exit status %d; want %d\nstderr: %s", code, exitOK, stderr)
	}
	if len(rep.Functions) != 1 {
		t.Fatalf("got %d results; want 1", len(rep.Functions))
	}
	r := rep.Functions[0]
	checks := []struct {
		what string
		ok   bool
	}{
		{"measured", r.Failure == ""},
		{"positive init", r.Init != nil && r.Init.Min > 0},
		{"first invoke after init", r.FirstInvoke != nil && r.Init != nil && r.FirstInvoke.Median >= r.Init.Median},
		{"ordered statistics", r.Init != nil && r.Init.Min <= r.Init.Median && r.Init.Median <= r.Init.P90 && r.Init.P90 <= r.Init.Max},
		{"positive size", r.SizeBytes > 0},
		{"a Go version", r.GoVersion != ""},
		{"every invocation done", r.Memory != nil && r.Memory.Invocations == 50 && r.Memory.Errors == 0},
		{"positive peak RSS", r.Memory != nil && r.Memory.PeakRSSKB > 0 && r.Memory.PeakRSSKB >= r.Memory.RSSKB},
		{"no connection", r.StartupConnections == 0 && r.Memory != nil && r.Memory.Connections == 0},
		{"no error", r.FirstError == ""},
		{"the machine", rep.Machine.Cores > 0 && rep.Machine.CPU != "" && rep.Machine.GoVersion != ""},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("want %s; got %+v, memory %+v", c.what, r, r.Memory)
		}
	}
}

func TestReportsWhatGoesWrong(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the connects bootstrap needs bash")
	}
	echofn := filepath.Join(bootstraps, "echofn", "bootstrap")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		check    func(t *testing.T, r result)
	}{
		{"a bootstrap that exits at start", []string{"-event", "exits=" + writeEvent(t, `{}`), "exits"}, exitFindings, func(t *testing.T, r result) {
			for _, want := range []string{"start 1 of 4: init:", "Runtime.ExitError", "exit status 3", "boom"} {
				if !strings.Contains(r.Failure, want) {
					t.Errorf("got failure %q; want it to say %q", r.Failure, want)
				}
			}
			if r.Init != nil || r.Memory != nil {
				t.Errorf("got figures %+v; want none", r)
			}
		}},
		{"a bootstrap that never asks for an event", []string{"-timeout", "300ms", "-event", "hangs=" + writeEvent(t, `{}`), "hangs"}, exitFindings, func(t *testing.T, r result) {
			if !strings.Contains(r.Failure, "init: no first next request within 300ms") {
				t.Errorf("got failure %q; want the timeout named", r.Failure)
			}
		}},
		{"a bootstrap that connects at start", []string{"-env", "ECHOFN=" + echofn, "-event", "connects=" + writeEvent(t, `{}`), "connects"}, exitFindings, func(t *testing.T, r result) {
			if r.StartupConnections != 1 || len(r.StartupRequests) != 1 || r.StartupRequests[0] != "GET probe/startup" {
				t.Errorf("got %d connections %q; want 1, GET probe/startup", r.StartupConnections, r.StartupRequests)
			}
			if r.Failure != "" {
				t.Errorf("got failure %q; want none", r.Failure)
			}
		}},
		{"a function error on the event", []string{"-event", "echofn=" + writeEvent(t, `{"fail":true}`), "echofn"}, exitOK, func(t *testing.T, r result) {
			if !strings.Contains(r.FirstError, "echofn was asked to fail") || r.Memory == nil || r.Memory.Errors != r.Memory.Invocations {
				t.Errorf("got first error %q, memory %+v; want the function error, every invocation failed", r.FirstError, r.Memory)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, rep, stderr := runJSON(t, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("got exit status %d; want %d\nstderr: %s", code, tt.wantCode, stderr)
			}
			if len(rep.Functions) != 1 {
				t.Fatalf("got %d results; want 1", len(rep.Functions))
			}
			tt.check(t, rep.Functions[0])
		})
	}
}

func TestMarkdownTable(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-bootstrap-dir", bootstraps, "-n", "2", "-warmup", "0", "-invocations", "20",
		"-event", "echofn=" + writeEvent(t, `{}`), "-event", "exits=" + writeEvent(t, `{}`), "echofn", "exits"}
	if code := run(context.Background(), args, &stdout, &stderr); code != exitFindings {
		t.Fatalf("got exit status %d; want %d\nstderr: %s", code, exitFindings, stderr.String())
	}
	out := stdout.String()
	var rows []string
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	want := []string{
		"| function | init median (p90) | first invoke median (p90) | size | peak RSS after 20 | start-up connections |",
		"|---|---:|---:|---:|---:|---:|",
		"| echofn | ",
		"| exits | not measured | — | 0.0 MiB | — | — |",
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d table lines; want %d:\n%s", len(rows), len(want), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(rows[i], w) || strings.Count(rows[i], "|") != 7 {
			t.Errorf("got line %q; want 6 cells starting %q", rows[i], w)
		}
	}
	for _, w := range []string{"Machine: ", "Bootstraps built with go", "exits was not measured:", "boom"} {
		if !strings.Contains(out, w) {
			t.Errorf("want the output to hold %q; got:\n%s", w, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	event := writeEvent(t, `{}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no starts", []string{"-n", "0", "echofn"}, "-n 0: give at least 1 start"},
		{"no event", []string{"-bootstrap-dir", bootstraps, "echofn"}, "no event for echofn: pass -event echofn=FILE"},
		{"an event for no function", []string{"-bootstrap-dir", bootstraps, "-event", "echofn=" + event, "-event", "other=" + event, "echofn"}, "-event names other, which is not measured"},
		{"no bootstrap", []string{"-bootstrap-dir", bootstraps, "-event", "nothing=" + event, "nothing"}, "no bootstrap for nothing"},
		{"no such function to build", []string{"nothing"}, `no function "nothing" under triggers/; the functions are: `},
		{"an unreadable event", []string{"-bootstrap-dir", bootstraps, "-event", "echofn=/nonexistent.json", "echofn"}, "the event of echofn"},
		{"a bad -env", []string{"-env", "novalue", "echofn"}, `"novalue" is not KEY=value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, &stdout, &stderr); code != exitFailure {
				t.Errorf("got exit status %d; want %d", code, exitFailure)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("got %q; want it to say %q", stderr.String(), tt.want)
			}
		})
	}
}

func TestDefaultEventsExist(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	names, err := triggerNames(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		ev, ok := defaultEvents[name]
		if !ok {
			t.Errorf("function %s has no default event", name)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "events", ev)); err != nil {
			t.Errorf("the default event of %s: %v", name, err)
		}
	}
}

func TestPercentiles(t *testing.T) {
	tests := []struct {
		sorted      []int
		median, p90 int
	}{
		{[]int{7}, 7, 7},
		{[]int{1, 2}, 1, 2},
		{[]int{1, 2, 3}, 2, 3},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 9},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 10, 18},
	}
	for _, tt := range tests {
		if got := median(tt.sorted); got != tt.median {
			t.Errorf("median of %v: got %d; want %d", tt.sorted, got, tt.median)
		}
		if got := percentile(tt.sorted, 90); got != tt.p90 {
			t.Errorf("p90 of %v: got %d; want %d", tt.sorted, got, tt.p90)
		}
	}
}

func TestCPUModel(t *testing.T) {
	tests := []struct {
		name, cpuinfo, want string
	}{
		{"x86", "processor\t: 0\nmodel name\t: AMD EPYC 7R13 Processor\nprocessor\t: 1\nmodel name\t: AMD EPYC 7R13 Processor\n", "AMD EPYC 7R13 Processor"},
		{"arm64", "processor\t: 0\nBogoMIPS\t: 243.75\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n", "CPU implementer 0x41, part 0xd0c"},
		{"nothing known", "processor\t: 0\n", "unknown"},
	}
	for _, tt := range tests {
		if got := cpuModel(tt.cpuinfo); got != tt.want {
			t.Errorf("%s: got %q; want %q", tt.name, got, tt.want)
		}
	}
}
