package signup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// CognitoAPI is the part of the cognito-idp API a [Linker] uses. The SDK's
// *cognitoidentityprovider.Client implements it; build it once in main and
// pass it in.
type CognitoAPI interface {
	ListUsers(context.Context, *cip.ListUsersInput, ...func(*cip.Options)) (*cip.ListUsersOutput, error)
	ListIdentityProviders(context.Context, *cip.ListIdentityProvidersInput, ...func(*cip.Options)) (*cip.ListIdentityProvidersOutput, error)
	AdminLinkProviderForUser(context.Context, *cip.AdminLinkProviderForUserInput, ...func(*cip.Options)) (*cip.AdminLinkProviderForUserOutput, error)
}

var _ CognitoAPI = (*cip.Client)(nil)

// DefaultProviderCacheTTL is how long a [Linker] keeps a pool's identity
// provider names before it asks ListIdentityProviders again.
const DefaultProviderCacheTTL = 5 * time.Minute

// maxPages bounds the pages a listing reads, in case a service keeps
// answering with a pagination token.
const maxPages = 50

// LinkResult is what [Linker.Link] did.
type LinkResult uint8

// The results of [Linker.Link].
const (
	// NoNativeUser: no native user has the email; the sign-up goes on.
	NoNativeUser LinkResult = iota
	// Linked: the federated identity is linked to the one native user
	// with the email, now or by an earlier call. Cognito cannot finish
	// this first sign-in, so the sign-up must be refused with a message
	// asking the user to sign in again.
	Linked
	// SeveralNativeUsers: more than one native user has the email, so
	// there is no telling which to link; the sign-up must be refused.
	SeveralNativeUsers
	// NotLinked: linking would not be safe, so the sign-up goes on without
	// a link and the reason is logged: the identity provider does not
	// assert the email verified (and is not trusted to without it), the
	// one native user with the email has not verified it (whoever created
	// that account never proved they own the address), or the provider
	// name cannot be told from the userName.
	NotLinked
)

// String returns a short name of the result for logs.
func (r LinkResult) String() string {
	switch r {
	case NoNativeUser:
		return "no_native_user"
	case Linked:
		return "linked"
	case SeveralNativeUsers:
		return "several_native_users"
	case NotLinked:
		return "not_linked"
	}
	return fmt.Sprintf("link_result(%d)", r)
}

// Linker links a federated user's first sign-in to the native user of the
// pool with the same email address. It caches each pool's identity
// provider names for a few minutes; it is safe for concurrent use.
type Linker struct {
	api CognitoAPI
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	providers map[string]providerNames // by user pool ID
}

type providerNames struct {
	names   []string
	fetched time.Time
}

// LinkerOption configures a [Linker]. It is also a fromenv.Option of
// [FromEnv], which gives it to NewLinker.
type LinkerOption func(*Linker)

// WithProviderCacheTTL sets how long the identity provider names of a pool
// are kept ([DefaultProviderCacheTTL] by default). Zero or less fetches
// them for every link.
func WithProviderCacheTTL(ttl time.Duration) LinkerOption {
	return func(l *Linker) { l.ttl = ttl }
}

// NewLinker returns a Linker that calls api.
func NewLinker(api CognitoAPI, opts ...LinkerOption) *Linker {
	l := &Linker{api: api, ttl: DefaultProviderCacheTTL, now: time.Now, providers: map[string]providerNames{}}
	for _, o := range opts {
		o(l)
	}
	return l
}

// FederatedUser is the user of a PreSignUp_ExternalProvider event that
// [Linker.Link] may link.
type FederatedUser struct {
	// PoolID is the user pool's ID.
	PoolID string
	// UserName is the federated userName Cognito gives, such as
	// Google_1234 (see [SplitUserName]).
	UserName string
	// Email is the email the identity provider sent.
	Email string
	// EmailVerified reports that the identity provider asserted the email
	// verified ([ProviderAssertsVerified] of its email_verified).
	EmailVerified bool
	// TrustedProviders names the providers, spelled as the pool spells
	// them, whose email counts as proven even without EmailVerified
	// (Policy.TrustUnverifiedEmailProviders). Empty: none.
	TrustedProviders []string
}

