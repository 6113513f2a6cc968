package claims

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/internal/envvar"
)

// The environment variables of the pre token generation trigger. Their
// names are a public contract: docs/pretoken.md and the CDK constructs use
// them too.
const (
	// EnvIDTokenClaimsFromAttributes is a comma list of user attributes to
	// copy into ID-token claims: "attribute" keeps the attribute's name,
	// "attribute=claim" names the claim.
	EnvIDTokenClaimsFromAttributes = "ID_TOKEN_CLAIMS_FROM_ATTRIBUTES"
	// EnvAccessTokenScopesByGroup lists, separated by ';', the scopes that
	// the members of a group get in their access token:
	// "group=scope1 scope2;group2=scope3".
	EnvAccessTokenScopesByGroup = "ACCESS_TOKEN_SCOPES_BY_GROUP"
	// EnvSuppressClaims is a comma list of claims to leave out of the ID
	// token.
	EnvSuppressClaims = "SUPPRESS_CLAIMS"
)

// MaxClaimsAndScopes is the most claims and scopes, counted together, that
// Cognito puts in one token.
const MaxClaimsAndScopes = 5000

// maxGroupName is the longest group name Cognito accepts, in characters.
const maxGroupName = 128

// Mapping copies one user attribute into an ID-token claim.
type Mapping struct {
	// Attribute is the user attribute, as the event names it: "email",
	// "custom:tenant", "dev:custom:plan".
	Attribute string
	// Claim is the ID-token claim that gets the attribute's value.
	Claim string
}

// GroupScopes are the scopes the members of one group get in their
// access token.
type GroupScopes struct {
	Group  string
	Scopes []string
}

// Config is what the pre token generation trigger changes in tokens. The
// zero value changes nothing.
type Config struct {
	// IDClaims are the attributes copied into ID-token claims, in the
	// order configured. A user without the attribute gets no claim.
	IDClaims []Mapping
	// ScopesByGroup are the scopes added to the access token of each
	// group's members. Version 1 events cannot change the access token:
	// they ignore it.
	ScopesByGroup []GroupScopes
	// Suppress are the claims left out of the ID token.
	Suppress []string
}

// ConfigFromEnv reads the configuration from the environment variables of
// this package through getenv (os.Getenv in a main); see [ParseConfig].
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	return ParseConfig(getenv(EnvIDTokenClaimsFromAttributes), getenv(EnvAccessTokenScopesByGroup), getenv(EnvSuppressClaims))
}

// ParseConfig parses the values of the three variables and checks the
// result with [Config.Check]. The error names the variable that is wrong.
//
//   - idClaims is a comma list of "attribute" or "attribute=claim". An
//     attribute name is "name", "custom:name", "dev:custom:name" or
//     "cognito:name"; a ':' anywhere else is refused, so that
//     "custom:tenant:tenant_id" is not silently read one way or the other
//     (write "custom:tenant=tenant_id").
//   - scopesByGroup is a ';' list of "group=scope1 scope2": the scopes
//     are separated by spaces (or tabs).
//   - suppress is a comma list of claims.
//
// Spaces around items are ignored, and so are empty items ("a,,b,");
// a value that is not empty must name something.
func ParseConfig(idClaims, scopesByGroup, suppress string) (Config, error) {
	var c Config
	for item := range items(idClaims, ",") {
		attr, claim, named := strings.Cut(item, "=")
		attr, claim = strings.TrimSpace(attr), strings.TrimSpace(claim)
		if named && claim == "" {
			return Config{}, envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: %q names no claim after '='; write attribute=claim, or attribute alone to keep its name", EnvIDTokenClaimsFromAttributes, item)
		}
		if !named {
			claim = attr
		}
		c.IDClaims = append(c.IDClaims, Mapping{Attribute: attr, Claim: claim})
	}
	if len(c.IDClaims) == 0 && strings.TrimSpace(idClaims) != "" {
		return Config{}, envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s names no attribute; write a comma list such as email,custom:tenant=tenant_id", EnvIDTokenClaimsFromAttributes)
	}
	for item := range items(scopesByGroup, ";") {
		group, scopes, ok := strings.Cut(item, "=")
		if !ok {
			return Config{}, envvar.Errorf(EnvAccessTokenScopesByGroup, "%s: %q has no '='; write group=scope1 scope2, entries separated by ';'", EnvAccessTokenScopesByGroup, item)
		}
		c.ScopesByGroup = append(c.ScopesByGroup, GroupScopes{Group: strings.TrimSpace(group), Scopes: strings.FieldsFunc(scopes, asciiSpace)})
	}
	if len(c.ScopesByGroup) == 0 && strings.TrimSpace(scopesByGroup) != "" {
		return Config{}, envvar.Errorf(EnvAccessTokenScopesByGroup, "%s names no group; write group=scope1 scope2, entries separated by ';'", EnvAccessTokenScopesByGroup)
	}
	for item := range items(suppress, ",") {
		c.Suppress = append(c.Suppress, item)
	}
	if len(c.Suppress) == 0 && strings.TrimSpace(suppress) != "" {
		return Config{}, envvar.Errorf(EnvSuppressClaims, "%s names no claim; write a comma list such as locale,zoneinfo", EnvSuppressClaims)
	}
	if err := c.Check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// asciiSpace separates the scopes of a group: a space or a tab. Other
// white space is no separator, so that it makes the scope invalid rather
// than split it unnoticed.
func asciiSpace(r rune) bool { return r == ' ' || r == '\t' }

// items yields the trimmed, non-empty items of a sep-separated list.
func items(list, sep string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for item := range strings.SplitSeq(list, sep) {
			if item = strings.TrimSpace(item); item != "" && !yield(item) {
				return
			}
		}
	}
}

