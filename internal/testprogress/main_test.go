package main

import (
	"strings"
	"testing"
	"time"
)

// clock is a time that the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestRead(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		want       string
		wantFailed bool
	}{
		{name: "packages are listed as they finish, not in order",
			input: `{"Action":"start","Package":"m/a"}
{"Action":"start","Package":"m/b"}
{"Action":"output","Package":"m/b","Output":"ok  \tm/b\t0.1s\n"}
{"Action":"pass","Package":"m/b","Elapsed":0.1}
{"Action":"pass","Package":"m/a","Test":"TestA","Elapsed":4}
{"Action":"pass","Package":"m/a","Elapsed":4.02}
`,
			want: "ok    m/b\t0.1s\nok    m/a\t4.0s\n2 packages tested: 2 ok, 0 failed (0s)\n"},
		{name: "a failing package shows its whole output",
			input: `{"Action":"start","Package":"m/a"}
{"Action":"output","Package":"m/a","Test":"TestA","Output":"    a_test.go:3: got \u003cnil\u003e, want an error\n"}
{"Action":"output","Package":"m/a","Test":"TestA","Output":"--- FAIL: TestA (0.00s)\n"}
{"Action":"fail","Package":"m/a","Test":"TestA","Elapsed":0}
{"Action":"output","Package":"m/a","Output":"FAIL\tm/a\t0.01s\n"}
{"Action":"fail","Package":"m/a","Elapsed":0.01}
`,
			want:       "    a_test.go:3: got <nil>, want an error\n--- FAIL: TestA (0.00s)\nFAIL\tm/a\t0.01s\n1 packages tested: 0 ok, 1 failed (0s)\n",
			wantFailed: true},
		{name: "build errors are printed, and the package fails",
			input: `{"ImportPath":"m/c [m/c.test]","Action":"build-output","Output":"# m/c\n"}
{"ImportPath":"m/c [m/c.test]","Action":"build-output","Output":"c.go:2:23: cannot use \"x\" as int value\n"}
{"ImportPath":"m/c [m/c.test]","Action":"build-fail"}
{"Action":"start","Package":"m/c"}
{"Action":"output","Package":"m/c","Output":"FAIL\tm/c [build failed]\n"}
{"Action":"fail","Package":"m/c","Elapsed":0,"FailedBuild":"m/c [m/c.test]"}
`,
			want:       "# m/c\nc.go:2:23: cannot use \"x\" as int value\nFAIL\tm/c [build failed]\n1 packages tested: 0 ok, 1 failed (0s)\n",
			wantFailed: true},
		{name: "a package without tests prints nothing",
			input: `{"Action":"start","Package":"m/d"}
{"Action":"output","Package":"m/d","Output":"?   \tm/d\t[no test files]\n"}
{"Action":"skip","Package":"m/d","Elapsed":0}
`,
			want: ""},
		{name: "lines that are not JSON pass through",
			input: "go: downloading example.com/x v1.0.0\n",
			want:  "go: downloading example.com/x v1.0.0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			c := &clock{t: time.Unix(0, 0)}
			failed := newProgress(&out, c.now).read(strings.NewReader(tt.input))
			if got := out.String(); got != tt.want {
				t.Errorf("got output\n%s\nwant\n%s", got, tt.want)
			}
			if failed != tt.wantFailed {
				t.Errorf("got failed %v, want %v", failed, tt.wantFailed)
			}
		})
	}
}

func TestTickNamesThePackagesStillRunning(t *testing.T) {
	var out strings.Builder
	c := &clock{t: time.Unix(0, 0)}
	p := newProgress(&out, c.now)
	p.line([]byte(`{"Action":"start","Package":"m/slow"}`))
	p.line([]byte(`{"Action":"start","Package":"m/fast"}`))
	p.line([]byte(`{"Action":"pass","Package":"m/fast","Elapsed":1}`))
	c.t = c.t.Add(30 * time.Second)
	p.tick(time.Minute)
	if out.String() != "ok    m/fast\t1.0s\n" {
		t.Fatalf("after 30 s of quiet, got output %q, want only the finished package", out.String())
	}
	c.t = c.t.Add(50 * time.Second)
	p.tick(time.Minute)
	if want := "ok    m/fast\t1.0s\n  still running: m/slow (1m20s)\n"; out.String() != want {
		t.Errorf("after a minute of quiet, got output %q, want %q", out.String(), want)
	}
}
