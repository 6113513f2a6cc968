package metrics

import "context"

// Unit is the unit of a metric, as EMF and CloudWatch name it.
type Unit string

// The units of EMF. The catalog uses UnitCount and UnitMilliseconds.
const (
	UnitNone               Unit = "None"
	UnitCount              Unit = "Count"
	UnitPercent            Unit = "Percent"
	UnitSeconds            Unit = "Seconds"
	UnitMilliseconds       Unit = "Milliseconds"
	UnitMicroseconds       Unit = "Microseconds"
	UnitBytes              Unit = "Bytes"
	UnitKilobytes          Unit = "Kilobytes"
	UnitMegabytes          Unit = "Megabytes"
	UnitGigabytes          Unit = "Gigabytes"
	UnitTerabytes          Unit = "Terabytes"
	UnitBits               Unit = "Bits"
	UnitKilobits           Unit = "Kilobits"
	UnitMegabits           Unit = "Megabits"
	UnitGigabits           Unit = "Gigabits"
	UnitTerabits           Unit = "Terabits"
	UnitBytesPerSecond     Unit = "Bytes/Second"
	UnitKilobytesPerSecond Unit = "Kilobytes/Second"
	UnitMegabytesPerSecond Unit = "Megabytes/Second"
	UnitGigabytesPerSecond Unit = "Gigabytes/Second"
	UnitTerabytesPerSecond Unit = "Terabytes/Second"
	UnitBitsPerSecond      Unit = "Bits/Second"
	UnitKilobitsPerSecond  Unit = "Kilobits/Second"
	UnitMegabitsPerSecond  Unit = "Megabits/Second"
	UnitGigabitsPerSecond  Unit = "Gigabits/Second"
	UnitTerabitsPerSecond  Unit = "Terabits/Second"
	UnitCountPerSecond     Unit = "Count/Second"
)

// valid reports whether u is a unit of EMF.
func (u Unit) valid() bool {
	switch u {
	case UnitNone, UnitCount, UnitPercent, UnitSeconds, UnitMilliseconds, UnitMicroseconds,
		UnitBytes, UnitKilobytes, UnitMegabytes, UnitGigabytes, UnitTerabytes,
		UnitBits, UnitKilobits, UnitMegabits, UnitGigabits, UnitTerabits,
		UnitBytesPerSecond, UnitKilobytesPerSecond, UnitMegabytesPerSecond, UnitGigabytesPerSecond, UnitTerabytesPerSecond,
		UnitBitsPerSecond, UnitKilobitsPerSecond, UnitMegabitsPerSecond, UnitGigabitsPerSecond, UnitTerabitsPerSecond,
		UnitCountPerSecond:
		return true
	}
	return false
}

// Dimension is a name and value that a metric is recorded under. Its value
// must never be personal: see the package documentation.
type Dimension struct {
	Name, Value string
}

// Dim returns the Dimension name=value.
func Dim(name, value string) Dimension { return Dimension{Name: name, Value: value} }

// ContextKey is the key under which a context carries the [Collector] of
// its invocation. The trigger adapter's context answers it without a
// context.WithValue; other code uses [NewContext].
type ContextKey struct{}

// NewContext returns a copy of ctx that carries c, so that [Add] and
// [Count] record into c.
func NewContext(ctx context.Context, c *Collector) context.Context {
	return context.WithValue(ctx, ContextKey{}, c)
}

// FromContext returns the Collector ctx carries, or nil.
func FromContext(ctx context.Context) *Collector {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(ContextKey{}).(*Collector)
	return c
}

// Add records value for the metric name in the invocation ctx belongs to,
// with the service dimension and dims. Outside an invocation (no
// [Collector] in ctx), or with metrics off, it does nothing. A record that
// breaks the rules of the package documentation is dropped, and a
// dimension value that may be personal is replaced by [Redacted]. Add never
// panics and never blocks.
func Add(ctx context.Context, name string, unit Unit, value float64, dims ...Dimension) {
	if c := FromContext(ctx); c != nil {
		c.Add(name, unit, value, dims...)
	}
}

// Count records 1 for the metric name, of unit Count: it is
// Add(ctx, name, UnitCount, 1, dims...).
func Count(ctx context.Context, name string, dims ...Dimension) {
	if c := FromContext(ctx); c != nil {
		c.Add(name, UnitCount, 1, dims...)
	}
}
