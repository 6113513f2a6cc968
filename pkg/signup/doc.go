// Package signup holds the pre sign-up policies of cognitrig: which email
// domains may sign up, which are confirmed without a code, and how a
// federated user's first sign-in is linked to an existing native account.
//
// The decision code is pure and small: [NormalizeDomain], [ParseEmail] and
// [ValidPhone] check addresses, [DomainList] matches a domain and its
// subdomains, and [Policy.Decide] turns an event's attributes into a
// [Decision]. The AWS part, [Linker], talks to the cognito-idp API through
// the small [CognitoAPI] interface, which the SDK's
// *cognitoidentityprovider.Client implements. [Handler] puts both behind a
// pre sign-up trigger:
//
//	policy, err := signup.PolicyFromEnv(os.Getenv)
//	// ...
//	h, err := signup.Handler(policy, nil) // a *Linker when policy.LinkFederatedUsers
//	// ...
//	lambda.Start(trigger.PreSignUp(h))
//
// [FromEnv] does all of that from the environment, building the Linker's
// SDK client when linking is on: it is the function of triggers/presignup,
// and builds it in any program, with a fake client in tests ([WithCognito];
// its options are those of package fromenv).
//
// The environment variables [PolicyFromEnv] reads are a public contract,
// shared with the CDK constructs and docs/presignup.md.
package signup
