// Package trigger turns plain Go functions into Amazon Cognito user-pool
// Lambda triggers that keep Cognito's contract by construction.
//
// A handler receives a typed event, edits its Response and returns nil or an
// error:
//
//	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
//		if ev.Request.UserAttributes["email"] == "" {
//			return trigger.Deny("An email address is required.")
//		}
//		ev.Response.AutoConfirmUser = trigger.Bool(true)
//		return nil
//	})
//	lambda.Start(h)
//
// The adapter (a lambda.Handler) then does what Cognito expects of every
// trigger:
//
//   - it checks that the event's triggerSource belongs to the handler's
//     trigger and that the payload is a well-formed event;
//   - it always returns the whole event: everything but the response goes
//     back byte for byte as it came (members Cognito may add later
//     included), and the response is encoded from the handler's, with the
//     fields it left unset as null, the way Cognito sent them; changes a
//     handler makes outside the response are not sent back, as Cognito
//     reads only the response;
//   - it decodes with github.com/go-json-experiment/json (the prototype of
//     encoding/json/v2), which is stricter than encoding/json: member
//     names match exactly, and a duplicate member or invalid UTF-8 makes
//     the event invalid;
//   - it gives the handler a context that ends before Cognito's fixed
//     5-second limit (see [DefaultBudget]);
//   - it splits errors in two: a [Denial] carries a message written for the
//     end user, which Cognito shows; any other error, and any panic, is
//     logged with its detail and the end user sees only a generic message;
//   - it writes one structured JSON log line per invocation, with the
//     request ID and the X-Ray trace ID (xray_trace_id) as the records of
//     [Logger] have them, and never logs codes, passwords, tokens,
//     challenge answers or private challenge parameters; email addresses
//     and phone numbers are masked unless [ShowPersonalData] is given;
//   - after the log line, it writes the invocation's metrics in CloudWatch
//     Embedded Metric Format (package metrics): Duration, Errors by kind,
//     ColdStart once per process, and what the handler recorded with
//     metrics.Count and metrics.Add (see [WithMetricsWriter],
//     [WithoutMetrics]);
//   - for define auth challenge, it refuses a response with anything but
//     exactly one outcome.
//
// Middleware ([Middleware]) wraps the handler in a fixed order: the adapter's
// own recovery and deadline budget run outermost, then the middleware given
// with [WithMiddleware], outermost first, then the handler. A [Router] serves
// several triggers from one binary.
package trigger
