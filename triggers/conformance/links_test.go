package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/modroot"
)

// The AWS service packages a shipped function may link, named as under
// github.com/aws/aws-sdk-go-v2/service/. Every package of a service runs
// its initialization at each cold start, whether the function calls the
// service or not.
var (
	// linkedServices lists, for each function, the services it calls.
	linkedServices = map[string][]string{
		"presignup":        {"cognitoidentityprovider"}, // ListUsers, ListIdentityProviders, AdminLinkProviderForUser, with LINK_FEDERATED_USERS=true
		"defineauth":       nil,
		"createauth":       {"dynamodb", "secretsmanager", "sesv2", "sns"}, // the send limits, the decoy key, email and SMS (OTP_CHANNEL decides at run time)
		"verifyauth":       nil,
		"custommessage":    nil,
		"pretoken":         nil,
		"postconfirmation": {"cognitoidentityprovider"}, // AdminAddUserToGroup
		// The senders call KMS (through the Encryption SDK) and their own
		// channel's service only: SES v2 or SNS.
		"customemailsender": append([]string{"kms", "sesv2"}, encryptionSDKServices...),
		"customsmssender":   append([]string{"kms", "sns"}, encryptionSDKServices...),
	}
	// encryptionSDKServices are linked, never called, by the Material
	// Providers Library of the Encryption SDK: its DynamoDB key store, and
	// config.LoadDefaultConfig with the credential services, in helpers
	// that build clients of their own (we give it our KMS client). Its
	// packages import them whatever the caller uses.
	encryptionSDKServices = []string{"dynamodb", "signin", "sso", "ssooidc", "sts"}
	// schemaServices are the services whose schemas package (the tables
	// of schema-based serialization, built at package initialization: a
	// millisecond or more and hundreds of kilobytes for the larger
	// services, at every cold start) a function may link. Only the
	// credential services, which come with the Encryption SDK's
	// config.LoadDefaultConfig and whose versions aws-sdk-go-v2/config
	// decides. The others are pinned, in the go.mod of each module, to
	// their last version before schema-based serialization.
	schemaServices = map[string][]string{
		"customemailsender": {"signin", "sso", "ssooidc", "sts"},
		"customsmssender":   {"signin", "sso", "ssooidc", "sts"},
	}
)

// TestLinkedServices keeps each shipped function to the AWS service
// clients it calls (and, for the custom senders, those the Encryption
// SDK imports), and keeps the SDK's schema tables out of every function
// but for the credential services of the senders: an SDK upgrade that
// brings them back, or an import that brings another client, fails here.
// It lists the packages of triggers/<fn> as Lambda builds them.
func TestLinkedServices(t *testing.T) {
	fns, err := modroot.Mains("..")
	if err != nil {
		t.Fatalf("list the functions: %v", err)
	}
	for _, fn := range fns {
		t.Run(fn, func(t *testing.T) {
			allowed, ok := linkedServices[fn]
			if !ok {
				t.Fatalf("triggers/%s is not in linkedServices; add it, with the AWS services it calls", fn)
			}
			linked, schemas := services(buildtest.Deps(t, "../"+fn))
			for _, svc := range linked {
				if !slices.Contains(allowed, svc) {
					t.Errorf("triggers/%s links the %s client, which it does not call; its packages' initialization costs every cold start: keep the import out of the function's packages, or add the service to linkedServices if the function calls it", fn, svc)
				}
			}
			for _, svc := range schemas {
				if !slices.Contains(schemaServices[fn], svc) {
					t.Errorf("triggers/%s links github.com/aws/aws-sdk-go-v2/service/%s/schemas, whose schema tables are built at every cold start; keep the module at its pinned version (see go.mod), or measure the start-up (go run ./cmd/coldstart %s) before you allow it", fn, svc, fn)
				}
			}
		})
	}
}

// services returns, sorted, the AWS services whose client packages deps
// holds, named as under github.com/aws/aws-sdk-go-v2/service/, and those
// whose schemas package it holds.
func services(deps []string) (linked, schemas []string) {
	const prefix = "github.com/aws/aws-sdk-go-v2/service/"
	for _, dep := range deps {
		rest, ok := strings.CutPrefix(dep, prefix)
		if !ok {
			continue
		}
		name, sub, _ := strings.Cut(rest, "/")
		switch {
		case name == "internal": // shared by the clients: no service
		case sub == "":
			linked = append(linked, name)
		case sub == "schemas":
			schemas = append(schemas, name)
		}
	}
	slices.Sort(linked)
	slices.Sort(schemas)
	return linked, schemas
}
