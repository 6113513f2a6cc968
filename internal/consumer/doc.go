// Package consumer holds a test, and nothing else: it builds a module of a
// user's that imports this repository's Lambda-side packages, and checks
// that its module graph (go list -m all) holds none of the modules only
// the CDK side, the custom senders or the local tooling need: what a
// vulnerability scanner or an SBOM of a user's trigger reports.
package consumer
