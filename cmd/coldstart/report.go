package main

import (
	"cmp"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// report is everything coldstart measured; its JSON form is the -json
// output.
type report struct {
	Machine   machine  `json:"machine"`
	Settings  settings `json:"settings"`
	Functions []result `json:"functions"`
}

// machine describes where the figures were measured.
type machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	Platform string `json:"platform"`
	Kernel   string `json:"kernel,omitempty"`
	// LoadBefore and LoadAfter are the 1, 5 and 15 minute load averages
	// when the measurements began and ended.
	LoadBefore string `json:"load_before,omitempty"`
	LoadAfter  string `json:"load_after,omitempty"`
	// GoVersion is the Go version the bootstraps were built with.
	GoVersion string `json:"go_version"`
}

// settings are the flags the figures depend on.
type settings struct {
	Starts          int    `json:"starts"`
	Warmup          int    `json:"warmup"`
	Invocations     int    `json:"invocations"`
	Timeout         string `json:"timeout"`
	MemoryTime      string `json:"memory_time"`
	FunctionTimeout string `json:"function_timeout"`
}

// result is what was measured of one function.
type result struct {
	Function  string `json:"function"`
	Event     string `json:"event"`
	Bootstrap string `json:"bootstrap"`
	GoVersion string `json:"go_version,omitempty"`
	SizeBytes int64  `json:"size_bytes"`
	// Init is from the start of the process to its first next request.
	Init *stats `json:"init_ms,omitempty"`
	// FirstInvoke is from the start of the process to its first response
	// or error.
	FirstInvoke *stats `json:"first_invoke_ms,omitempty"`
	// FirstHandler is from the dispatch of the first event to its
	// response or error.
	FirstHandler *stats `json:"first_handler_ms,omitempty"`
	// FirstPeakRSSKB is the median VmHWM right after the first response.
	FirstPeakRSSKB int64 `json:"first_invoke_peak_rss_kb,omitempty"`
	// StartupConnections is the most connections one start attempted
	// before its first next request; StartupRequests their request lines.
	StartupConnections int      `json:"startup_connections"`
	StartupRequests    []string `json:"startup_requests,omitempty"`
	// FirstError is the function error of the first invocation, when it
	// ended in one; ExpectedError says why the event is expected to fail.
	FirstError string `json:"first_error,omitempty"`
	// FirstErrorLog is the last line the function wrote after that error.
	FirstErrorLog string `json:"first_error_log,omitempty"`
	ExpectedError string `json:"expected_error,omitempty"`
	// Note says what else to know of the figures.
	Note   string  `json:"note,omitempty"`
	Memory *memory `json:"memory,omitempty"`
	// Failure says why the function could not be measured.
	Failure string `json:"failure,omitempty"`
}

// memory is what the memory run measured.
type memory struct {
	Invocations int     `json:"invocations"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	PeakRSSKB   int64   `json:"peak_rss_kb"`
	RSSKB       int64   `json:"rss_kb"`
	// Connections counts the connections to the fake AWS endpoint during
	// the whole run, start-up included.
	Connections int `json:"connections"`
}

// stats summarizes durations, in milliseconds.
type stats struct {
	Min    float64 `json:"min"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Max    float64 `json:"max"`
}

// summarize computes stats of durations, which must not be empty.
func summarize(ds []time.Duration) *stats {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }
	return &stats{Min: ms(s[0]), Median: ms(median(s)), P90: ms(percentile(s, 90)), Max: ms(s[len(s)-1])}
}

// median returns the median of sorted values.
func median[T cmp.Ordered](s []T) T {
	return s[(len(s)-1)/2]
}

// percentile returns the p-th percentile of sorted values, by the
// nearest-rank method.
func percentile[T cmp.Ordered](s []T, p int) T {
	rank := (p*len(s) + 99) / 100 // ceil(p/100 * n)
	return s[max(rank, 1)-1]
}

// summarize records the figures of the measured starts.
func (r *result) summarize(samples []sample) {
	var inits, firsts, handlers []time.Duration
	var hwms []int64
	for _, s := range samples {
		inits = append(inits, s.init)
		firsts = append(firsts, s.firstInvoke)
		handlers = append(handlers, s.handler)
		if s.hwmKB > 0 {
			hwms = append(hwms, s.hwmKB)
		}
		r.StartupConnections = max(r.StartupConnections, len(s.startupConns))
		for _, c := range s.startupConns {
			if !slices.Contains(r.StartupRequests, c.Request) {
				r.StartupRequests = append(r.StartupRequests, c.Request)
			}
		}
		if s.firstError != nil && r.FirstError == "" {
			r.FirstError, r.FirstErrorLog = s.firstError.Error(), s.errorLog
		}
	}
	r.Init, r.FirstInvoke, r.FirstHandler = summarize(inits), summarize(firsts), summarize(handlers)
	if len(hwms) > 0 {
		slices.Sort(hwms)
		r.FirstPeakRSSKB = median(hwms)
	}
}

