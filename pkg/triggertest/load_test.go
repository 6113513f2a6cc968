package triggertest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	sampleevents "github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as the testing package's does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatal runs f with a recorder in its own goroutine and returns the
// message f failed with, or "" when it did not fail.
func fatal(t *testing.T, f func(tb testing.TB)) string {
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.msg
}

func TestLoadFSReadsTheSampleEvents(t *testing.T) {
	b := triggertest.LoadFS(t, sampleevents.FS, "presignup/PreSignUp_SignUp.json")
	if !strings.Contains(string(b), `"triggerSource": "PreSignUp_SignUp"`) {
		t.Errorf("LoadFS returned %.80q…, want the PreSignUp_SignUp event", b)
	}
	ev := triggertest.LoadEventFS[trigger.PreSignUpEvent](t, sampleevents.FS, "presignup/PreSignUp_SignUp.json")
	if got, want := ev.Request.UserAttributes["email"], "jane.doe@example.com"; got != want {
		t.Errorf("LoadEventFS decoded email %q, want %q", got, want)
	}
}

func TestLoadFSFailsClearly(t *testing.T) {
	fsys := fstest.MapFS{
		"presignup/PreSignUp_SignUp.json":         {Data: []byte(`{"triggerSource":"PreSignUp_SignUp"}`)},
		"presignup/PreSignUp_SignUp.bad.json":     {Data: []byte(`{"triggerSource":`)},
		"custommessage/CustomMessage_SignUp.json": {Data: []byte(`{}`)},
	}
	tests := []struct {
		name string
		path string
		want []string // in the failure message
	}{
		{"missing file lists its folder", "presignup/PreSignUp_Signup.json",
			[]string{"presignup/PreSignUp_Signup.json: no such file", "presignup/ holds PreSignUp_SignUp.bad.json, PreSignUp_SignUp.json"}},
		{"missing folder lists the root", "pretoken/TokenGeneration_Authentication.json",
			[]string{"no such file", "the root holds custommessage/, presignup/"}},
		{"operating-system path", "./presignup/PreSignUp_SignUp.json", []string{"not a valid fs.FS path"}},
		{"absolute path", "/presignup/PreSignUp_SignUp.json", []string{"not a valid fs.FS path"}},
		{"not JSON", "presignup/PreSignUp_SignUp.bad.json", []string{"presignup/PreSignUp_SignUp.bad.json: not valid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fatal(t, func(tb testing.TB) { triggertest.LoadFS(tb, fsys, tt.path) })
			if got == "" {
				t.Fatalf("LoadFS(%q) did not fail the test", tt.path)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("LoadFS(%q) failed with %q, want it to contain %q", tt.path, got, w)
				}
			}
		})
	}
	if msg := fatal(t, func(tb testing.TB) { triggertest.LoadFS(tb, fsys, "presignup/PreSignUp_SignUp.json") }); msg != "" {
		t.Errorf("LoadFS of a valid fixture failed: %s", msg)
	}
	msg := fatal(t, func(tb testing.TB) {
		triggertest.LoadEventFS[struct{ TriggerSource int }](tb, fsys, "presignup/PreSignUp_SignUp.json")
	})
	if !strings.Contains(msg, "decode fixture presignup/PreSignUp_SignUp.json") {
		t.Errorf("LoadEventFS into a wrong type failed with %q, want a decode failure naming the fixture", msg)
	}
}

func TestLoadStillReadsFiles(t *testing.T) {
	ev := triggertest.LoadEvent[trigger.PreSignUpEvent](t, "../../events/presignup/PreSignUp_SignUp.json")
	if ev.TriggerSource != trigger.SourcePreSignUpSignUp {
		t.Errorf("LoadEvent decoded triggerSource %q, want %q", ev.TriggerSource, trigger.SourcePreSignUpSignUp)
	}
}
