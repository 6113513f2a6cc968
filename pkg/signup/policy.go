package signup

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// The environment variables of the pre sign-up trigger. Their names are a
// public contract: the CDK constructs and docs/presignup.md use them too.
const (
	// EnvAllowedEmailDomains is a comma list; when set, only these
	// domains and their subdomains may sign up.
	EnvAllowedEmailDomains = "ALLOWED_EMAIL_DOMAINS"
	// EnvBlockedEmailDomains is a comma list of domains that are refused
	// with their subdomains. It wins over the allow list.
	EnvBlockedEmailDomains = "BLOCKED_EMAIL_DOMAINS"
	// EnvAutoConfirmEmailDomains is a comma list of domains whose users
	// are confirmed, and their email verified, without a code.
	EnvAutoConfirmEmailDomains = "AUTO_CONFIRM_EMAIL_DOMAINS"
	// EnvLinkFederatedUsers is true or false (the default): whether a
	// federated user's first sign-in is linked to the native user with
	// the same email.
	EnvLinkFederatedUsers = "LINK_FEDERATED_USERS"
	// EnvTrustUnverifiedEmailProviders is a comma list of identity
	// provider names whose email is linked on even when the provider
	// does not assert email_verified: trust in that provider's email
	// replaces the proof.
	EnvTrustUnverifiedEmailProviders = "TRUST_UNVERIFIED_EMAIL_PROVIDERS"
	// EnvMarkUnprovenEmailVerified set to true makes auto-confirmed
	// sign-ups also get autoVerifyEmail, for an address nobody proved.
	// It cannot be combined with LINK_FEDERATED_USERS.
	EnvMarkUnprovenEmailVerified = "MARK_UNPROVEN_EMAIL_VERIFIED"
)

// Attribute names the policy reads.
const (
	attrEmail         = "email"
	attrEmailVerified = "email_verified"
	attrPhone         = "phone_number"
)

// Policy is the configuration of the pre sign-up trigger. The zero value
// is no configuration at all, under which [Handler] passes every event
// through untouched.
type Policy struct {
	// Allowed, when not empty, lists the only domains (with their
	// subdomains) that may sign up.
	Allowed DomainList
	// Blocked lists domains that may not sign up, with their subdomains.
	// It wins over Allowed.
	Blocked DomainList
	// AutoConfirm lists domains whose users are confirmed without a code.
	// Their email is not marked verified: the user typed the address in,
	// and a domain rule proves nothing about who receives its mail.
	AutoConfirm DomainList
	// MarkUnprovenEmailVerified also sets autoVerifyEmail for the users
	// AutoConfirm confirms, on an address nobody proved. Anyone can then
	// sign up as ceo@your-domain and hold a verified address they never
	// received mail at. It cannot be combined with LinkFederatedUsers.
	MarkUnprovenEmailVerified bool
	// LinkFederatedUsers links a federated user's first sign-in to the
	// native user with the same email, when both sides have proven the
	// address; see [Linker].
	LinkFederatedUsers bool
	// TrustUnverifiedEmailProviders names identity providers, spelled as
	// the pool spells them, whose email links a federated user even when
	// the provider does not assert email_verified: trust in that
	// provider replaces the proof. Use it only for a provider that
	// verifies every address it sends, such as your own SAML IdP.
	TrustUnverifiedEmailProviders []string
}

