package throttle

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	const now = int64(1_900_000_000_000) // Unix milliseconds
	sec := func(s float64) int64 { return now + int64(s*1000) }
	perMinute := []Limit{{Count: 3, Per: time.Minute}}
	// tenInHour is ten sends, 30s apart, the last 30s ago.
	var tenInHour []int64
	for i := 10; i >= 1; i-- {
		tenInHour = append(tenInHour, sec(float64(-30*i)))
	}
	tests := []struct {
		name       string
		limits     []Limit
		sends      []int64
		allowed    bool
		retryAfter time.Duration
		limit      Limit
		kept       []int64
	}{
		{
			name:    "first send is allowed",
			allowed: true,
			kept:    []int64{now},
		},
		{
			name:       "second send within 30s waits for the rest of the 30s",
			sends:      []int64{sec(-10)},
			retryAfter: 20 * time.Second,
			limit:      Limit{1, 30 * time.Second},
			kept:       []int64{sec(-10)},
		},
		{
			name:    "send exactly 30s later is allowed",
			sends:   []int64{sec(-30)},
			allowed: true,
			kept:    []int64{sec(-30), now},
		},
		{
			name:       "one millisecond short of 30s waits a millisecond",
			sends:      []int64{now - 29_999},
			retryAfter: time.Millisecond,
			limit:      Limit{1, 30 * time.Second},
			kept:       []int64{now - 29_999},
		},
		{
			name:       "eleventh send in the hour waits for the oldest to leave",
			sends:      tenInHour,
			retryAfter: time.Hour - 300*time.Second,
			limit:      Limit{10, time.Hour},
			kept:       tenInHour,
		},
		{
			name:       "both limits full waits for the later one",
			sends:      append(slices.Clone(tenInHour[1:]), sec(-5)),
			retryAfter: time.Hour - 270*time.Second,
			limit:      Limit{10, time.Hour},
			kept:       append(slices.Clone(tenInHour[1:]), sec(-5)),
		},
		{
			name:    "send once the oldest left the hour is allowed",
			sends:   append([]int64{sec(-3600)}, tenInHour[1:]...),
			allowed: true,
			kept:    append(slices.Clone(tenInHour[1:]), now),
		},
		{
			name:    "sends older than the longest window are dropped",
			sends:   []int64{sec(-7200), sec(-3600), sec(-3601)},
			allowed: true,
			kept:    []int64{now},
		},
		{
			name:       "a send in the future counts as now",
			sends:      []int64{sec(5)},
			retryAfter: 30 * time.Second,
			limit:      Limit{1, 30 * time.Second},
			kept:       []int64{now},
		},
		{
			name:    "unsorted sends are sorted oldest first",
			sends:   []int64{sec(-100), sec(-300), sec(-200)},
			allowed: true,
			kept:    []int64{sec(-300), sec(-200), sec(-100), now},
		},
		{
			name:       "a two-hour window counts sends older than an hour",
			limits:     []Limit{{Count: 1, Per: 30 * time.Second}, {Count: 10, Per: 2 * time.Hour}},
			sends:      []int64{sec(-3000), sec(-2900), sec(-2800), sec(-2700), sec(-2600), sec(-2500), sec(-2400), sec(-2300), sec(-2200), sec(-2100)},
			retryAfter: 2*time.Hour - 3000*time.Second,
			limit:      Limit{10, 2 * time.Hour},
			kept:       []int64{sec(-3000), sec(-2900), sec(-2800), sec(-2700), sec(-2600), sec(-2500), sec(-2400), sec(-2300), sec(-2200), sec(-2100)},
		},
		{
			name:    "more sends than any Count, from older limits, are trimmed",
			limits:  perMinute,
			sends:   []int64{sec(-90), sec(-80), sec(-70), sec(-50), sec(-40)},
			allowed: true,
			kept:    []int64{sec(-50), sec(-40), now},
		},
		{
			name:       "a burst limit allows Count sends then waits",
			limits:     perMinute,
			sends:      []int64{sec(-50), sec(-40), sec(-1)},
			retryAfter: 10 * time.Second,
			limit:      Limit{3, time.Minute},
			kept:       []int64{sec(-50), sec(-40), sec(-1)},
		},
		{
			name:       "duplicate timestamps count twice",
			limits:     perMinute,
			sends:      []int64{sec(-40), sec(-40), sec(-40)},
			retryAfter: 20 * time.Second,
			limit:      Limit{3, time.Minute},
			kept:       []int64{sec(-40), sec(-40), sec(-40)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limits := tt.limits
			if limits == nil {
				limits = DefaultLimits()
			}
			d := decide(limits, tt.sends, now)
			if d.allowed != tt.allowed {
				t.Fatalf("allowed = %v, want %v (retryAfter %v, limit %v)", d.allowed, tt.allowed, d.retryAfter, d.limit)
			}
			if !tt.allowed && (d.retryAfter != tt.retryAfter || d.limit != tt.limit) {
				t.Errorf("retryAfter, limit = %v, %v; want %v, %v", d.retryAfter, d.limit, tt.retryAfter, tt.limit)
			}
			if !slices.Equal(d.kept, tt.kept) {
				t.Errorf("kept = %v, want %v", offsets(d.kept, now), offsets(tt.kept, now))
			}
		})
	}
}