// Check reports what Cognito would refuse, or what could never take
// effect: a claim that [Protected] names; a claim set from two attributes,
// or both set and suppressed; a malformed attribute, claim, group or
// scope; an item listed twice; more claims or scopes than a token holds.
// The error names the variable.
func (c Config) Check() error {
	claims := make(map[string]bool, len(c.IDClaims))
	for _, m := range c.IDClaims {
		if err := checkAttribute(m.Attribute); err != nil {
			return envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: %w", EnvIDTokenClaimsFromAttributes, err)
		}
		if err := checkClaim(m.Claim); err != nil {
			return envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: %w", EnvIDTokenClaimsFromAttributes, err)
		}
		if claims[m.Claim] {
			return envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: claim %q is set from two attributes; keep one", EnvIDTokenClaimsFromAttributes, m.Claim)
		}
		claims[m.Claim] = true
	}
	groups := make(map[string]bool, len(c.ScopesByGroup))
	total := 0
	for _, g := range c.ScopesByGroup {
		if err := checkGroup(g); err != nil {
			return envvar.Errorf(EnvAccessTokenScopesByGroup, "%s: %w", EnvAccessTokenScopesByGroup, err)
		}
		if groups[g.Group] {
			return envvar.Errorf(EnvAccessTokenScopesByGroup, "%s: group %q is listed twice; list all its scopes in one entry", EnvAccessTokenScopesByGroup, g.Group)
		}
		groups[g.Group] = true
		total += len(g.Scopes)
	}
	suppressed := make(map[string]bool, len(c.Suppress))
	for _, name := range c.Suppress {
		if err := checkClaim(name); err != nil {
			return envvar.Errorf(EnvSuppressClaims, "%s: %w", EnvSuppressClaims, err)
		}
		if suppressed[name] {
			return envvar.Errorf(EnvSuppressClaims, "%s: claim %q is listed twice", EnvSuppressClaims, name)
		}
		if claims[name] {
			return envvar.Wrap(EnvSuppressClaims, envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: claim %q is also set by %s; a claim is either set or suppressed", EnvSuppressClaims, name, EnvIDTokenClaimsFromAttributes))
		}
		suppressed[name] = true
	}
	if n := len(c.IDClaims); n > MaxClaimsAndScopes {
		return envvar.Errorf(EnvIDTokenClaimsFromAttributes, "%s: %d claims, more than the %d claims and scopes Cognito puts in a token", EnvIDTokenClaimsFromAttributes, n, MaxClaimsAndScopes)
	}
	if total > MaxClaimsAndScopes {
		return envvar.Errorf(EnvAccessTokenScopesByGroup, "%s: %d scopes, more than the %d claims and scopes Cognito puts in a token", EnvAccessTokenScopesByGroup, total, MaxClaimsAndScopes)
	}
	return nil
}

// Configured reports whether the configuration changes anything. An
// unconfigured trigger returns every event as it came.
func (c Config) Configured() bool {
	return len(c.IDClaims) > 0 || len(c.ScopesByGroup) > 0 || len(c.Suppress) > 0
}

// Protected reports whether Cognito forbids a pre token generation trigger
// to add, override or suppress the claim: every "cognito:" claim
// (cognito:groups, cognito:roles and cognito:preferred_role change only
// through the group override), the claims Cognito writes itself (sub,
// username, identities, client_id, event_id, device_key, version, token_use,
// origin_jti, and the JWT and OpenID claims acr, amr, at_hash, aud,
// auth_time, azp, exp, iat, iss, jti, nbf, nonce), and scope, which changes
// only through scopes. Names are compared without case, to be safe.
func Protected(claim string) bool {
	return protectedReason(claim) != ""
}

// protectedReason says why a claim is protected, or "" when it is not.
func protectedReason(claim string) string {
	name := strings.ToLower(claim)
	switch {
	case name == "cognito:groups" || name == "cognito:roles" || name == "cognito:preferred_role":
		return "it changes only through the group override, which this function keeps as Cognito sent it"
	case strings.HasPrefix(name, "cognito:"):
		return "Cognito reserves the cognito: claims"
	case name == "scope":
		return "scopes change only through " + EnvAccessTokenScopesByGroup
	}
	switch name {
	case "sub", "username", "identities", "client_id", "event_id", "device_key", "version", "token_use", "origin_jti",
		"acr", "amr", "at_hash", "aud", "auth_time", "azp", "exp", "iat", "iss", "jti", "nbf", "nonce":
		return "Cognito sets it and never lets a trigger change it"
	}
	return ""
}

// checkAttribute accepts the attribute name forms of a user pool: name,
// custom:name, dev:custom:name and cognito:name.
func checkAttribute(attr string) error {
	if err := checkName("attribute", attr); err != nil {
		return err
	}
	parts := strings.Split(attr, ":")
	ok := false
	switch len(parts) {
	case 1:
		ok = true
	case 2:
		ok = parts[0] == "custom" || parts[0] == "cognito"
	case 3:
		ok = parts[0] == "dev" && parts[1] == "custom"
	}
	for _, p := range parts {
		ok = ok && p != ""
	}
	if !ok {
		return fmt.Errorf("%q is not an attribute name (name, custom:name, dev:custom:name or cognito:name); to name the claim, write attribute=claim, such as custom:tenant=tenant_id", attr)
	}
	return nil
}

// checkClaim accepts a claim name that the variables can carry and that
// Cognito lets a trigger change.
func checkClaim(claim string) error {
	if err := checkName("claim", claim); err != nil {
		return err
	}
	if why := protectedReason(claim); why != "" {
		return fmt.Errorf("claim %q cannot be changed by a trigger: %s", claim, why)
	}
	return nil
}

// checkName refuses empty names and names with spaces, control characters
// or the separators of the variables (',', '=', ';').
func checkName(what, name string) error {
	if name == "" {
		return fmt.Errorf("empty %s name", what)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%s name %q is not valid UTF-8", what, name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || strings.ContainsRune(",=;", r) {
			return fmt.Errorf("%s name %q has a space, a control character or one of , = ;", what, name)
		}
	}
	return nil
}

