// Package claims customizes the tokens of a user pool in a pre token
// generation trigger: it copies user attributes into ID-token claims, adds
// OAuth scopes to the access token by group, and suppresses ID-token
// claims, as three environment variables say.
//
// The rules Cognito sets for this trigger are kept at start-up and on every
// event:
//
//   - a claim Cognito never lets a trigger change ([Protected]: sub,
//     cognito:username, exp, aud, scope and the others) is refused by
//     [ParseConfig] with a message that names the variable;
//   - the user's groups are kept: whenever the function changes anything,
//     the response's group override is a copy of the request's group
//     configuration, so that an empty override never strips the groups;
//   - a token the function changes never holds more than
//     [MaxClaimsAndScopes] claims and scopes: when a change could pass that
//     limit, the event goes back with no change at all and a log line says
//     why, without personal data;
//   - machine-to-machine events (TokenGeneration_ClientCredentials, version
//     3) have no user, no groups and no ID token: they come back unchanged.
//
// The decision is pure: [Config.Decide] turns a [Request] into a
// [Decision]. [New] puts it behind the version 1 and version 2/3 handlers,
// and [FromEnv] builds the router of triggers/pretoken:
//
//	cfg, err := claims.ConfigFromEnv(os.Getenv)
//	// ...
//	c, err := claims.New(cfg)
//	// ...
//	r, err := trigger.NewRouter(trigger.PreTokenGeneration(c.HandleV1), trigger.PreTokenGenerationV2(c.HandleV2))
//
// The environment variables are a public contract, documented in
// docs/pretoken.md.
package claims
