package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// table is the suite's result, ready to print.
type table struct {
	header []string
	rows   [][]string
	notes  []string
	// problems lists what could not be measured; the command then fails.
	problems []string
}

// buildTable computes the medians and checks the targets.
func buildTable(s settings, names []string, runs benchRuns, reports, sendMemory []*coldstartReport, lat latency) *table {
	t := &table{header: []string{"function", "per invocation", "vs aws-lambda-go", "B/op", "allocs/op", "init", "init vs aws-lambda-go", "first invoke", "size", "peak RSS", "start-up connections", "SES v2 p50 / p99", "targets"}}
	slices.SortFunc(names, func(a, b string) int { return specs[a].order - specs[b].order })

	m := reports[0].Machine
	t.notes = append(t.notes,
		fmt.Sprintf("Machine: %s, %d cores, %s, Linux %s, bootstraps built with %s; load average %s before the first round, %s after the last.",
			m.CPU, m.Cores, m.Platform, m.Kernel, m.GoVersion, m.LoadBefore, reports[len(reports)-1].Machine.LoadAfter),
		fmt.Sprintf("Per invocation: median of %d go test -bench runs, through the adapter, with in-process fakes for AWS; \"vs aws-lambda-go\" divides it by the awslambdago reference's (aws-lambda-go's own handler on a define event), which makes it comparable across machines. "+
			"Init (exec to the first next request) and first invoke (exec to the first response): median over %d rounds of the median of %d cold starts; \"init vs aws-lambda-go\" is the median over the rounds of the function's init divided by the awslambdago reference's in the same round. "+
			"Size: stripped linux/%s bootstrap, MB = 10^6 bytes. Peak RSS: VmHWM after %d invocations, median of %d rounds. "+
			"SES v2: create auth challenge sending an email to a local moto_server, %d rounds of %d invocations with one SDK client, medians of the rounds' percentiles.",
			s.count, s.rounds, s.starts, strings.TrimPrefix(m.Platform, "linux/"), s.invocations, s.rounds, s.rounds, lat.invocations),
	)

	var refNs float64
	if ref := specs["awslambdago"]; ref.bench != "" {
		f, _ := runs.median(benchKey{pkg: module + ref.pkg, name: ref.bench})
		refNs = f.nsPerOp
	}
	for _, name := range names {
		sp := specs[name]
		row := []string{name}
		var missed []string
		if sp.reference {
			row[0] = name + " (reference)"
		}

		// Per invocation.
		if sp.bench != "" {
			k := benchKey{pkg: module + sp.pkg, name: sp.bench}
			if f, n := runs.median(k); n == 0 {
				t.problems = append(t.problems, fmt.Sprintf("%s: benchmark %s %s did not run", name, sp.pkg, sp.bench))
				row = append(row, "?", "?", "?", "?")
			} else {
				ratio := "—"
				if refNs > 0 {
					ratio = fmt.Sprintf("%.2f×", f.nsPerOp/refNs)
				}
				row = append(row, formatNs(f.nsPerOp), ratio, fmt.Sprintf("%.0f", f.bytesPerOp), fmt.Sprintf("%.0f", f.allocsPerOp))
				if sp.fast && f.nsPerOp > targetNsPerOp {
					missed = append(missed, "time per invocation")
				}
				if sp.fast && f.allocsPerOp > targetAllocsPerOp {
					missed = append(missed, "allocs per invocation")
				}
			}
		} else {
			row = append(row, "—", "—", "—", "—")
		}

		// Cold start, size, memory, connections.
		var inits, ratios, firsts, sizes, rss []float64
		conns := 0
		var failures []string
		for _, rep := range reports {
			r := find(rep, name)
			if r == nil || r.Init == nil {
				failures = append(failures, "not measured")
				continue
			}
			if r.Failure != "" {
				failures = append(failures, r.Failure)
			}
			inits = append(inits, r.Init.Median)
			if ref := find(rep, "awslambdago"); ref != nil && ref.Init != nil && ref.Init.Median > 0 {
				ratios = append(ratios, r.Init.Median/ref.Init.Median)
			}
			if r.FirstInvoke != nil {
				firsts = append(firsts, r.FirstInvoke.Median)
			}
			sizes = append(sizes, float64(r.SizeBytes))
			conns = max(conns, r.StartupConnections)
			if r.Memory != nil && name != "createauth" {
				rss = append(rss, float64(r.Memory.PeakRSSKB))
			}
		}
		if name == "createauth" {
			for _, rep := range sendMemory {
				if r := find(rep, name); r != nil && r.Memory != nil {
					rss = append(rss, float64(r.Memory.PeakRSSKB))
				}
			}
		}
		if len(failures) > 0 {
			t.problems = append(t.problems, fmt.Sprintf("%s: %s", name, strings.Join(failures, "; ")))
		}
		initMS, sizeMB, rssMB := median(inits), median(sizes)/1e6, median(rss)*1024/1e6
		ratio := "—"
		if len(ratios) > 0 && name != "awslambdago" {
			ratio = fmt.Sprintf("%.2f×", median(ratios))
		}
		row = append(row, fmt.Sprintf("%.1f ms", initMS), ratio, fmt.Sprintf("%.1f ms", median(firsts)), fmt.Sprintf("%.2f MB", sizeMB), fmt.Sprintf("%.1f MB", rssMB), fmt.Sprint(conns))
		if !sp.reference {
			if initMS > targetInitMS {
				missed = append(missed, "init")
			}
			if len(ratios) > 0 && median(ratios) > targetInitRatio {
				missed = append(missed, "init vs aws-lambda-go")
			}
			limit := targetSizeMB
			if sp.sdk {
				limit = targetSizeSDKMB
			}
			if sizeMB > limit {
				missed = append(missed, "size")
			}
			if rssMB > targetRSSMB {
				missed = append(missed, "RSS")
			}
			if conns > 0 {
				missed = append(missed, "start-up connections")
			}
		}

		if name == "createauth" {
			row = append(row, fmt.Sprintf("%s / %s", formatDuration(lat.p50), formatDuration(lat.p99)))
		} else {
			row = append(row, "—")
		}
		switch {
		case sp.reference:
			row = append(row, "—")
		case len(missed) == 0:
			row = append(row, "all met")
		default:
			row = append(row, "missed: "+strings.Join(missed, ", "))
		}
		t.rows = append(t.rows, row)
	}
	t.notes = append(t.notes, "Targets: init ≤ 5 ms and ≤ 2× aws-lambda-go's; per invocation ≤ 3.5 µs and ≤ 25 allocs (define, verify, pre sign-up); size ≤ 6.5 MB without SDK clients, ≤ 9 MB with; peak RSS ≤ 16 MB; no start-up connection.")
	return t
}

// find returns the result of function name in rep, or nil.
func find(rep *coldstartReport, name string) *coldstartResult {
	for i := range rep.Functions {
		if rep.Functions[i].Function == name {
			return &rep.Functions[i]
		}
	}
	return nil
}

func formatNs(ns float64) string {
	if ns >= 1000 {
		return fmt.Sprintf("%.2f µs", ns/1000)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func formatDuration(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}

// write prints the table in Markdown, with its notes.
func (t *table) write(w io.Writer) {
	fmt.Fprintf(w, "%s\n\n", t.notes[0])
	fmt.Fprintf(w, "| %s |\n", strings.Join(t.header, " | "))
	aligns := make([]string, len(t.header))
	for i := range aligns {
		aligns[i] = "---:"
	}
	aligns[0], aligns[len(aligns)-1] = "---", "---"
	fmt.Fprintf(w, "|%s|\n", strings.Join(aligns, "|"))
	for _, row := range t.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	for _, n := range t.notes[1:] {
		fmt.Fprintf(w, "%s\n\n", n)
	}
	for _, p := range t.problems {
		fmt.Fprintf(w, "Not measured: %s\n\n", p)
	}
}
