package trigger

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// OptionsFromEnv returns the logging and metrics options that every function of this
// project reads from its environment. Call it from main with os.Getenv:
//
//   - LOG_LEVEL (or Lambda's AWS_LAMBDA_LOG_LEVEL): debug, info, warn or
//     error; info by default. At debug the log line of each invocation also
//     carries the redacted event.
//   - LOG_PERSONAL_DATA: true to log email addresses and phone numbers
//     unmasked; false by default.
//   - POWERTOOLS_METRICS_NAMESPACE: the CloudWatch namespace of the
//     metrics (package metrics); cognitrig by default.
//   - POWERTOOLS_SERVICE_NAME: the value of the service dimension of every
//     metric; cognitrig by default.
//   - POWERTOOLS_METRICS_DISABLED: true to write no metrics; false by
//     default.
//
// The names of the last three are those of Powertools for AWS Lambda. The
// error names the variable that is wrong.
func OptionsFromEnv(getenv func(string) string) ([]Option, error) {
	name, value := "LOG_LEVEL", getenv("LOG_LEVEL")
	if value == "" {
		name, value = "AWS_LAMBDA_LOG_LEVEL", getenv("AWS_LAMBDA_LOG_LEVEL")
	}
	level := slog.LevelInfo
	if value != "" {
		if err := level.UnmarshalText([]byte(strings.TrimSpace(value))); err != nil {
			return nil, envvar.Errorf(name, "%s=%q is not a log level; use debug, info, warn or error", name, value)
		}
	}
	opts := []Option{WithLogger(NewLogger(os.Stdout, level))}
	if v := getenv("LOG_PERSONAL_DATA"); v != "" {
		show, err := strconv.ParseBool(v)
		if err != nil {
			return nil, envvar.Errorf("LOG_PERSONAL_DATA", "LOG_PERSONAL_DATA=%q is not a boolean; use true or false", v)
		}
		if show {
			opts = append(opts, ShowPersonalData())
		}
	}
	mopt, err := metricsFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return append(opts, mopt), nil
}

// metricsFromEnv returns the metrics option the environment sets.
func metricsFromEnv(getenv func(string) string) (Option, error) {
	if v := getenv(metrics.EnvDisabled); v != "" {
		off, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return nil, envvar.Errorf(metrics.EnvDisabled, "%s=%q is not a boolean; use true or false", metrics.EnvDisabled, v)
		}
		if off {
			return WithoutMetrics(), nil
		}
	}
	ns := getenv(metrics.EnvNamespace)
	if ns != "" {
		if err := metrics.CheckNamespace(ns); err != nil {
			return nil, envvar.Errorf(metrics.EnvNamespace, "%s: %v", metrics.EnvNamespace, err)
		}
	}
	svc := getenv(metrics.EnvService)
	if svc != "" {
		if err := metrics.CheckService(svc); err != nil {
			return nil, envvar.Errorf(metrics.EnvService, "%s: %v; it is the service dimension of every metric", metrics.EnvService, err)
		}
	}
	return WithMetrics(ns, svc), nil
}

// Main is the main function of a deployable trigger. It builds the handler
// (a *Handler, or a *Router for a function that serves several triggers or
// event versions) with build, giving it os.Getenv to read its
// configuration from, and serves it with lambda.Start. When build fails, Main prints the error,
// naming the function, and exits with status 1 before any event is served:
// Lambda reports an initialization error, and the log says which variable
// is wrong.
func Main[H lambda.Handler](name string, build func(getenv func(string) string) (H, error)) {
	h, err := build(os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot start: %v\n", name, err)
		os.Exit(1)
	}
	lambda.Start(h)
}
