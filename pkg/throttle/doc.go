// Package throttle limits how often a trigger may send a message, to one
// user across sign-ins and across all the users of a user pool, with a
// DynamoDB table.
//
// The passwordless create-auth-challenge trigger sends a one-time code by
// email or SMS on every sign-in attempt. Without a limit, repeated attempts
// can flood an inbox or run up an SMS bill, and SMS pumping fraud spreads
// its attempts over many usernames. Before it sends, the trigger calls
// [Table.Allow] with the user's [Key], then [Table.AllowPool] with the
// user pool's ID; each records the send and returns nil, or refuses it
// with a [*Throttled] (nothing is recorded then). A round that sends
// nothing (for an unknown user) asks Allow and [Table.CheckPool], which
// refuses when AllowPool would but records nothing.
//
// The per-user limits ([DefaultLimits]) are one message per 30 seconds
// and ten per hour, each a sliding window: at most Count sends in any span
// of Per. The pool-wide limit ([DefaultPoolLimit]) is 1000 messages per
// hour, a fixed window: at most Count sends from one full hour (UTC) to
// the next. A function builds its Table once, at start-up, with
// [NewFromConfig] (from its aws.Config); tests give [New] a fake [API].
//
// # Table schema
//
// The table has a partition key named "pk" of type String, no sort key,
// and DynamoDB Time to Live enabled on the attribute "expires". On-demand
// (PAY_PER_REQUEST) billing suits it. With the AWS CDK for Go:
//
//	awsdynamodb.NewTable(stack, jsii.String("SendThrottle"), &awsdynamodb.TableProps{
//		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String("pk"), Type: awsdynamodb.AttributeType_STRING},
//		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
//		TimeToLiveAttribute: jsii.String("expires"),
//	})
//
// The function needs dynamodb:GetItem, dynamodb:PutItem and
// dynamodb:UpdateItem on the table, and nothing else: GetItem and PutItem
// for Allow, UpdateItem for AllowPool, GetItem for CheckPool. [CreateTable]
// creates such a table for local runs and tests.
//
// # Items
//
// There is one item per user:
//
//   - pk (S): the [Key], the hex SHA-256 of "<userPoolID>/<userName>". The
//     table holds no user name or address.
//   - sends (L of N): the Unix times in milliseconds of the user's recent
//     sends, oldest first; at most the largest Count of the limits, the
//     newest kept, and none older than the longest Per.
//   - version (N): incremented by every write, for optimistic concurrency.
//   - expires (N): Unix seconds of the last send plus the longest Per,
//     rounded up. DynamoDB deletes the item some time after that.
//   - writer (S): a random token of the Allow call that wrote the item.
//     When DynamoDB's answer to a write is lost, the SDK sends the write
//     again, and its condition fails against the item the first attempt
//     stored; Allow then reads the item, finds its own token, and counts
//     the send as allowed and recorded, where it would otherwise refuse a
//     user whose send it had just recorded.
//
// and one item per user pool and window of the pool-wide limit:
//
//   - pk (S): "pool/<userPoolID>/<Per in seconds>/<window start, Unix
//     seconds>", such as "pool/us-east-1_Example/3600/1893484800". It
//     cannot be taken for a user's key, which has 64 hexadecimal digits.
//   - count (N): the sends of the window.
//   - expires (N): the end of the window, Unix seconds.
//
// # Allow
//
// Allow reads the item with a strongly consistent GetItem and decides in
// Go whether every limit allows one more send now. An item whose expires
// has passed counts as empty: DynamoDB deletes expired items lazily, up to
// days late. If the send is allowed, Allow writes the whole item with
// PutItem on the condition that it did not change since it was read:
// attribute_not_exists(pk) when there was no item, version = the version
// read otherwise. When the condition fails another send for the same user
// raced this one, so Allow reads and decides again, up to three attempts in
// all, and then refuses the send as a [*Throttled] with Contended set.
// Concurrent calls for one user therefore never let more sends through than
// the limits allow.
//
// A sender whose clock is ahead of the others may leave timestamps later
// than now; they count as sends made now.
//
// # AllowPool and CheckPool
//
// AllowPool is a single UpdateItem on the window's item: ADD 1 to count,
// and set expires, on the condition attribute_not_exists(count) OR count <
// Count. DynamoDB applies it atomically, so concurrent invocations never
// let more than Count sends through in a window; a failed condition is the
// refusal. A write whose answer was lost and that a retry repeats counts
// one send twice: the count errs toward refusing. CheckPool reads count
// with a strongly consistent GetItem and refuses when it has reached
// Count. Ask AllowPool after Allow, so that sends the per-user limits
// refuse do not spend the pool's; a send that Allow recorded and the pool
// then refused stays recorded for the user.
//
// # Errors
//
// A [*Throttled] is the user's doing, or the pool's: its Error is
// notify.RefusedMessage, the same neutral message for the end user
// whatever limit refused the send ("We could not send you a code just
// now. …"), and it unwraps to a trigger.Denial, so a handler that returns
// it fails the request with that message. Pool, RetryAfter and Limit
// carry the detail for the log.
//
// Anything else is a [*Error]: DynamoDB failed (a missing table, a missing
// permission, throttling or 5xx that outlasted the retries, a spent
// deadline) or the item could not be read. Every method fails closed: the
// handler should return the error and send nothing; the end user then
// sees the framework's generic internal error. Its text names the
// operation, the table and the error code, never a user's key.
//
// # Retries within the budget
//
// Cognito gives a trigger 5 seconds. The Table installs its own retryer on
// each DynamoDB call, whatever the client was built with: the SDK's
// standard retryable errors (throttling, 5xx, connection errors), at most 3
// attempts, a back-off of at most 200ms with jitter, and no retry once the
// context's deadline leaves less than the back-off and 100ms, or when
// DynamoDB asks (with x-amz-retry-after) to wait more than a second.
package throttle
