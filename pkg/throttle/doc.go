// Package throttle limits how often a trigger may send a message to one
// user, across sign-ins, with a DynamoDB table.
//
// The passwordless create-auth-challenge trigger sends a one-time code by
// email or SMS on every sign-in attempt. Without a limit, repeated attempts
// can flood an inbox or run up an SMS bill. Before it sends, the trigger
// calls [Table.Allow] with the user's [Key]; Allow records the send and
// returns nil, or refuses it with a [*Throttled] (nothing is recorded
// then). The default limits ([DefaultLimits]) are one message per 30
// seconds and ten per hour. Each limit is a sliding window: at most Count
// sends in any span of Per. A function builds its Table once, at start-up,
// with [NewFromConfig] (from its aws.Config); tests give [New] a fake
// [API].
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
// The function needs dynamodb:GetItem and dynamodb:PutItem on the table.
// [CreateTable] creates such a table for local runs and tests.
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
// # Errors
//
// A [*Throttled] is the user's doing: its Error is a short, generic message
// for the end user ("Too many codes were sent. Please wait 25 seconds and
// try again.") and it unwraps to a trigger.Denial, so a handler that
// returns it fails the request with that message. RetryAfter and Limit
// carry the detail for the log.
//
// Anything else is a [*Error]: DynamoDB failed (a missing table, a missing
// permission, throttling or 5xx that outlasted the retries, a spent
// deadline) or the item could not be read. Allow fails closed: the handler
// should return the error and send nothing; the end user then sees the
// framework's generic internal error. Its text names the operation, the
// table and the error code, never the key.
//
// # Retries within the budget
//
// Cognito gives a trigger 5 seconds. Allow installs its own retryer on each
// DynamoDB call, whatever the client was built with: the SDK's standard
// retryable errors (throttling, 5xx, connection errors), at most 3
// attempts, a back-off of at most 200ms with jitter, and no retry once the
// context's deadline leaves less than the back-off and 100ms, or when
// DynamoDB asks (with x-amz-retry-after) to wait more than a second.
package throttle