// Link links a federated user to the native user of the pool with the
// same email, when both sides have proven the address and nothing is
// ambiguous:
//
//   - the identity provider asserts the email verified (u.EmailVerified),
//     or it is one of u.TrustedProviders; otherwise NotLinked, without a
//     call when no provider is trusted;
//   - exactly one native user has the email (ListUsers; users whose status
//     is EXTERNAL_PROVIDER, other federated users, do not count), and that
//     user's email_verified is true;
//   - the provider and subject can be told from the userName (see
//     [SplitUserName]).
//
// It then links the federated identity to that user with
// AdminLinkProviderForUser. A link that exists already counts as made, so
// a retried invocation gives the same result.
//
// Every call uses ctx, the invocation's deadline budget. Errors are
// internal: they never name the email address unmasked, and the end user
// must not see them.
//
// In an invocation, it counts the result in the metrics FederatedLinked and
// FederatedNotLinked (by reason; see package metrics).
func (l *Linker) Link(ctx context.Context, u FederatedUser) (LinkResult, error) {
	why := metrics.ReasonProviderUnknown
	res, err := l.link(ctx, u, &why)
	switch {
	case err != nil:
		metrics.Count(ctx, metrics.FederatedNotLinked, metrics.Dim(metrics.DimReason, metrics.ReasonLinkFailed))
		return res, maskedError{err}
	case res == Linked:
		metrics.Count(ctx, metrics.FederatedLinked)
	case res == NoNativeUser:
		metrics.Count(ctx, metrics.FederatedNotLinked, metrics.Dim(metrics.DimReason, metrics.ReasonNoNativeUser))
	case res == SeveralNativeUsers:
		metrics.Count(ctx, metrics.FederatedNotLinked, metrics.Dim(metrics.DimReason, metrics.ReasonSeveralNativeUsers))
	case res == NotLinked:
		metrics.Count(ctx, metrics.FederatedNotLinked, metrics.Dim(metrics.DimReason, why))
	}
	return res, nil
}

// link links u; when it returns NotLinked, *why is the reason, one of
// package metrics' reasons of FederatedNotLinked (it stays
// ReasonProviderUnknown where the provider cannot be told).
func (l *Linker) link(ctx context.Context, u FederatedUser, why *string) (LinkResult, error) {
	log := trigger.Logger(ctx)
	if !u.EmailVerified && len(u.TrustedProviders) == 0 {
		log.Warn("federated user not linked: the identity provider does not assert the email verified")
		*why = metrics.ReasonProviderUnverified
		return NotLinked, nil
	}
	var id Identity
	if !u.EmailVerified {
		// Only a trusted provider may link an unverified email, so the
		// provider must be known before anything else.
		var ok bool
		var err error
		if id, ok, err = l.resolve(ctx, u); err != nil || !ok {
			return notLinkedUnless(err)
		}
		if !slices.Contains(u.TrustedProviders, id.Provider) {
			log.Warn("federated user not linked: the identity provider does not assert the email verified and is not trusted to", "provider", id.Provider)
			*why = metrics.ReasonProviderUnverified
			return NotLinked, nil
		}
	}
	natives, err := l.nativeUsers(ctx, u.PoolID, u.Email)
	switch {
	case err != nil:
		return NoNativeUser, err
	case len(natives) == 0:
		return NoNativeUser, nil
	case len(natives) > 1:
		return SeveralNativeUsers, nil
	}
	native := natives[0]
	if attribute(native.Attributes, attrEmailVerified) != "true" {
		log.Warn("federated user not linked: the native user with the same email has not verified it")
		*why = metrics.ReasonNativeUnverified
		return NotLinked, nil
	}
	if id.Provider == "" {
		var ok bool
		if id, ok, err = l.resolve(ctx, u); err != nil || !ok {
			return notLinkedUnless(err)
		}
	}
	if hasIdentity(attribute(native.Attributes, "identities"), id) {
		log.Info("federated user already linked to the native user", "provider", id.Provider)
		return Linked, nil
	}
	_, err = l.api.AdminLinkProviderForUser(ctx, &cip.AdminLinkProviderForUserInput{
		UserPoolId: aws.String(u.PoolID),
		DestinationUser: &types.ProviderUserIdentifierType{
			ProviderName:           aws.String("Cognito"),
			ProviderAttributeValue: native.Username,
		},
		SourceUser: &types.ProviderUserIdentifierType{
			ProviderName:           aws.String(id.Provider),
			ProviderAttributeName:  aws.String("Cognito_Subject"),
			ProviderAttributeValue: aws.String(id.Subject),
		},
	})
	if err != nil && !alreadyLinked(err) {
		return NoNativeUser, fmt.Errorf("link the %s user to the native user: %w", id.Provider, err)
	}
	log.Info("federated user linked to the native user with the same email", "provider", id.Provider)
	return Linked, nil
}

