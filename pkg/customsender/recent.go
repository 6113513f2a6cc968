package customsender

import (
	"crypto/sha256"
	"sync"
)

// recentSize is how many sent messages a process remembers.
const recentSize = 512

// recent remembers the digests of the last codes this process sent, so
// that an event Lambda delivers again to the same instance (an
// asynchronous invocation can arrive more than once) does not send a
// second message. Each code Cognito encrypts is a unique ciphertext, so
// its digest names one message. It is safe for concurrent use.
type recent struct {
	mu   sync.Mutex
	set  map[[sha256.Size]byte]bool
	ring [][sha256.Size]byte // oldest first from next
	next int
}

func newRecent(n int) *recent {
	return &recent{set: make(map[[sha256.Size]byte]bool, n), ring: make([][sha256.Size]byte, 0, n)}
}

// digest names the message of a code.
func digest(code string) [sha256.Size]byte { return sha256.Sum256([]byte(code)) }

func (r *recent) has(k [sha256.Size]byte) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.set[k]
}

// add remembers k, forgetting the oldest digest when full.
func (r *recent) add(k [sha256.Size]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set[k] {
		return
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, k)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = k
		r.next = (r.next + 1) % len(r.ring)
	}
	r.set[k] = true
}
