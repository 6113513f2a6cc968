// Package poollimit holds the bounds and the default of the pool-wide send
// limit: package throttle applies the limit, and package passwordlesscore
// reads it from POOL_SEND_LIMIT without linking the AWS SDK.
package poollimit

import "time"

// The bounds of the limit: a count of sends in a window, whose length is
// a whole number of seconds.
const (
	MaxCount  = 1_000_000
	MinWindow = time.Minute
	MaxWindow = 24 * time.Hour
)

// The default limit: DefaultCount sends per DefaultWindow.
const (
	DefaultCount  = 1000
	DefaultWindow = time.Hour
)