// resolve tells the provider and subject of u. ok is false, and the
// reason logged, when the userName names no provider for sure: the
// sign-up then goes on without a link rather than fail.
func (l *Linker) resolve(ctx context.Context, u FederatedUser) (id Identity, ok bool, err error) {
	id, err = l.identity(ctx, u.PoolID, u.UserName)
	if errors.Is(err, ErrAmbiguousProvider) || errors.Is(err, ErrUnknownProvider) {
		trigger.Logger(ctx).Error("federated user not linked: "+err.Error(), "providers", l.cachedNames(u.PoolID))
		return Identity{}, false, nil
	}
	return id, err == nil, err
}

// notLinkedUnless is the result of a link that resolve stopped: the error
// when there is one, else NotLinked.
func notLinkedUnless(err error) (LinkResult, error) {
	if err != nil {
		return NoNativeUser, err
	}
	return NotLinked, nil
}

// nativeUsers returns up to two native users whose email is email: two
// are enough to know the link is ambiguous.
func (l *Linker) nativeUsers(ctx context.Context, poolID, email string) ([]types.UserType, error) {
	in := &cip.ListUsersInput{
		UserPoolId: aws.String(poolID),
		Filter:     aws.String(EmailFilter(email)),
		// AttributesToGet is left out on purpose: Cognito refuses it when
		// a listed user lacks a requested attribute that cannot be
		// filtered on, such as email_verified or identities.
	}
	var natives []types.UserType
	for range maxPages {
		out, err := l.api.ListUsers(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list the users with the federated user's email: %w", err)
		}
		for _, u := range out.Users {
			if u.UserStatus != types.UserStatusTypeExternalProvider {
				natives = append(natives, u)
			}
		}
		if len(natives) > 1 || aws.ToString(out.PaginationToken) == "" {
			return natives, nil
		}
		in.PaginationToken = out.PaginationToken
	}
	return nil, fmt.Errorf("list the users with the federated user's email: still paginating after %d pages", maxPages)
}

