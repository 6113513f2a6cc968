package throttle

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Throttled reports a send that a limit refused; nothing was recorded.
// Error returns notify.RefusedMessage, a neutral message for the end user
// that says neither which limit refused the send nor when to try again
// (which would tell the limits, and whether the pool's are spent); the
// fields carry the detail for the log. It unwraps to a trigger.Denial with
// that message, so a handler can return it as it is.
type Throttled struct {
	// RetryAfter is the time until every limit allows a send again, if no
	// other send happens meanwhile.
	RetryAfter time.Duration
	// Limit is the limit that frees up last; for a refusal by the
	// pool-wide limit, its Count and Per.
	Limit Limit
	// Pool reports that the pool-wide limit ([Table.AllowPool],
	// [Table.CheckPool]) refused the send, not a per-user one.
	Pool bool
	// Contended reports that the send was refused because other sends
	// for the same user kept changing the item between Allow's read and
	// its write, not because a limit was reached. RetryAfter is then a
	// second and Limit the limit with the shortest window.
	Contended bool
}

// Error returns the message for the end user, notify.RefusedMessage.
func (t *Throttled) Error() string { return notify.RefusedMessage }

// Unwrap returns a trigger.Denial with the message of Error.
func (t *Throttled) Unwrap() error { return trigger.Deny(t.Error()) }

// Scope names the kind of limit that refused the send, for a log line:
// "pool" or "user".
func (t *Throttled) Scope() string {
	if t.Pool {
		return "pool"
	}
	return "user"
}

// LogValue shows the detail of the refusal in a log line.
func (t *Throttled) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("scope", t.Scope()),
		slog.Duration("retry_after", t.RetryAfter),
		slog.String("limit", t.Limit.String()),
		slog.Bool("contended", t.Contended),
	)
}

// Error reports that Allow could not decide: DynamoDB failed or the stored
// item could not be read. It is an internal failure, meant for the log;
// the caller should fail closed and send nothing. Its text never holds the
// key.
type Error struct {
	// Op is what failed: "GetItem", "PutItem", "UpdateItem", "read item"
	// for an item that could not be read, "Allow" for a key that is empty
	// or longer than 2048 bytes, or "AllowPool" or "CheckPool" for a user
	// pool ID that cannot be part of a key.
	Op string
	// Table is the table's name.
	Table string
	// Code is DynamoDB's error code, such as "ResourceNotFoundException",
	// or "" when no answer came or the item could not be read.
	Code string
	// Err is the underlying error. For an answer from DynamoDB its text is
	// not shown by Error, as it may repeat request values.
	Err error
}

// Error describes the failure and what to check.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "throttle: %s on table %q failed", e.Op, e.Table)
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
		if hint := codeHints[e.Code]; hint != "" {
			b.WriteString("; ")
			b.WriteString(hint)
		}
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Code != "" {
		switch {
		case errors.Is(e.Err, errNoBudget):
			b.WriteString("; stopped retrying because the deadline was near")
		case errors.Is(e.Err, errWaitTooLong):
			b.WriteString("; stopped retrying because DynamoDB asked to wait longer than 1s")
		}
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// codeHints say what to do about the commonest DynamoDB error codes.
var codeHints = map[string]string{
	"ResourceNotFoundException":              "check that the table exists in the client's region and account",
	"AccessDeniedException":                  "grant the function dynamodb:GetItem, dynamodb:PutItem and dynamodb:UpdateItem on the table",
	"UnrecognizedClientException":            "check the function's AWS credentials",
	"ProvisionedThroughputExceededException": "the table's capacity is exceeded; use on-demand billing or raise it",
	"ThrottlingException":                    "DynamoDB throttled the request; use on-demand billing or raise the table's capacity",
	"RequestLimitExceeded":                   "the account's DynamoDB request limit is exceeded; ask AWS to raise it",
	"ValidationException":                    "check that the table's key schema is only a partition key \"pk\" of type String",
}

// corrupt reports a stored item that Allow cannot read.
func corrupt(table, attr, problem string) *Error {
	return &Error{Op: "read item", Table: table, Err: fmt.Errorf("attribute %q %s; delete the item to reset its sends", attr, problem)}
}

// redacted is an error whose text had the key removed.
type redacted struct {
	text string
	err  error
}

func (r *redacted) Error() string { return r.text }
func (r *redacted) Unwrap() error { return r.err }

// hideKey returns err, or a copy of its text without key.
func hideKey(err error, key string) error {
	if key == "" || !strings.Contains(err.Error(), key) {
		return err
	}
	return &redacted{text: strings.ReplaceAll(err.Error(), key, "<key>"), err: err}
}

// errBadKey is the Err of an *Error for a key DynamoDB cannot store.
var errBadKey = errors.New("the key must be 1 to 2048 bytes; derive it with Key")
