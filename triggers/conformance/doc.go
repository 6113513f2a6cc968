// Package conformance holds tests, and nothing else: it runs the Cognito
// trigger events that other projects wrote for their own tests (the peer
// corpus, kept outside the repository in ../shared/peer-events) through
// the router, through each handler bound directly and through the nine
// shipped functions, and checks that every event Cognito could send is
// accepted and comes back as it came. The judgements next to each file
// that is refused say why Cognito could never send it as it is.
//
// It also runs the nine shipped functions on the repository's sample
// events and checks every metric document they write against the
// CloudWatch Embedded Metric Format specification, and that none holds a
// user's data; and it keeps each shipped function to the AWS service
// clients it calls, without the SDK's schema tables (TestLinkedServices).
package conformance