// EmailFilter returns the ListUsers filter that finds the users whose email
// is email. Backslashes and double quotes in email are escaped, as the
// filter syntax wants, so that no value can change the filter.
func EmailFilter(email string) string {
	var b strings.Builder
	b.WriteString(`email = "`)
	for i := 0; i < len(email); i++ {
		if c := email[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(email[i])
	}
	b.WriteByte('"')
	return b.String()
}

// identity splits userName against the pool's provider names. When no
// cached name matches, the cache may predate a new provider: it is
// fetched again once before the built-in fallback of SplitUserName may
// apply.
func (l *Linker) identity(ctx context.Context, poolID, userName string) (Identity, error) {
	names, fresh, err := l.providerNames(ctx, poolID, false)
	if err != nil {
		return Identity{}, err
	}
	if len(matchProviders(userName, names)) == 0 && !fresh {
		if names, _, err = l.providerNames(ctx, poolID, true); err != nil {
			return Identity{}, err
		}
	}
	id, err := SplitUserName(userName, names)
	if err == nil && strings.EqualFold(id.Provider, "Cognito") {
		// "Cognito" names native users; it is never a source to link.
		return Identity{}, ErrUnknownProvider
	}
	return id, err
}

// providerNames returns the pool's provider names from the cache, or from
// ListIdentityProviders when they are missing, stale or refresh is set;
// fresh says they were fetched now.
func (l *Linker) providerNames(ctx context.Context, poolID string, refresh bool) (names []string, fresh bool, err error) {
	l.mu.Lock()
	c, ok := l.providers[poolID]
	l.mu.Unlock()
	if ok && !refresh && l.now().Sub(c.fetched) < l.ttl {
		return c.names, false, nil
	}
	in := &cip.ListIdentityProvidersInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60)}
	for range maxPages {
		out, err := l.api.ListIdentityProviders(ctx, in)
		if err != nil {
			return nil, false, fmt.Errorf("list the identity providers of the pool: %w", err)
		}
		for _, p := range out.Providers {
			if n := aws.ToString(p.ProviderName); n != "" {
				names = append(names, n)
			}
		}
		if aws.ToString(out.NextToken) == "" {
			l.mu.Lock()
			l.providers[poolID] = providerNames{names: names, fetched: l.now()}
			l.mu.Unlock()
			return names, true, nil
		}
		in.NextToken = out.NextToken
	}
	return nil, false, fmt.Errorf("list the identity providers of the pool: still paginating after %d pages", maxPages)
}

// cachedNames returns the cached provider names of a pool, for a log line.
func (l *Linker) cachedNames(poolID string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.providers[poolID].names
}

// attribute returns the value of the named attribute, or "".
func attribute(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// hasIdentity reports whether the identities attribute of a user (a JSON
// array of {"providerName", "userId", …}) holds id.
func hasIdentity(identities string, id Identity) bool {
	if identities == "" {
		return false
	}
	var list []struct {
		ProviderName string `json:"providerName"`
		UserID       string `json:"userId"`
	}
	if json.Unmarshal([]byte(identities), &list) != nil {
		return false
	}
	for _, e := range list {
		if strings.EqualFold(e.ProviderName, id.Provider) && e.UserID == id.Subject {
			return true
		}
	}
	return false
}

// alreadyLinked reports whether err is Cognito saying that the source
// identity is linked already. Cognito answers a repeated link with an
// InvalidParameterException whose wording has changed over time: it has
// claimed that the source "may not be passed in as a SourceUser" (as if it
// were a native user, which a federated identity never is) and newer
// messages say "already linked". Both count as success, so that a retried
// invocation gives the same answer as the first.
func alreadyLinked(err error) bool {
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		return false
	}
	msg := strings.ToLower(ipe.ErrorMessage())
	return strings.Contains(msg, "already linked") ||
		strings.Contains(msg, "already been linked") ||
		strings.Contains(msg, "may not be passed in as a sourceuser")
}

// maskedError hides the email addresses that an error's text may carry
// (an SDK error can echo a request value) before it reaches a log.
type maskedError struct{ err error }

func (e maskedError) Error() string { return maskAddresses(e.err.Error()) }
func (e maskedError) Unwrap() error { return e.err }

// maskAddresses masks every word of s that contains an '@'.
func maskAddresses(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	isSep := func(r rune) bool { return strings.ContainsRune(" \t\n\"'`,;()[]{}<>", r) }
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexFunc(s, isSep)
		if i < 0 {
			i = len(s)
		}
		word := s[:i]
		if strings.Contains(word, "@") {
			word = trigger.MaskEmail(word)
		}
		b.WriteString(word)
		if i < len(s) {
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
		}
		s = s[i:]
	}
	return b.String()
}