func (rep *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeJSONFile writes the JSON report to the file path.
func (rep *report) writeJSONFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.writeJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeMarkdown writes the machine, the table and the notes under it.
func (rep *report) writeMarkdown(w io.Writer) error {
	m, st := rep.Machine, rep.Settings
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s", m.CPU, m.Cores, m.Platform)
	if m.Kernel != "" {
		fmt.Fprintf(&b, ", Linux %s", m.Kernel)
	}
	fmt.Fprintf(&b, "; load average %s before, %s after. Bootstraps built with %s.\n\n", m.LoadBefore, m.LoadAfter, m.GoVersion)
	fmt.Fprintf(&b, "%d cold starts per function (after %d not counted). Init: from exec to the first next request; "+
		"first invoke: from exec to the first response or error posted; median (p90). "+
		"Peak RSS: VmHWM after %d invocations of the event.\n\n", st.Starts, st.Warmup, st.Invocations)
	fmt.Fprintf(&b, "| function | init median (p90) | first invoke median (p90) | size | peak RSS after %d | start-up connections |\n", st.Invocations)
	b.WriteString("|---|---:|---:|---:|---:|---:|\n")
	var notes []string
	for _, r := range rep.Functions {
		row := []string{r.Function, "not measured", "—", mib(r.SizeBytes), "—", "—"}
		if r.Init != nil {
			row[1] = fmt.Sprintf("%.1f ms (%.1f)", r.Init.Median, r.Init.P90)
			row[2] = fmt.Sprintf("%.1f ms (%.1f)", r.FirstInvoke.Median, r.FirstInvoke.P90)
			row[5] = fmt.Sprint(r.StartupConnections)
		}
		// note adds a footnote to the first invoke cell.
		note := func(mark, format string, a ...any) {
			notes = append(notes, fmt.Sprintf("[^%d]: %s: ", len(notes)+1, r.Function)+fmt.Sprintf(format, a...))
			row[2] += fmt.Sprintf(" %s[^%d]", mark, len(notes))
		}
		if r.Note != "" {
			note("", "%s.", r.Note)
		}
		if r.FirstError != "" {
			why := "unexpected"
			if r.ExpectedError != "" {
				why = "expected: " + r.ExpectedError
			}
			note("error", "the first invocation ended in a function error (%s): `%s`; its log: `%s`",
				why, oneLine(r.FirstError, 200), oneLine(r.FirstErrorLog, 600))
		}
		if r.StartupConnections > 0 {
			row[5] = fmt.Sprintf("**%d**: %s", r.StartupConnections, strings.Join(r.StartupRequests, ", "))
		}
		if r.Memory != nil {
			row[4] = mib(r.Memory.PeakRSSKB << 10)
			if r.Memory.Invocations < st.Invocations {
				row[4] += fmt.Sprintf(" (after %d in %s)", r.Memory.Invocations, st.MemoryTime)
			}
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
	for _, r := range rep.Functions {
		if r.Failure != "" {
			fmt.Fprintf(&b, "\n%s was not measured:\n\n```\n%s\n```\n", r.Function, strings.TrimSpace(r.Failure))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mib formats a size in bytes as MiB.
func mib(bytes int64) string {
	return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20))
}

// oneLine joins the lines of s and cuts it to at most n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strings.ReplaceAll(s, "`", "'")
}

// describeMachine describes this machine, with its load now.
func describeMachine() machine {
	m := machine{CPU: "unknown", Cores: runtime.NumCPU(), Platform: runtime.GOOS + "/" + runtime.GOARCH, LoadBefore: loadAverage()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// cpuModel returns the model name in the text of /proc/cpuinfo, or what
// describes the processor where there is none (arm64).
func cpuModel(cpuinfo string) string {
	fields := map[string]string{}
	for line := range strings.SplitSeq(cpuinfo, "\n") {
		k, v, ok := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if _, seen := fields[k]; ok && !seen {
			fields[k] = strings.TrimSpace(v)
		}
	}
	switch {
	case fields["model name"] != "":
		return fields["model name"]
	case fields["Hardware"] != "":
		return fields["Hardware"]
	case fields["CPU implementer"] != "":
		return fmt.Sprintf("CPU implementer %s, part %s", fields["CPU implementer"], fields["CPU part"])
	}
	return "unknown"
}

// loadAverage returns the load averages of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// goVersion returns the Go version a binary was built with, or "" when it
// is no Go binary.
func goVersion(path string) string {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return ""
	}
	return bi.GoVersion
}

// goVersions lists the Go versions of the measured bootstraps.
func goVersions(rs []result) string {
	var vs []string
	for _, r := range rs {
		if r.GoVersion != "" && !slices.Contains(vs, r.GoVersion) {
			vs = append(vs, r.GoVersion)
		}
	}
	if len(vs) == 0 {
		return "an unknown Go version"
	}
	return strings.Join(vs, ", ")
}
