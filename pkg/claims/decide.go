package claims

import (
	"slices"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// cognitoClaims bounds the claims Cognito writes into a token itself (sub,
// cognito:username, cognito:groups, iss, aud, exp, iat, jti, scope and
// the like), for counting a token against [MaxClaimsAndScopes].
const cognitoClaims = 32

// Request is what [Config.Decide] reads from a pre token generation event.
type Request struct {
	// Source is the event's trigger source.
	Source trigger.Source
	// AccessToken reports whether the event can change the access token:
	// true for version 2 and 3 events, false for version 1.
	AccessToken bool
	// UserAttributes are the user's attributes; each is a claim of the ID
	// token.
	UserAttributes map[string]string
	// Groups are the user's groups.
	Groups []string
	// Scopes are the scopes of the access token (version 2 and 3).
	Scopes []string
}

// Decision is what to change in the tokens of one event.
type Decision struct {
	// IDClaims are the ID-token claims to add or override, with the
	// values of their attributes.
	IDClaims map[string]string
	// SuppressID are the ID-token claims to suppress.
	SuppressID []string
	// AddScopes are the scopes to add to the access token: those of the
	// user's groups that the token does not have yet, each once, in the
	// order configured.
	AddScopes []string
	// UnappliedScopes counts the scopes the user's groups would have added
	// had the event been able to change the access token (version 1
	// events cannot); it is for a log line.
	UnappliedScopes int
	// Overflow is set when the changes were dropped, because a token would
	// have held more than [MaxClaimsAndScopes] claims and scopes.
	Overflow *Overflow
}

// Overflow says which token would have held too many claims and scopes.
type Overflow struct {
	// Token is "id" or "access".
	Token string
	// Count is the number of claims and scopes counted for it, an upper
	// bound.
	Count int
}

// Changes reports whether the decision changes a token.
func (d Decision) Changes() bool {
	return len(d.IDClaims) > 0 || len(d.SuppressID) > 0 || len(d.AddScopes) > 0
}

// Decide returns the changes c makes to the tokens of r:
//
//   - each configured attribute the user has becomes its ID-token claim;
//   - each configured claim to suppress is suppressed in the ID token;
//   - with r.AccessToken, the scopes of the user's groups that the access
//     token lacks are added (without it, they are only counted in
//     UnappliedScopes).
//
// A TokenGeneration_ClientCredentials request, which has no user and no ID
// token, gets no change. When a token that changes could hold more than
// [MaxClaimsAndScopes] claims and scopes (Cognito's own claims, bounded
// above, the user attributes for the ID token, the scopes for the access
// token, and the additions), the decision drops every change and says so
// in Overflow.
func (c Config) Decide(r Request) Decision {
	if r.Source == trigger.SourceTokenGenerationClientCredentials {
		return Decision{}
	}
	var d Decision
	for _, m := range c.IDClaims {
		if v, ok := r.UserAttributes[m.Attribute]; ok {
			if d.IDClaims == nil {
				d.IDClaims = make(map[string]string, len(c.IDClaims))
			}
			d.IDClaims[m.Claim] = v
		}
	}
	d.SuppressID = slices.Clone(c.Suppress)
	scopes := c.groupScopes(r.Groups, r.Scopes)
	if r.AccessToken {
		d.AddScopes = scopes
	} else {
		d.UnappliedScopes = len(scopes)
	}
	if len(d.IDClaims) > 0 || len(d.SuppressID) > 0 {
		if n := cognitoClaims + len(r.UserAttributes) + len(d.IDClaims); n > MaxClaimsAndScopes {
			return Decision{Overflow: &Overflow{Token: "id", Count: n}}
		}
	}
	if len(d.AddScopes) > 0 {
		if n := cognitoClaims + len(r.Scopes) + len(d.AddScopes); n > MaxClaimsAndScopes {
			return Decision{Overflow: &Overflow{Token: "access", Count: n}}
		}
	}
	return d
}

// groupScopes returns the scopes of groups that have is missing, each
// once, in the configured order.
func (c Config) groupScopes(groups, have []string) []string {
	var out []string
	var seen map[string]bool
	for _, g := range c.ScopesByGroup {
		if !slices.Contains(groups, g.Group) {
			continue
		}
		if seen == nil {
			seen = make(map[string]bool, len(have))
			for _, s := range have {
				seen[s] = true
			}
		}
		for _, s := range g.Scopes {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
