package signup

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
)

// TestLinkerAgainstMoto runs the ListUsers and ListIdentityProviders side
// of a Linker against a real moto_server, with a pool and users created
// through the same SDK. (moto does not implement AdminLinkProviderForUser;
// linking itself is tested against signuptest.Cognito.)
func TestLinkerAgainstMoto(t *testing.T) {
	ctx := context.Background()
	api := signuptest.Client(mototest.Start(t))
	pool := createMotoPool(t, api)
	l := NewLinker(api)

	t.Run("native users are found by email", func(t *testing.T) {
		tests := []struct {
			email string
			want  []string
		}{
			{"jane.doe@example.com", []string{"jane-native"}},
			{"twin@example.org", []string{"twin-a", "twin-b"}},
			{"nobody@example.com", nil},
			{"jane.doe@example.co", nil}, // the filter is an exact match, not a prefix
		}
		for _, tt := range tests {
			users, err := l.nativeUsers(ctx, pool, tt.email)
			if err != nil {
				t.Fatalf("nativeUsers(%q): %v", tt.email, err)
			}
			var got []string
			for _, u := range users {
				got = append(got, aws.ToString(u.Username))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("nativeUsers(%q) = %q, want %q", tt.email, got, tt.want)
			}
		}
	})

	t.Run("the user's verification state is read", func(t *testing.T) {
		users, err := l.nativeUsers(ctx, pool, "jane.doe@example.com")
		if err != nil || len(users) != 1 {
			t.Fatalf("nativeUsers() = %d users, %v", len(users), err)
		}
		if got := attribute(users[0].Attributes, attrEmailVerified); got != "true" {
			t.Errorf("email_verified = %q, want true", got)
		}
	})

	t.Run("user names are split against the pool's providers", func(t *testing.T) {
		tests := []struct {
			userName string
			want     Identity
			wantErr  error
		}{
			{"Google_1234", Identity{"Google", "1234"}, nil},
			{"My_Corp_jane.doe@example.com", Identity{"My_Corp", "jane.doe@example.com"}, nil},
			{"MyCorp-SAML_jane", Identity{"MyCorp-SAML", "jane"}, nil},
			{"Acme_1234", Identity{}, ErrUnknownProvider},
		}
		for _, tt := range tests {
			got, err := l.identity(ctx, pool, tt.userName)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("identity(%q) = %+v, %v; want %+v, %v", tt.userName, got, err, tt.want, tt.wantErr)
			}
		}
	})

	t.Run("link results that need no link call", func(t *testing.T) {
		tests := []struct {
			email string
			want  LinkResult
		}{
			{"nobody@example.com", NoNativeUser},
			{"twin@example.org", SeveralNativeUsers},
			{"sam.placeholder@example.com", NotLinked}, // email not verified
		}
		for _, tt := range tests {
			got, err := l.Link(ctx, FederatedUser{PoolID: pool, UserName: "Google_100000000000000000001", Email: tt.email, EmailVerified: true})
			if err != nil || got != tt.want {
				t.Errorf("Link(%q) = %v, %v; want %v", tt.email, got, err, tt.want)
			}
		}
	})

	t.Run("an unknown pool is an error", func(t *testing.T) {
		_, err := l.Link(ctx, FederatedUser{PoolID: "us-east-1_nosuchpool", UserName: "Google_1", Email: "jane.doe@example.com", EmailVerified: true})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("Link() error = %v, want ResourceNotFoundException", err)
		}
	})
}

// createMotoPool creates a pool with native users and identity providers,
// and returns its ID.
func createMotoPool(t *testing.T, api *cip.Client) string {
	t.Helper()
	ctx := context.Background()
	out, err := api.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("signup-test")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := aws.ToString(out.UserPool.Id)
	users := []struct {
		name, email, verified string
	}{
		{"jane-native", "jane.doe@example.com", "true"},
		{"twin-a", "twin@example.org", "true"},
		{"twin-b", "twin@example.org", "true"},
		{"sam-native", "sam.placeholder@example.com", "false"},
	}
	for _, u := range users {
		_, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId:    aws.String(pool),
			Username:      aws.String(u.name),
			MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{
				{Name: aws.String("email"), Value: aws.String(u.email)},
				{Name: aws.String("email_verified"), Value: aws.String(u.verified)},
			},
		})
		if err != nil {
			t.Fatalf("AdminCreateUser %s: %v", u.name, err)
		}
	}
	providers := []struct {
		name string
		typ  types.IdentityProviderTypeType
	}{
		{"Google", types.IdentityProviderTypeTypeGoogle},
		{"My_Corp", types.IdentityProviderTypeTypeOidc},
		{"MyCorp-SAML", types.IdentityProviderTypeTypeSaml},
	}
	for _, p := range providers {
		_, err := api.CreateIdentityProvider(ctx, &cip.CreateIdentityProviderInput{
			UserPoolId:      aws.String(pool),
			ProviderName:    aws.String(p.name),
			ProviderType:    p.typ,
			ProviderDetails: map[string]string{"client_id": "fake-client", "client_secret": "fake-secret", "authorize_scopes": "openid email"},
		})
		if err != nil {
			t.Fatalf("CreateIdentityProvider %s: %v", p.name, err)
		}
	}
	return pool
}
