// Package syncio provides writers that goroutines may share: a Writer that
// serializes the writes to another, and a Buffer that is also read while
// written (logs a test reads while the code under test logs).
package syncio

import (
	"bytes"
	"io"
	"sync"
)

// Writer serializes the writes to W, which need not be safe for
// concurrent use: each Write reaches W whole, never interleaved with
// another.
type Writer struct {
	mu sync.Mutex
	W  io.Writer
}

func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.W.Write(p)
}

// Buffer is a bytes.Buffer safe for concurrent use. Its zero value is an
// empty buffer ready to use.
type Buffer struct {
	buf bytes.Buffer
	mu  sync.Mutex
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