// checkGroup accepts a group name as Cognito does (letters, marks,
// symbols, numbers and punctuation, at most 128) without ';' and '=', and
// one or more scopes.
func checkGroup(g GroupScopes) error {
	if g.Group == "" {
		return errors.New("an entry names no group before '='")
	}
	if !utf8.ValidString(g.Group) || utf8.RuneCountInString(g.Group) > maxGroupName {
		return fmt.Errorf("group %q is not a group name (valid UTF-8, at most %d characters)", g.Group, maxGroupName)
	}
	for _, r := range g.Group {
		if !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) || r == ';' || r == '=' {
			return fmt.Errorf("group %q has a character a group name cannot have here (a space, a control character, ';' or '=')", g.Group)
		}
	}
	if len(g.Scopes) == 0 {
		return fmt.Errorf("group %q has no scopes; write %s=scope1 scope2", g.Group, g.Group)
	}
	seen := make(map[string]bool, len(g.Scopes))
	for _, s := range g.Scopes {
		if !ValidScope(s) {
			return fmt.Errorf("group %q: %q is not a scope (printable ASCII without spaces, '\"' or '\\')", g.Group, s)
		}
		if seen[s] {
			return fmt.Errorf("group %q: scope %q is listed twice", g.Group, s)
		}
		seen[s] = true
	}
	return nil
}

// ValidScope reports whether s is an OAuth 2.0 scope token (RFC 6749,
// section 3.3): one or more printable ASCII characters other than space,
// '"' and '\'.
func ValidScope(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
