package passwordless

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
	"github.com/cognitrig/cognitrig/pkg/throttle"
)

// AWSOptions returns the options that send through Amazon SES v2 and SNS
// and limit sends with DynamoDB, as cfg asks: an SES sender unless codes
// go only by SMS, an SNS sender unless they go only by email (sending only
// to cfg.SMSCountries), and, when cfg.ThrottleTable is set, a
// throttle.Table over it as both the per-user and the pool-wide limiter,
// with cfg.PoolSendLimit and cfg.Flow.Now as its clock when set
// (sesnotify.NewFromConfig, snsnotify.NewFromConfig,
// throttle.NewFromConfig), and, when cfg.DecoyKeySecretARN is set, a
// Secrets Manager client to read the decoy key (WithSecretsManager). It
// builds each SDK client once, from awscfg; call it once per process, at
// start-up, so that every invocation reuses the clients and their
// connections. It makes no network call.
func AWSOptions(awscfg aws.Config, cfg Config) ([]Option, error) {
	var opts []Option
	if cfg.Flow.Channel != ChannelSMS {
		opts = append(opts, WithEmail(sesnotify.NewFromConfig(awscfg, cfg.Settings)))
	}
	if cfg.Flow.Channel != ChannelEmail {
		opts = append(opts, WithSMS(snsnotify.NewFromConfig(awscfg, cfg.Settings)))
	}
	if cfg.ThrottleTable != "" {
		pool := cfg.PoolSendLimit
		if pool == (SendLimit{}) {
			pool = DefaultPoolSendLimit()
		}
		topts := []throttle.Option{throttle.WithPoolLimit(throttle.PoolLimit{Count: pool.Count, Per: pool.Window})}
		if cfg.Flow.Now != nil {
			topts = append(topts, throttle.WithClock(cfg.Flow.Now))
		}
		t, err := throttle.NewFromConfig(awscfg, cfg.ThrottleTable, topts...)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithLimiter(t), WithPoolLimiter(t))
	}
	if cfg.DecoyKeySecretARN != "" {
		opts = append(opts, WithSecretsManager(secretsmanager.NewFromConfig(awscfg)))
	}
	return opts, nil
}
