package passwordless

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// DefaultDecoyDelay is how long a round that sends nothing waits before
// the process has timed a real send: about what an SES or SNS call takes
// from Lambda in the same region.
const DefaultDecoyDelay = 150 * time.Millisecond

// maxDecoyDelay caps the delay, whatever slow sends were seen, so that a
// decoy never eats the trigger's budget.
const maxDecoyDelay = 2 * time.Second

// pacer makes rounds that send nothing take about as long as rounds that
// send: it keeps a moving average of the time real sends take, per
// channel, and waits that long, give or take a quarter, in a decoy round.
type pacer struct {
	mu  sync.Mutex
	avg map[Channel]time.Duration
	def time.Duration
}

func newPacer(def time.Duration) *pacer {
	return &pacer{avg: map[Channel]time.Duration{}, def: min(max(def, 0), maxDecoyDelay)}
}

// observe records that a send by ch took d.
func (p *pacer) observe(ch Channel, d time.Duration) {
	if p.def == 0 {
		return
	}
	d = min(d, maxDecoyDelay)
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.avg[ch]; ok {
		d = old - old/8 + d/8
	}
	p.avg[ch] = d
}

// delay returns how long a decoy round by ch waits.
func (p *pacer) delay(ch Channel) time.Duration {
	if p.def == 0 {
		return 0
	}
	p.mu.Lock()
	d, ok := p.avg[ch]
	p.mu.Unlock()
	if !ok {
		d = p.def
	}
	// Uniform over [3/4 d, 5/4 d): real sends vary too.
	return d*3/4 + rand.N(d/2+1)
}

// wait sleeps for a decoy round by ch, or until ctx ends.
func (p *pacer) wait(ctx context.Context, ch Channel) {
	d := p.delay(ch)
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
