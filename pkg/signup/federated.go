package signup

import (
	"errors"
	"strings"
)

// Identity names a user of an external identity provider as
// AdminLinkProviderForUser's SourceUser expects it.
type Identity struct {
	// Provider is the identity provider's name in the pool, spelled as
	// the pool spells it ("Google", "MyCorp-SAML").
	Provider string
	// Subject is the user's ID at the provider: the sub claim of an OIDC
	// or social provider, the NameID of a SAML assertion.
	Subject string
}

// builtinProviders are the social identity providers that Cognito names
// itself. None of their names contains an underscore.
var builtinProviders = []string{"Google", "Facebook", "LoginWithAmazon", "SignInWithApple"}

// Errors of [SplitUserName].
var (
	// ErrUnknownProvider: the userName starts with no provider name of
	// the pool, and not with a built-in one.
	ErrUnknownProvider = errors.New("the user name starts with no identity provider name of the pool")
	// ErrAmbiguousProvider: the userName starts with more than one
	// provider name of the pool followed by '_' (say "Okta" and "Okta_EU"
	// for "Okta_EU_1234"), so the subject cannot be told for sure.
	ErrAmbiguousProvider = errors.New("the user name starts with more than one identity provider name of the pool; rename one of them so that no name is another's prefix followed by '_'")
)

// SplitUserName splits the userName Cognito gives a federated user,
// "<provider>_<subject>", into its provider and subject.
//
// The split cannot simply take the first underscore: SAML and OIDC
// provider names may themselves contain underscores ("My_Corp_jane" is
// provider "My_Corp", subject "jane"), and subjects often do too. So the
// split is resolved against the pool's real provider names (providers, as
// ListIdentityProviders gives them): the provider is the one name that the
// userName starts with, followed by '_' and a non-empty subject. Case is
// ignored, since the prefix is not always spelled as the provider is. When
// several names match, the split is ambiguous and SplitUserName refuses it
// rather than guess: linking the wrong identity to an account could hand
// that account to someone else.
//
// Only when no name of the pool matches does SplitUserName fall back to
// the first underscore, and then only for the built-in social providers
// (Google, Facebook, LoginWithAmazon, SignInWithApple): Cognito fixes
// their names and none contains an underscore, so for them the first
// underscore is the separator. Checking the pool's names first matters
// even then: an OIDC provider named "Google_Workspace" must not be taken
// for Google. Any other prefix is [ErrUnknownProvider].
func SplitUserName(userName string, providers []string) (Identity, error) {
	match := matchProviders(userName, providers)
	if len(match) == 0 {
		match = matchProviders(userName, builtinProviders)
		if len(match) == 0 {
			return Identity{}, ErrUnknownProvider
		}
	}
	if len(match) > 1 {
		return Identity{}, ErrAmbiguousProvider
	}
	return Identity{Provider: match[0], Subject: userName[len(match[0])+1:]}, nil
}

// matchProviders returns the names that userName starts with, ignoring
// case, followed by '_' and at least one more byte.
func matchProviders(userName string, names []string) []string {
	var match []string
	for _, p := range names {
		n := len(p)
		if p != "" && len(userName) >= n+2 && userName[n] == '_' && strings.EqualFold(userName[:n], p) {
			match = append(match, p)
		}
	}
	return match
}
