package trigger

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// DefaultBudget is the time Cognito waits for a synchronous trigger: a fixed
// 5 seconds that cannot be changed.
const DefaultBudget = 5 * time.Second

// DefaultMargin is how long before Cognito's limit, or the Lambda deadline,
// the handler's context ends, to leave time to answer.
const DefaultMargin = 300 * time.Millisecond

// Option configures a [Handler].
type Option func(*config)

type config struct {
	// logger redacts every record; plain is its unredacted base, for the
	// invocation line whose attributes are redacted as they are built.
	logger       *slog.Logger
	plain        *slog.Logger
	redact       redactor
	showPersonal bool
	budget       time.Duration
	margin       time.Duration
	middleware   []Middleware

	// metrics writes the metrics of invocations; nil when they are off.
	metrics          *metrics.Emitter
	metricsOff       bool
	metricsWriter    io.Writer
	metricsNamespace string
	metricsService   string
}

func newConfig(opts []Option) *config {
	c := &config{budget: DefaultBudget, margin: DefaultMargin}
	for _, o := range opts {
		o(c)
	}
	base := c.logger
	if base == nil {
		base = slog.New(newJSONHandler(os.Stdout, nil))
	}
	if rh, ok := base.Handler().(*redactHandler); ok {
		base = slog.New(rh.next)
	}
	c.plain = base
	c.redact = redactor{showPersonal: c.showPersonal}
	c.logger = slog.New(newRedactHandler(base.Handler(), c.showPersonal))
	w := c.metricsWriter
	if w == nil && lambdacontext.FunctionName != "" {
		// In Lambda (AWS_LAMBDA_FUNCTION_NAME is set), where standard
		// output goes to CloudWatch Logs.
		w = os.Stdout
	}
	if !c.metricsOff && w != nil {
		ns, svc := c.metricsNamespace, c.metricsService
		if ns == "" {
			ns = metrics.DefaultNamespace
		}
		if svc == "" {
			svc = metrics.DefaultService
		}
		c.metrics = metrics.NewEmitter(w, ns, svc, lambdacontext.FunctionName)
	}
	return c
}

// WithLogger sets the logger for the per-invocation log line and for
// [Logger]. Every record goes through the redaction of this package first.
// The default writes JSON at level Info to standard output, which Lambda
// sends to CloudWatch Logs. At level Debug the log line also carries the
// redacted event as it goes back to Cognito.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// NewLogger returns a JSON logger writing to w at the given level, the kind
// [WithLogger] expects. Its lines are those of slog.JSONHandler, byte for
// byte; it writes the records of an invocation faster.
func NewLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(newJSONHandler(w, level))
}

// ShowPersonalData turns off the masking of email addresses and phone
// numbers in logs. Secrets (codes, passwords, tokens, challenge answers and
// private challenge parameters) stay redacted.
func ShowPersonalData() Option {
	return func(c *config) { c.showPersonal = true }
}

// WithBudget changes the deadline budget: the handler's context ends margin
// before limit has passed since the invocation started, or margin before
// the Lambda deadline, whichever comes first. The custom sender triggers,
// which Cognito invokes asynchronously, have no limit but the Lambda
// deadline. Non-positive values keep the defaults.
func WithBudget(limit, margin time.Duration) Option {
	return func(c *config) {
		if limit > 0 {
			c.budget = limit
		}
		if margin > 0 {
			c.margin = margin
		}
	}
}

// WithMiddleware adds middleware around the handler, listed outermost
// first. It runs inside the adapter's panic recovery and deadline budget,
// after the event was decoded and checked.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *config) { c.middleware = append(c.middleware, mw...) }
}

// WithMetrics sets the CloudWatch namespace of the metrics the handler
// writes and their service dimension (see package metrics); "" keeps the
// default, cognitrig, of each. A value that metrics.CheckNamespace or
// metrics.CheckService refuses becomes the default too: [OptionsFromEnv]
// checks the values it reads, and says which is wrong.
func WithMetrics(namespace, service string) Option {
	return func(c *config) { c.metricsNamespace, c.metricsService = namespace, service }
}

// WithMetricsWriter sets where the handler writes its metrics, as EMF
// documents, one JSON line each. The default, in Lambda (where
// AWS_LAMBDA_FUNCTION_NAME is set), is standard output, which Lambda sends
// to CloudWatch Logs, where the documents become metrics. Outside Lambda
// (in tests, in examples) the metrics are off unless a writer is given.
func WithMetricsWriter(w io.Writer) Option {
	return func(c *config) { c.metricsWriter = w }
}

// WithoutMetrics turns the metrics off: the handler writes none, and
// metrics.Add and metrics.Count do nothing in its invocations.
func WithoutMetrics() Option {
	return func(c *config) { c.metricsOff = true }
}
