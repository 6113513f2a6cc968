// Package userpool binds Lambda triggers to an existing Amazon Cognito user
// pool without losing anything else the pool holds.
//
// # Why a complete update
//
// Cognito's UpdateUserPool sets every parameter the request omits back to
// its default: a request that carries only LambdaConfig wipes MFA, the email
// and SMS configuration, tags, deletion protection and more, and an empty
// LambdaConfig removes every trigger. A safe change therefore reads the pool
// (DescribeUserPool), builds a complete request from what it read
// ([UpdateInput]), edits the triggers in that request ([Apply]) and writes it
// back ([Bind], [Modify]).
//
// # Slots and bindings
//
// A [Slot] names one LambdaConfig member: a trigger, or [KMSKeyID], the key
// the custom sender triggers decrypt codes with. A [Binding] assigns a
// function (or, for KMSKeyID, a key) to a slot. [PreTokenGeneration] stands
// for both of Cognito's members, PreTokenGenerationConfig and the legacy
// PreTokenGeneration ARN, which are always kept identical.
//
// # Who holds a slot
//
// [Bind] sets slots whoever set them before. [Hold] does it for a holder,
// a CloudFormation binding resource of a stack or `cognitrig bind`, and
// records it in the pool's tags (see [Claims] and [TagBefore]): what each
// slot held before, who holds it, and who took it over from whom. A slot
// another holder holds is refused ([*HeldError]) unless the request takes
// it over; either binding can then let go first, and the pool is left as
// the other, or as before both, would have it.
//
// # Drift
//
// Another writer of the pool (the console, `aws cognito-idp
// update-user-pool`, another tool) can change a slot a binding set, and a
// writer that sends UpdateUserPool without the pool's tags wipes the
// records too. [FindDrift] ([CheckDrift] reads the pool) compares the slots
// with what was bound, and reports what the records alone prove: a slot a
// holder holds but that is empty. The records name holders, not the
// functions they set, so a held slot that holds another function, or a
// slot whose tags are gone, shows only against the bindings given.
// [DriftDiff] shows the difference as [Diff] does; [SlotHolders] reads who
// holds a slot.
//
// # Refusing what cannot be written back
//
// When Cognito adds a member to its user pools that the AWS SDK for Go in
// this build does not know, anywhere in the pool (a new setting, a new
// LambdaConfig member, a new member of EmailConfiguration or of the
// elements of a list), the SDK drops it silently while reading, and a
// complete update would then remove it from the pool. [Modify] reads the
// raw DescribeUserPool response, compares every object in it with the
// SDK's types, and refuses to write when it holds such a member
// ([*UnknownMembersError], which names each by its path): upgrade the
// SDK, then try again.
//
// # Concurrent writers
//
// UpdateUserPool fails with ConcurrentModificationException when another
// writer changes the pool at the same time. [Modify] then reads the pool
// again and recomputes the request, a few times, with a short back-off.
//
// # Invoke permissions
//
// Cognito can invoke a trigger only when the function's resource policy
// allows the principal cognito-idp.amazonaws.com for the pool: without it a
// trigger bound through the API silently never fires. [CheckInvoke] and
// [InvokePermitted] look for that permission scoped to the pool (the
// condition aws:SourceArn names exactly the pool), and name the statements
// that let any pool's Cognito invoke the function; [PermitInvoke] adds the
// scoped permission.
package userpool
