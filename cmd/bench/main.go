// Command bench runs the performance suite of cognitrig and prints one
// Markdown table: for every shipped function (and two references), its
// per-invocation cost, cold start, binary size, peak memory and start-up
// connections, and for create auth challenge the latency of a real send
// through SES v2 to a local moto_server. docs/performance.md holds the
// table of a run, the targets and what was done to meet them.
//
// Usage, from the module root (make bench runs it):
//
//	go run ./cmd/bench [-count 5] [-n 20] [-rounds 3] [-invocations 10000]
//	       [-network 500] [-o build/bench/performance.md]
//
// The suite:
//
//  1. per invocation: go test -bench -benchmem -count N of each function's
//     benchmark, which runs the function as its bootstrap builds it,
//     through the adapter, on a fixture of events/, with in-process fakes
//     in place of AWS; the median of the N runs;
//  2. cold start, size, memory and start-up connections: cmd/coldstart on
//     the stripped bootstraps, -rounds times; each figure is the median of
//     the rounds' figures (the init and first invoke figures of a round
//     are themselves medians over -n starts). Create auth challenge's
//     memory round sends real emails to moto_server, because its default
//     event (an unknown user) waits a decoy delay;
//  3. with the network: -rounds rounds of -network create auth challenge
//     invocations that each send an email through SES v2 to moto_server,
//     with one SDK client; the medians of the rounds' p50 and p99.
//
// The references are built from cmd/bench/reference: awslambdago, a define
// auth challenge function with aws-lambda-go alone, and awssdk, the same
// with the SDK's default configuration loader and SES v2 and SNS clients.
// The per-invocation reference is aws-lambda-go's handler on the same
// define event (BenchmarkPlainAWSLambdaGoDefine in pkg/trigger).
//
// It needs Linux, moto_server on PATH, and a quiet machine: it takes about
// 15 minutes with the defaults. It exits with status 1 when a figure could
// not be measured, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/cognitrig/cognitrig/internal/cli"
	"github.com/cognitrig/cognitrig/internal/moto"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// settings are the command's flags.
type settings struct {
	count, starts, rounds, invocations, network int
	out                                         string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("bench", stderr, "")
	var s settings
	fs.IntVar(&s.count, "count", 5, "runs of each go test benchmark")
	fs.IntVar(&s.starts, "n", 20, "cold starts per function in each round")
	fs.IntVar(&s.rounds, "rounds", 3, "rounds of cold starts, memory runs and network runs")
	fs.IntVar(&s.invocations, "invocations", 10000, "invocations before the peak RSS is read")
	fs.IntVar(&s.network, "network", 500, "create auth challenge invocations with SES v2 per round")
	fs.StringVar(&s.out, "o", filepath.Join("build", "bench", "performance.md"), "also write the table to `file` (empty: don't)")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	if s.count < 1 || s.starts < 1 || s.rounds < 1 || s.invocations < 1 || s.network < 1 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "bench: -count, -n, -rounds, -invocations and -network must be positive, and no arguments follow the flags")
		return 2
	}
	if err := suite(ctx, s, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	return 0
}

func suite(ctx context.Context, s settings, stdout, stderr io.Writer) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "triggers")); err != nil {
		return fmt.Errorf("run it from the module root (make bench does): %w", err)
	}
	dir, err := os.MkdirTemp("", "bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	logf("building the bootstraps")
	functions, references, err := buildBootstraps(ctx, root, dir)
	if err != nil {
		return err
	}
	for _, name := range append(append([]string{}, functions...), references...) {
		if _, ok := specs[name]; !ok {
			return fmt.Errorf("%s has no entry in the suite (cmd/bench/specs.go): add its benchmark and targets", name)
		}
	}

	logf("per invocation: go test -bench, %d runs each", s.count)
	byModule, err := benchPackages(root)
	if err != nil {
		return err
	}
	runs := benchRuns{}
	for _, mod := range slices.Sorted(maps.Keys(byModule)) {
		got, err := runGoBench(ctx, filepath.Join(root, mod), benchPattern(), s.count, byModule[mod], stderr)
		if err != nil {
			return err
		}
		for k, v := range got {
			runs[k] = append(runs[k], v...)
		}
	}

	logf("starting moto_server")
	motoLog, err := os.Create(filepath.Join(dir, "moto.log"))
	if err != nil {
		return err
	}
	defer motoLog.Close()
	srv, err := moto.Start(ctx, 0, motoLog)
	if err != nil {
		return err
	}
	defer srv.Close()

	logf("with the network: %d rounds of %d create auth challenge invocations sending through SES v2 to moto_server", s.rounds, s.network)
	lat, err := measureNetwork(ctx, root, srv.Endpoint, s.network, s.rounds)
	if err != nil {
		return err
	}

	var reports []*coldstartReport
	var sendMemory []*coldstartReport
	measured := append(append([]string{}, functions...), references...)
	for r := range s.rounds {
		logf("cold start, size and memory: round %d of %d", r+1, s.rounds)
		// Create auth challenge's default event waits a decoy delay per
		// invocation; its memory is read in the round after, so a minute
		// bounds its memory run here.
		csArgs := []string{"-n", strconv.Itoa(s.starts), "-invocations", strconv.Itoa(s.invocations), "-memory-time", "1m"}
		for _, ref := range references {
			csArgs = append(csArgs, "-event", ref+"="+filepath.Join(root, referenceEvent))
		}
		rep, err := runColdstart(ctx, root, dir, stderr, append(csArgs, measured...)...)
		if err != nil {
			return err
		}
		reports = append(reports, rep)
		logf("memory of create auth challenge sending through SES v2: round %d of %d", r+1, s.rounds)
		rep, err = runColdstart(ctx, root, dir, stderr, "-n", "1", "-warmup", "0", "-invocations", strconv.Itoa(s.invocations),
			"-event", "createauth="+filepath.Join(root, networkEvent), "-env", "AWS_ENDPOINT_URL="+srv.Endpoint, "createauth")
		if err != nil {
			return err
		}
		sendMemory = append(sendMemory, rep)
	}

	t := buildTable(s, measured, runs, reports, sendMemory, lat)
	var b strings.Builder
	t.write(&b)
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if s.out != "" {
		if err := os.MkdirAll(filepath.Dir(s.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(s.out, []byte(b.String()), 0o644); err != nil {
			return err
		}
		logf("wrote %s", s.out)
	}
	if len(t.problems) > 0 {
		return errors.New(strings.Join(t.problems, "; "))
	}
	return nil
}
