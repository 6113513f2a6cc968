// Package metrics records CloudWatch metrics from a user-pool trigger in
// the Embedded Metric Format (EMF): the trigger adapter of package trigger
// writes them, one JSON line per invocation, to standard output, and
// CloudWatch Logs turns the line into metrics. There is no network call and
// no start-up cost.
//
// A handler records a metric with [Count] or [Add] on the context it was
// given:
//
//	metrics.Count(ctx, "TrialStarted", metrics.Dim("plan", "free"))
//
// Outside an invocation (a context without a [Collector]), or with metrics
// turned off, both do nothing. They never panic and never block.
//
// # What a metric carries
//
// Every metric carries the dimension service (the function's service name,
// POWERTOOLS_SERVICE_NAME) and the dimensions given. Metrics count things
// that happened; nothing personal may ever go into them, and the package
// enforces what it can:
//
//   - Metric names are 1 to 255 letters, digits, '_', '-' or '.', starting
//     with a letter. Dimension names are 1 to 64 letters, digits or '_',
//     starting with a letter; service is set by the package, not by callers.
//     A record with a bad name, a bad unit, a value that is not a finite
//     number, a repeated dimension or more than 29 dimensions is dropped.
//   - Dimension values must be 1 to 64 letters, digits, '_', '-', '.', ':'
//     or '/', with no run of six digits or more and not shaped like a UUID.
//     Any other value (an email address, a phone number, a user's sub, a
//     code) is replaced by [Redacted].
//   - The metrics of the catalog below take exactly the dimensions the
//     catalog lists, with the unit it lists; a record of one with other
//     dimensions or another unit is dropped. Their reason, channel, scope
//     and kind dimensions take only the values the catalog lists (others
//     become [Other]); trigger takes a trigger name such as PreSignUp.
//   - A dimension named reason, channel, scope or kind on a metric of your
//     own takes a snake_case word of at most 40 characters.
//
// The adapter reports dropped records and replaced values in the
// invocation's log line: metrics_problems counts them, and metrics_problem
// says what was wrong with the first, so that a mistake shows.
//
// # How records add up
//
// Within an invocation, a Count metric recorded again with the same
// dimensions adds up to one value (ten Count calls give the value 10). A
// metric of any other unit recorded again keeps every value, as an EMF array
// of up to 100 values; CloudWatch computes its statistics from them all.
//
// # The document
//
// Metrics with the same dimensions share a metric directive; metrics whose
// dimension values clash (reason=a and reason=b, say) go to separate
// documents, as do metrics beyond 100 in a document, so that every document
// keeps EMF's limits: at most 30 dimensions in a set, 100 metrics in a
// document and 100 values in a metric.
//
// The first invocation of the process also writes, in a document of its own,
// ColdStart with the dimensions service and function_name (the Lambda
// function's name; outside Lambda, where there is none, service alone), as
// Powertools for AWS Lambda does.
//
// # Where metrics go
//
// The trigger adapter writes them to standard output when the process runs
// in Lambda (AWS_LAMBDA_FUNCTION_NAME is set), and nowhere elsewhere unless
// trigger.WithMetricsWriter says where; trigger.WithoutMetrics turns them
// off. trigger.OptionsFromEnv reads the variables of Powertools for AWS
// Lambda: POWERTOOLS_METRICS_NAMESPACE (the namespace, [DefaultNamespace]
// by default), POWERTOOLS_SERVICE_NAME (the service dimension,
// [DefaultService] by default) and POWERTOOLS_METRICS_DISABLED=true.
package metrics
