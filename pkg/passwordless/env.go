package passwordless

import (
	"time"

	"github.com/cognitrig/cognitrig/internal/awsbuild"
	"github.com/cognitrig/cognitrig/internal/buildopt"
	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// ApplyFromEnv makes an Option a fromenv.Option of the builders:
// CreateFromEnv gives it to New, after the options it builds itself, so
// that it wins; DefineFromEnv and VerifyFromEnv ignore it.
func (opt Option) ApplyFromEnv(s *fromenv.Settings) {
	fromenv.Own("passwordless.Option", opt).ApplyFromEnv(s)
}

// WithClock is an option of the three builders: it makes now the clock of
// the flow (FlowConfig.Now: a code's expiry) and, in create, of the send
// throttle's windows; time.Now by default. Give the three functions of one
// test the same clock.
func WithClock(now func() time.Time) fromenv.Option { return core.Clock(now) }

// CreateFromEnv builds the create auth challenge function from its
// environment (ConfigFromEnv, Config.CheckCreate and
// trigger.OptionsFromEnv) and opts; it is the build function of
// triggers/createauth, and lets a program embed the function, wrap it
// with its own middleware, or test it in-process. It refuses to start
// without SEND_THROTTLE_TABLE unless ALLOW_UNLIMITED_SENDS=true, without
// DECOY_KEY or DECOY_KEY_SECRET_ARN unless ALLOW_PREDICTABLE_DECOYS=true,
// and with OTP_CHANNEL=sms
// without the SMS countries, whatever opts give: a limiter given
// WithLimiter does not stand in for the table.
//
// It takes fromenv.WithTriggerOptions, [WithClock], awsenv.WithConfig and
// the options of [New], and refuses the options of other packages. It
// sends and limits through the senders and limiters opts give (WithEmail,
// WithSMS, WithLimiter, WithPoolLimiter, WithSecretsManager), and builds
// the SES, SNS, DynamoDB and Secrets Manager clients the configuration
// needs besides (AWSOptions) once,
// from awsenv.WithConfig or from the function's environment (awsenv.Load:
// AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's credentials). When
// opts give all it needs, no AWS configuration is loaded. Building makes
// no network call: the decoy key of DECOY_KEY_SECRET_ARN is read at the
// first invocation (see Auth.Create).
func CreateFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	var now core.Clock
	var given []Option
	b, err := buildopt.FromEnv("passwordless.CreateFromEnv", getenv, ConfigFromEnv, opts, func(o fromenv.Owned) bool {
		switch v := o.Value.(type) {
		case core.Clock:
			now = v
		case Option:
			given = append(given, v)
		default:
			return awsbuild.IsConfig(o)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	cfg := b.Config
	if now != nil {
		cfg.Flow.Now = now
	}
	if err := cfg.CheckCreate(); err != nil {
		return nil, err
	}
	var built []Option
	if needsAWS(cfg, given) {
		awscfg, err := awsbuild.Config(b.Own, getenv)
		if err != nil {
			return nil, err
		}
		if built, err = AWSOptions(awscfg, cfg); err != nil {
			return nil, err
		}
	}
	auth, err := New(cfg, append(built, given...)...)
	if err != nil {
		return nil, err
	}
	return trigger.CreateAuthChallenge(auth.Create, b.Trigger...), nil
}

// DefineFromEnv builds the define auth challenge function from its
// environment (ConfigFromEnv, the whole configuration the three functions
// share, and trigger.OptionsFromEnv) and opts; it is the function of
// triggers/defineauth, and lets a program embed the function, wrap it
// with its own middleware, or test it in-process. It uses [WithClock] and
// fromenv.WithTriggerOptions, ignores the options only create uses (those
// of [New] and awsenv.WithConfig), so that one list of options serves the
// three functions, and refuses the options of other packages. It makes no
// AWS call.
//
// triggers/defineauth builds the same function from this package's
// SDK-free core, so that it links neither the AWS SDK nor the templates.
func DefineFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	return core.DefineFromEnv(getenv, deciding(opts)...)
}

// VerifyFromEnv builds the verify auth challenge response function from
// its environment and opts, as DefineFromEnv does, with the same options;
// it is the function of triggers/verifyauth, which builds it from this
// package's SDK-free core.
func VerifyFromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	return core.VerifyFromEnv(getenv, deciding(opts)...)
}

// deciding returns opts without the options only create uses, which
// define and verify ignore; the core refuses the others it does not take.
func deciding(opts []fromenv.Option) []fromenv.Option {
	s := fromenv.Apply(opts)
	kept := []fromenv.Option{fromenv.WithTriggerOptions(s.TriggerOptions...)}
	for _, o := range s.Own {
		if _, ok := o.Value.(Option); !ok && !awsbuild.IsConfig(o) {
			kept = append(kept, fromenv.Own(o.Name, o.Value))
		}
	}
	return kept
}

// needsAWS reports whether cfg needs a sender or a limiter that the
// options given do not give, which AWSOptions builds.
func needsAWS(cfg Config, given []Option) bool {
	a := &Auth{}
	for _, opt := range given {
		opt(a)
	}
	ch := cfg.Flow.Channel
	return a.email == nil && ch != ChannelSMS ||
		a.sms == nil && ch != ChannelEmail ||
		cfg.ThrottleTable != "" && (a.limiter == nil || a.pool == nil) ||
		cfg.DecoyKeySecretARN != "" && a.secrets == nil
}