// offsets shows sends relative to now, for failure messages.
func offsets(sends []int64, now int64) []time.Duration {
	var out []time.Duration
	for _, s := range sends {
		out = append(out, time.Duration(s-now)*time.Millisecond)
	}
	return out
}

func FuzzDecide(f *testing.F) {
	add := func(now int64, c1 uint8, p1 uint32, c2 uint8, p2 uint32, offs ...int64) {
		var raw []byte
		for _, o := range offs {
			raw = binary.LittleEndian.AppendUint64(raw, uint64(o))
		}
		f.Add(raw, now, c1, p1, c2, p2)
	}
	add(1_900_000_000_000, 0, 30_000, 9, 3_600_000)
	add(1_900_000_000_000, 0, 30_000, 9, 3_600_000, -10_000)
	add(1_900_000_000_000, 0, 30_000, 9, 3_600_000, -30_000, -60_000, -90_000, -120_000, -150_000, -180_000, -210_000, -240_000, -270_000, -300_000)
	add(0, 2, 60_000, 99, 86_400_000, 5, -5, 0, 0)
	add(math.MaxInt64, 0, 1, 0, 1, math.MinInt64, math.MaxInt64)
	add(math.MinInt64, 99, 86_400_000, 0, 1, math.MinInt64, -1, 1)

	f.Fuzz(func(t *testing.T, raw []byte, now int64, c1 uint8, p1 uint32, c2 uint8, p2 uint32) {
		limits := []Limit{
			{Count: 1 + int(c1)%maxCount, Per: minPer + time.Duration(p1)*time.Millisecond%maxPer},
			{Count: 1 + int(c2)%maxCount, Per: minPer + time.Duration(p2)*time.Millisecond%maxPer},
		}
		if err := checkLimits(limits); err != nil {
			t.Fatalf("the fuzz built bad limits: %v", err)
		}
		// Each 8 bytes is a send: its offset from now, so that sends
		// land near now, and sometimes an absolute time.
		var sends []int64
		for len(raw) >= 8 {
			v := int64(binary.LittleEndian.Uint64(raw))
			raw = raw[8:]
			if v%7 == 0 {
				sends = append(sends, v)
			} else {
				sends = append(sends, now+v%(2*int64(maxPer/time.Millisecond)))
			}
		}
		in := slices.Clone(sends)
		d := decide(limits, sends, now)
		if !slices.Equal(sends, in) {
			t.Fatal("decide changed its input")
		}

		most := max(limits[0].Count, limits[1].Count)
		if len(d.kept) > most {
			t.Fatalf("kept %d sends, more than the largest Count %d", len(d.kept), most)
		}
		if !slices.IsSorted(d.kept) {
			t.Fatalf("kept sends are not oldest first: %v", d.kept)
		}
		for _, k := range d.kept {
			if k > now {
				t.Fatalf("kept send %d is later than now %d", k, now)
			}
		}

		// Count each window directly, with sends in the future at now.
		full := false
		for _, l := range limits {
			n := 0
			for _, s := range sends {
				if age(min(s, now), now) < uint64(l.Per.Milliseconds()) {
					n++
				}
			}
			if n >= l.Count {
				full = true
			}
		}
		if d.allowed == full {
			t.Fatalf("allowed = %v, but a limit is full = %v (limits %v)", d.allowed, full, limits)
		}
		if d.allowed {
			if d.kept[len(d.kept)-1] != now {
				t.Fatalf("allowed, but the newest kept send %d is not now %d", d.kept[len(d.kept)-1], now)
			}
			if d.retryAfter != 0 {
				t.Fatalf("allowed with retryAfter %v", d.retryAfter)
			}
		} else {
			if d.retryAfter <= 0 || d.retryAfter > d.limit.Per || !slices.Contains(limits, d.limit) {
				t.Fatalf("refused with retryAfter %v and limit %v (limits %v)", d.retryAfter, d.limit, limits)
			}
			// Once retryAfter has passed, the kept sends allow one more,
			// and one millisecond earlier they do not.
			later := now + d.retryAfter.Milliseconds()
			if later > now {
				if !decide(limits, d.kept, later).allowed {
					t.Fatalf("not allowed after retryAfter %v", d.retryAfter)
				}
				if decide(limits, d.kept, later-1).allowed {
					t.Fatalf("allowed 1ms before retryAfter %v", d.retryAfter)
				}
			}
		}

		// Keeping only some sends never changes a later decision.
		all := make([]int64, 0, len(sends)+1)
		for _, s := range sends {
			all = append(all, min(s, now))
		}
		if d.allowed {
			all = append(all, now)
		}
		for _, step := range []int64{0, 1, limits[0].Per.Milliseconds(), limits[1].Per.Milliseconds() - 1} {
			later := now + step
			if later < now {
				continue
			}
			got, want := decide(limits, d.kept, later), decide(limits, all, later)
			if got.allowed != want.allowed || got.retryAfter != want.retryAfter {
				t.Fatalf("%dms later, kept sends decide (%v, %v) but all sends decide (%v, %v)", step, got.allowed, got.retryAfter, want.allowed, want.retryAfter)
			}
		}
	})
}
