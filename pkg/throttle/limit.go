package throttle

import (
	"fmt"
	"slices"
	"time"
)

// Limit allows at most Count sends in any window of Per: a sliding window
// that ends at the moment of the send.
type Limit struct {
	// Count is the most sends in a window, 1 to 100.
	Count int
	// Per is the length of the window, from 1ms to 24h. Only whole
	// milliseconds count.
	Per time.Duration
}

// DefaultLimits returns the limits a [Table] applies unless told
// otherwise: one send per 30 seconds and ten per hour.
func DefaultLimits() []Limit {
	return []Limit{
		{Count: 1, Per: 30 * time.Second},
		{Count: 10, Per: time.Hour},
	}
}

// String describes the limit, as in "10 per 1h0m0s".
func (l Limit) String() string { return fmt.Sprintf("%d per %v", l.Count, l.Per) }

// The bounds of a [Limit].
const (
	maxCount = 100
	minPer   = time.Millisecond
	maxPer   = 24 * time.Hour
)

// checkLimits reports the first limit out of bounds, by its position.
func checkLimits(limits []Limit) error {
	if len(limits) == 0 {
		return fmt.Errorf("throttle: no limits were given; pass at least one Limit to WithLimits, or leave it out for DefaultLimits")
	}
	for i, l := range limits {
		switch {
		case l.Count < 1 || l.Count > maxCount:
			return fmt.Errorf("throttle: limit %d (%v) has Count %d; it must be 1 to %d", i, l, l.Count, maxCount)
		case l.Per < minPer || l.Per > maxPer:
			return fmt.Errorf("throttle: limit %d (%v) has Per %v; it must be %v to %v", i, l, l.Per, minPer, maxPer)
		}
	}
	return nil
}

// decision is what [decide] concludes.
type decision struct {
	// allowed reports whether every limit allows one more send.
	allowed bool
	// kept is the send list to store, oldest first: the given sends
	// within the longest window, with now added when allowed, at most
	// the largest Count of them, the newest kept.
	kept []int64
	// retryAfter is, when not allowed, the time until every limit allows
	// a send again (if no other send happens), and limit the limit that
	// frees up last.
	retryAfter time.Duration
	limit      Limit
}

// decide applies limits to the sends (Unix milliseconds, any order) at now
// (Unix milliseconds). A send later than now counts as made at now. limits
// must have passed checkLimits. It holds for any int64 values.
func decide(limits []Limit, sends []int64, now int64) decision {
	var longest time.Duration
	most := 0
	for _, l := range limits {
		longest = max(longest, l.Per)
		most = max(most, l.Count)
	}
	// Keep the sends within the longest window, newest first.
	kept := make([]int64, 0, min(len(sends), most)+1)
	for _, t := range sends {
		t = min(t, now)
		if age(t, now) < uint64(longest.Milliseconds()) {
			kept = append(kept, t)
		}
	}
	slices.Sort(kept)
	slices.Reverse(kept)

	d := decision{allowed: true}
	for _, l := range limits {
		// The window holds at most Count-1 sends when the Count-th
		// newest has left it.
		if len(kept) < l.Count {
			continue
		}
		per := uint64(l.Per.Milliseconds())
		a := age(kept[l.Count-1], now)
		if a >= per {
			continue
		}
		wait := time.Duration(per-a) * time.Millisecond
		if d.allowed || wait > d.retryAfter {
			d.retryAfter, d.limit = wait, l
		}
		d.allowed = false
	}
	if d.allowed {
		kept = slices.Insert(kept, 0, now)
	}
	kept = kept[:min(len(kept), most)]
	slices.Reverse(kept)
	d.kept = kept
	return d
}

// age returns now-t for t <= now, exactly, for any int64 values.
func age(t, now int64) uint64 { return uint64(now - t) }