// PolicyFromEnv reads the policy from the environment variables of this
// package through getenv (os.Getenv in a main), and checks it with
// [Policy.Check]. The error names the variable that is wrong.
func PolicyFromEnv(getenv func(string) string) (Policy, error) {
	var p Policy
	lists := []struct {
		name string
		dst  *DomainList
	}{
		{EnvAllowedEmailDomains, &p.Allowed},
		{EnvBlockedEmailDomains, &p.Blocked},
		{EnvAutoConfirmEmailDomains, &p.AutoConfirm},
	}
	for _, l := range lists {
		list, err := ParseDomainList(getenv(l.name))
		if err != nil {
			return Policy{}, envvar.Errorf(l.name, "%s: %w", l.name, err)
		}
		*l.dst = list
	}
	flags := []struct {
		name string
		dst  *bool
	}{
		{EnvLinkFederatedUsers, &p.LinkFederatedUsers},
		{EnvMarkUnprovenEmailVerified, &p.MarkUnprovenEmailVerified},
	}
	for _, f := range flags {
		if v := strings.TrimSpace(getenv(f.name)); v != "" {
			on, err := strconv.ParseBool(v)
			if err != nil {
				return Policy{}, envvar.Errorf(f.name, "%s=%q is not a boolean; use true or false", f.name, v)
			}
			*f.dst = on
		}
	}
	providers, err := parseProviderNames(getenv(EnvTrustUnverifiedEmailProviders))
	if err != nil {
		return Policy{}, envvar.Errorf(EnvTrustUnverifiedEmailProviders, "%s: %w", EnvTrustUnverifiedEmailProviders, err)
	}
	p.TrustUnverifiedEmailProviders = providers
	if err := p.Check(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// Check reports a domain that could never take effect: an allowed or
// auto-confirmed domain that the block list covers whole, or an
// auto-confirmed domain that lies wholly outside a non-empty allow list.
// Such an entry is almost always a mistake, and finding it at start-up
// beats wondering later why a rule does nothing. The error names the
// variables involved.
func (p Policy) Check() error {
	switch {
	case p.MarkUnprovenEmailVerified && p.LinkFederatedUsers:
		return envvar.Wrap(EnvMarkUnprovenEmailVerified, envvar.Errorf(EnvLinkFederatedUsers, "%s=true and %s=true cannot be combined: a typed-in address marked verified would let anyone who signs up with a victim's address take over the victim's federated sign-ins; unset %s",
			EnvMarkUnprovenEmailVerified, EnvLinkFederatedUsers, EnvMarkUnprovenEmailVerified))
	case p.MarkUnprovenEmailVerified && p.AutoConfirm.Len() == 0:
		return envvar.Wrap(EnvMarkUnprovenEmailVerified, envvar.Errorf(EnvAutoConfirmEmailDomains, "%s=true has no effect without %s: it applies only to auto-confirmed sign-ups; unset it",
			EnvMarkUnprovenEmailVerified, EnvAutoConfirmEmailDomains))
	case len(p.TrustUnverifiedEmailProviders) > 0 && !p.LinkFederatedUsers:
		return envvar.Wrap(EnvTrustUnverifiedEmailProviders, envvar.Errorf(EnvLinkFederatedUsers, "%s is set but %s is not true: the providers are trusted only for linking; set %s=true or unset %s",
			EnvTrustUnverifiedEmailProviders, EnvLinkFederatedUsers, EnvLinkFederatedUsers, EnvTrustUnverifiedEmailProviders))
	}
	for _, d := range p.Allowed.Domains() {
		if by, ok := p.Blocked.matchedBy(d); ok {
			return envvar.Wrap(EnvAllowedEmailDomains, envvar.Errorf(EnvBlockedEmailDomains, "%s: %s is blocked by %s entry %s (the block list wins), so allowing it has no effect",
				EnvAllowedEmailDomains, d, EnvBlockedEmailDomains, by))
		}
	}
	for _, d := range p.AutoConfirm.Domains() {
		if by, ok := p.Blocked.matchedBy(d); ok {
			return envvar.Wrap(EnvAutoConfirmEmailDomains, envvar.Errorf(EnvBlockedEmailDomains, "%s: %s is blocked by %s entry %s (the block list wins), so it would never be confirmed",
				EnvAutoConfirmEmailDomains, d, EnvBlockedEmailDomains, by))
		}
		if p.Allowed.Len() > 0 && !p.Allowed.overlaps(d) {
			return envvar.Wrap(EnvAutoConfirmEmailDomains, envvar.Errorf(EnvAllowedEmailDomains, "%s: %s is outside %s, so it could never sign up; allow it too or remove it",
				EnvAutoConfirmEmailDomains, d, EnvAllowedEmailDomains))
		}
	}
	return nil
}

// Configured reports whether any part of the policy is set. An
// unconfigured policy passes every event through untouched.
func (p Policy) Configured() bool {
	return p.Allowed.Len() > 0 || p.Blocked.Len() > 0 || p.AutoConfirm.Len() > 0 || p.LinkFederatedUsers
}

// maxProviderName is the longest identity provider name Cognito accepts.
const maxProviderName = 32

// parseProviderNames reads a comma list of identity provider names. An
// empty value is no list; an empty item, a name Cognito could not have
// (1 to 32 characters without white space or control characters) or
// the name Cognito, which is never a federated provider, is an error.
func parseProviderNames(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var names []string
	for item := range strings.SplitSeq(v, ",") {
		name := strings.TrimSpace(item)
		switch {
		case name == "":
			return nil, fmt.Errorf("%q has an empty item; write provider names separated by commas, such as MyCorp-SAML,Okta", v)
		case utf8.RuneCountInString(name) > maxProviderName || strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			return nil, fmt.Errorf("%q is not an identity provider name: names are 1 to %d characters without spaces, spelled as the user pool spells them", name, maxProviderName)
		case strings.EqualFold(name, "Cognito"):
			return nil, fmt.Errorf("%q names the user pool's own users, not an identity provider; remove it", name)
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// Refusal says why a sign-up is refused. Its [Refusal.Message] is what the
// end user sees; its [Refusal.String] is for logs.
type Refusal uint8

// The reasons a sign-up is refused.
const (
	// NotRefused means the sign-up may go on.
	NotRefused Refusal = iota
	// InvalidEmail: the email attribute is not a valid address.
	InvalidEmail
	// InvalidPhone: the phone_number attribute is not in E.164 form.
	InvalidPhone
	// EmailRequired: an allow list is set and the user has no email.
	EmailRequired
	// DomainBlocked: the email's domain is on the block list.
	DomainBlocked
	// DomainNotAllowed: an allow list is set and the email's domain is
	// not on it.
	DomainNotAllowed
)

// Message returns the message shown to the end user. Blocked and
// not-allowed domains share one message, so that the refusal never tells
// which list a domain is on.
func (r Refusal) Message() string {
	switch r {
	case InvalidEmail:
		return "This email address is not valid. Please check it and try again."
	case InvalidPhone:
		return "This phone number is not valid. Please enter it in international format: a + sign, the country code and the number, without spaces."
	case EmailRequired:
		return "An email address is required to sign up."
	case DomainBlocked, DomainNotAllowed:
		return "Sign-up with this email address is not allowed."
	}
	return ""
}

// String returns a short name of the reason for logs.
func (r Refusal) String() string {
	switch r {
	case NotRefused:
		return "not_refused"
	case InvalidEmail:
		return "invalid_email"
	case InvalidPhone:
		return "invalid_phone"
	case EmailRequired:
		return "email_required"
	case DomainBlocked:
		return "domain_blocked"
	case DomainNotAllowed:
		return "domain_not_allowed"
	}
	return "refusal(" + strconv.Itoa(int(r)) + ")"
}

// metricReason returns the reason dimension of SignUpsRefused for r: one of
// package metrics' reasons, which are the names of String.
func (r Refusal) metricReason() string {
	switch r {
	case InvalidEmail:
		return metrics.ReasonInvalidEmail
	case InvalidPhone:
		return metrics.ReasonInvalidPhone
	case EmailRequired:
		return metrics.ReasonEmailRequired
	case DomainBlocked:
		return metrics.ReasonDomainBlocked
	case DomainNotAllowed:
		return metrics.ReasonDomainNotAllowed
	}
	return metrics.Other
}

// Decision is what a [Policy] decides for one sign-up.
type Decision struct {
	// Refusal is why the sign-up is refused, or NotRefused.
	Refusal Refusal
	// Email is the user's parsed email address; zero when the user has
	// none.
	Email Address
	// AutoConfirmUser and AutoVerifyEmail are the response flags to set.
	// AutoVerifyEmail is set only with Policy.MarkUnprovenEmailVerified,
	// and only with an email present. The policy never sets
	// autoVerifyPhone: an email domain vouches for nothing about a phone
	// number.
	AutoConfirmUser bool
	AutoVerifyEmail bool
}

// Refused reports whether the sign-up is refused.
func (d Decision) Refused() bool { return d.Refusal != NotRefused }

// Apply sets the decision's flags on a pre sign-up response. It only ever
// turns flags on, and touches nothing when the decision sets none.
func (d Decision) Apply(r *trigger.PreSignUpResponse) {
	if d.AutoConfirmUser {
		r.AutoConfirmUser = trigger.Bool(true)
	}
	if d.AutoVerifyEmail {
		r.AutoVerifyEmail = trigger.Bool(true)
	}
}

// Decide applies the policy to a sign-up of the given trigger source with
// the given user attributes. An unconfigured policy accepts everything and
// sets nothing. Otherwise, in this order:
//
//   - an email that is present but not a valid address is refused, and so
//     is a phone_number that is present but not E.164;
//   - with an allow list set, a user without an email is refused;
//   - a domain on the block list is refused, then one outside a non-empty
//     allow list;
//   - a domain on the auto-confirm list gets AutoConfirmUser, except for
//     PreSignUp_AdminCreateUser, where Cognito ignores the flags; and
//     AutoVerifyEmail too only with MarkUnprovenEmailVerified, since the
//     user typed the address in and nobody proved it.
//
// The rules apply to every source, federated sign-ins included: a blocked
// domain cannot come in through an identity provider either.
func (p Policy) Decide(source trigger.Source, attrs map[string]string) Decision {
	var d Decision
	if !p.Configured() {
		return d
	}
	email := attrs[attrEmail]
	if email != "" {
		a, err := ParseEmail(email)
		if err != nil {
			d.Refusal = InvalidEmail
			return d
		}
		d.Email = a
	}
	if phone := attrs[attrPhone]; phone != "" && !ValidPhone(phone) {
		return Decision{Refusal: InvalidPhone}
	}
	switch {
	case email == "" && p.Allowed.Len() > 0:
		d.Refusal = EmailRequired
	case email == "":
	case p.Blocked.Match(d.Email.Domain):
		d.Refusal = DomainBlocked
	case p.Allowed.Len() > 0 && !p.Allowed.Match(d.Email.Domain):
		d.Refusal = DomainNotAllowed
	case source != trigger.SourcePreSignUpAdminCreateUser && p.AutoConfirm.Match(d.Email.Domain):
		d.AutoConfirmUser = true
		d.AutoVerifyEmail = p.MarkUnprovenEmailVerified
	}
	return d
}
