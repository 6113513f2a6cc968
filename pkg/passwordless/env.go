package passwordless

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvOption configures the builders [DefineFromEnv], [CreateFromEnv] and
// [VerifyFromEnv]: [WithTriggerOptions] and [WithClock], which all three
// use; [WithAWSConfig], or an [Option] of [New], such as [WithEmail],
// [WithSMS], [WithLimiter], [WithPoolLimiter], [WithMessages] or
// [WithDecoyDelay], which only create uses (define and verify, which only
// decide, ignore them).
type EnvOption interface {
	applyEnv(*envOptions)
}

// envOptions is what the EnvOptions of one CreateFromEnv call set.
type envOptions struct {
	trigger []trigger.Option
	awscfg  *aws.Config
	now     func() time.Time
	auth    []Option
}

type envOptionFunc func(*envOptions)

func (f envOptionFunc) applyEnv(o *envOptions) { f(o) }

// applyEnv makes an Option an EnvOption: CreateFromEnv gives it to New,
// after the options it builds itself, so that it wins.
func (opt Option) applyEnv(o *envOptions) { o.auth = append(o.auth, opt) }

// WithTriggerOptions adds options of the trigger.Handler, such as
// trigger.WithLogger, trigger.WithMiddleware or trigger.WithBudget. They
// come after those the environment sets (trigger.OptionsFromEnv), so that
// they win.
func WithTriggerOptions(opts ...trigger.Option) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.trigger = append(o.trigger, opts...) })
}

// WithAWSConfig builds the SES, SNS and DynamoDB clients that no Option
// replaces from cfg, instead of loading the configuration from the
// environment (awsenv.Load).
func WithAWSConfig(cfg aws.Config) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.awscfg = &cfg })
}

// WithClock makes now the clock of the flow (FlowConfig.Now: a code's
// expiry) and, in create, of the send throttle's windows; time.Now by
// default. Give the three functions of one test the same clock.
func WithClock(now func() time.Time) EnvOption {
	return envOptionFunc(func(o *envOptions) { o.now = now })
}

// CreateFromEnv builds the create auth challenge function from its
// environment (ConfigFromEnv, Config.CheckCreate and
// trigger.OptionsFromEnv) and opts; it is the build function of
// triggers/createauth, and lets a program embed the function, wrap it
// with its own middleware, or test it in-process. It refuses to start
// without SEND_THROTTLE_TABLE unless ALLOW_UNLIMITED_SENDS=true, without
// DECOY_KEY unless ALLOW_PREDICTABLE_DECOYS=true, and with OTP_CHANNEL=sms
// without the SMS countries, whatever opts give: a limiter given
// WithLimiter does not stand in for the table.
//
// It sends and limits through the senders and limiters opts give
// (WithEmail, WithSMS, WithLimiter, WithPoolLimiter), and builds the SES,
// SNS and DynamoDB clients the configuration needs besides (AWSOptions)
// once, from [WithAWSConfig] or from the function's environment
// (awsenv.Load: AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's
// credentials). When opts give all it needs, no AWS configuration is
// loaded. Building makes no network call.
func CreateFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	o := buildopt.ApplyEach(opts, EnvOption.applyEnv)
	cfg, topts, err := buildopt.FromEnv(getenv, ConfigFromEnv, o.trigger)
	if err != nil {
		return nil, err
	}
	if o.now != nil {
		cfg.Flow.Now = o.now
	}
	if err := cfg.CheckCreate(); err != nil {
		return nil, err
	}
	var built []Option
	if o.needsAWS(cfg) {
		awscfg, err := awsbuild.Config(o.awscfg, getenv)
		if err != nil {
			return nil, err
		}
		if built, err = AWSOptions(awscfg, cfg); err != nil {
			return nil, err
		}
	}
	auth, err := New(cfg, append(built, o.auth...)...)
	if err != nil {
		return nil, err
	}
	return trigger.CreateAuthChallenge(auth.Create, topts...), nil
}

// DefineFromEnv builds the define auth challenge function from its
// environment (ConfigFromEnv, the whole configuration the three functions
// share, and trigger.OptionsFromEnv) and opts; it is the function of
// triggers/defineauth, and lets a program embed the function, wrap it
// with its own middleware, or test it in-process. It uses WithClock and
// WithTriggerOptions, and ignores the options only create uses. It makes
// no AWS call.
//
// triggers/defineauth builds the same function from this package's
// SDK-free core, so that it links neither the AWS SDK nor the templates.
func DefineFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	return core.DefineFromEnv(getenv, coreOptions(opts)...)
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment and opts, as DefineFromEnv does; it is the function of
// triggers/verifyauth, which builds it from this package's SDK-free core.
func VerifyFromEnv(getenv func(string) string, opts ...EnvOption) (*trigger.Handler, error) {
	return core.VerifyFromEnv(getenv, coreOptions(opts)...)
}

// coreOptions returns the options of the SDK-free core that opts give:
// the clock and the trigger options.
func coreOptions(opts []EnvOption) []core.EnvOption {
	o := buildopt.ApplyEach(opts, EnvOption.applyEnv)
	copts := []core.EnvOption{core.WithTriggerOptions(o.trigger...)}
	if o.now != nil {
		copts = append(copts, core.WithClock(o.now))
	}
	return copts
}

// needsAWS reports whether cfg needs a sender or a limiter that the
// options do not give, which AWSOptions builds.
func (o *envOptions) needsAWS(cfg Config) bool {
	given := &Auth{}
	for _, opt := range o.auth {
		opt(given)
	}
	ch := cfg.Flow.Channel
	return given.email == nil && ch != ChannelSMS ||
		given.sms == nil && ch != ChannelEmail ||
		cfg.ThrottleTable != "" && (given.limiter == nil || given.pool == nil)
}
