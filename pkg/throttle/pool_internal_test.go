package throttle

import (
	"testing"
	"time"
)

func TestWindowAt(t *testing.T) {
	hour := PoolLimit{Count: 1000, Per: time.Hour}
	day := PoolLimit{Count: 1000, Per: 24 * time.Hour}
	odd := PoolLimit{Count: 1, Per: 7 * time.Minute}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name       string
		p          PoolLimit
		now        time.Time
		start, end time.Time
		retryAfter time.Duration
	}{
		{"an hour runs from one full hour to the next", hour, at("2030-01-01T10:20:30Z"), at("2030-01-01T10:00:00Z"), at("2030-01-01T11:00:00Z"), 39*time.Minute + 30*time.Second},
		{"the first instant of a window is in it", hour, at("2030-01-01T10:00:00Z"), at("2030-01-01T10:00:00Z"), at("2030-01-01T11:00:00Z"), time.Hour},
		{"the last instant of a window is in it", hour, at("2030-01-01T10:59:59.999Z"), at("2030-01-01T10:00:00Z"), at("2030-01-01T11:00:00Z"), time.Millisecond},
		{"a day runs from midnight UTC", day, at("2030-01-01T23:00:00+02:00"), at("2030-01-01T00:00:00Z"), at("2030-01-02T00:00:00Z"), 3 * time.Hour},
		{"windows of any length follow each other from the epoch", odd, time.Unix(7*60*3+10, 0), time.Unix(7*60*3, 0), time.Unix(7*60*4, 0), 7*time.Minute - 10*time.Second},
		{"before the epoch the window still holds now", hour, time.Unix(-10, 0), time.Unix(-3600, 0), time.Unix(0, 0), 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := windowAt(tt.p, tt.now)
			if w.start != tt.start.Unix() || w.end != tt.end.Unix() {
				t.Errorf("window at %v = [%v, %v), want [%v, %v)", tt.now, time.Unix(w.start, 0).UTC(), time.Unix(w.end, 0).UTC(), tt.start.UTC(), tt.end.UTC())
			}
			if got := w.retryAfter(tt.now); got != tt.retryAfter {
				t.Errorf("retryAfter = %v, want %v", got, tt.retryAfter)
			}
		})
	}
}

func TestPoolAllows(t *testing.T) {
	p := DefaultPoolLimit()
	for _, tt := range []struct {
		count int64
		want  bool
	}{{0, true}, {999, true}, {1000, false}, {1001, false}} {
		if got := poolAllows(p, tt.count); got != tt.want {
			t.Errorf("with %d sends stored, %v allows another = %v, want %v", tt.count, p, got, tt.want)
		}
	}
}

func TestPoolKey(t *testing.T) {
	w := windowAt(DefaultPoolLimit(), time.Unix(1_900_000_123, 0))
	if got, want := poolKey("us-east-1_Example", DefaultPoolLimit(), w), "pool/us-east-1_Example/3600/1899997200"; got != want {
		t.Errorf("poolKey = %q, want %q", got, want)
	}
	if len(poolKey("p", DefaultPoolLimit(), w)) == 64 {
		t.Error("a pool key could be taken for a user's")
	}
}
