package syncio_test

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/cognitrig/cognitrig/internal/syncio"
)

// TestConcurrentWrites writes lines from many goroutines and checks that
// each arrives whole (run with -race, as make test does).
func TestConcurrentWrites(t *testing.T) {
	var under bytes.Buffer
	var buf syncio.Buffer
	tests := []struct {
		name string
		w    io.Writer
		read func() string
	}{
		{"Writer", &syncio.Writer{W: &under}, under.String},
		{"Buffer", &buf, buf.String},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const writers, lines = 8, 100
			line := strings.Repeat("x", 63) + "\n"
			var wg sync.WaitGroup
			for range writers {
				wg.Go(func() {
					for range lines {
						if _, err := io.WriteString(tt.w, line); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			got := tt.read()
			if n := strings.Count(got, line); n != writers*lines || len(got) != writers*lines*len(line) {
				t.Errorf("%d whole lines in %d bytes, want %d lines", n, len(got), writers*lines)
			}
		})
	}
}
