package claims_test

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// The decision for a user in two groups, on a version 2 event.
func ExampleConfig_Decide() {
	cfg, err := claims.ParseConfig(
		"custom:tenant=tenant_id",                      // ID_TOKEN_CLAIMS_FROM_ATTRIBUTES
		"admins=api/admin api/write;editors=api/write", // ACCESS_TOKEN_SCOPES_BY_GROUP
		"phone_number",                                 // SUPPRESS_CLAIMS
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := cfg.Decide(claims.Request{
		Source:         trigger.SourceTokenGenerationAuthentication,
		AccessToken:    true,
		UserAttributes: map[string]string{"custom:tenant": "tenant-a", "phone_number": "+15555550123"},
		Groups:         []string{"editors", "admins"},
		Scopes:         []string{"aws.cognito.signin.user.admin"},
	})
	fmt.Println(d.IDClaims, d.SuppressID, d.AddScopes)
	// Output: map[tenant_id:tenant-a] [phone_number] [api/admin api/write]
}

// A protected claim is refused with a message that names the variable.
func ExampleParseConfig() {
	_, err := claims.ParseConfig("custom:tenant:tenant_id", "", "")
	fmt.Println(err)
	_, err = claims.ParseConfig("", "", "cognito:username")
	fmt.Println(err)
	// Output:
	// ID_TOKEN_CLAIMS_FROM_ATTRIBUTES: "custom:tenant:tenant_id" is not an attribute name (name, custom:name, dev:custom:name or cognito:name); to name the claim, write attribute=claim, such as custom:tenant=tenant_id
	// SUPPRESS_CLAIMS: claim "cognito:username" cannot be changed by a trigger: Cognito reserves the cognito: claims
}
