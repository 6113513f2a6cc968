package sesnotify

import "github.com/cognitrig/cognitrig/pkg/notify/awsnotify"

// Option configures [New].
type Option func(*options)

type options struct {
	retry            awsnotify.Retry
	configurationSet string
}

// WithRetry sets the retry policy of the sender.
func WithRetry(r awsnotify.Retry) Option { return func(o *options) { o.retry = r } }

// WithConfigurationSet sends email with the named SES configuration set.
// "" sends without one.
func WithConfigurationSet(name string) Option {
	return func(o *options) { o.configurationSet = name }
}
