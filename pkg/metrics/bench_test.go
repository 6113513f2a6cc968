package metrics_test

import (
	"context"
	"io"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// BenchmarkInvocation records what a typical invocation records (two
// catalog metrics and Duration) and writes it, as the adapter does.
func BenchmarkInvocation(b *testing.B) {
	e := metrics.NewEmitter(io.Discard, "cognitrig", "svc", "fn")
	b.ReportAllocs()
	for b.Loop() {
		var c metrics.Collector
		c.Open()
		ctx := metrics.NewContext(context.Background(), &c)
		metrics.Count(ctx, metrics.SignUpsRefused, metrics.Dim(metrics.DimReason, metrics.ReasonDomainBlocked))
		metrics.Count(ctx, metrics.CodesSent, metrics.Dim(metrics.DimChannel, metrics.ChannelEmail))
		c.Add(metrics.Duration, metrics.UnitMilliseconds, 1.234, metrics.Dim(metrics.DimTrigger, "PreSignUp"))
		_ = e.Flush(&c, false)
	}
}
