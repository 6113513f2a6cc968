package lambdaserver_test

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/cognitrig/cognitrig/internal/rie"
	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

// A killed bootstrap or emulator costs at most the invocation in flight:
// the emulator starts a new bootstrap, and the server a new emulator.
func TestKilledProcessesAreReplaced(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("finding the processes needs Linux's /proc")
	}
	tests := []struct {
		name     string
		emulator bool // kill the emulator, else the bootstrap
		inFlight bool // kill it during an invocation, else between two
	}{
		{"bootstrap between invocations", false, false},
		{"bootstrap during an invocation", false, true},
		{"emulator between invocations", true, false},
		{"emulator during an invocation", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A bootstrap of its own, so that its processes are this
			// test's alone.
			bootstrap := filepath.Join(t.TempDir(), "bootstrap")
			b, err := os.ReadFile(echo)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(bootstrap, b, 0o755); err != nil {
				t.Fatal(err)
			}
			client, _, _ := serveFunctions(t, []rie.Function{{Name: "fn", Bootstrap: bootstrap, Emulator: emulator, Timeout: 3 * time.Second}})
			invoke := func(payload string) error {
				out, err := client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte(payload)})
				if err == nil && out.FunctionError != nil {
					return &functionError{string(out.Payload)}
				}
				return err
			}
			if err := invoke(`{"n":1}`); err != nil {
				t.Fatalf("first invocation: %v", err)
			}
			kill := func() {
				emulators, bootstraps, err := rietest.Processes(bootstrap)
				if err != nil {
					t.Fatal(err)
				}
				victims := bootstraps
				if tt.emulator {
					victims = emulators
				}
				if len(victims) != 1 {
					t.Fatalf("found %d processes to kill (emulators %v, bootstraps %v), want 1", len(victims), emulators, bootstraps)
				}
				if err := syscall.Kill(victims[0], syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
			if tt.inFlight {
				done := make(chan error, 1)
				go func() { done <- invoke(`{"sleep":"1s"}`) }()
				time.Sleep(300 * time.Millisecond) // the invocation is under way
				kill()
				<-done // it may fail: it was in flight
			} else {
				kill()
				time.Sleep(100 * time.Millisecond) // the process is gone
			}
			for i := range 3 {
				if err := invoke(`{"n":2}`); err != nil {
					t.Errorf("invocation %d after the kill: %v", i+1, err)
				}
			}
		})
	}
}

type functionError struct{ payload string }

func (e *functionError) Error() string { return "function error: " + e.payload }
