package signup

import (
	"fmt"
	"strconv"
	"strings"

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
	// AutoConfirm lists domains whose users are confirmed and have their
	// email verified without a code.
	AutoConfirm DomainList
	// LinkFederatedUsers links a federated user's first sign-in to the
	// native user with the same email; see [Linker].
	LinkFederatedUsers bool
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
			return Policy{}, fmt.Errorf("%s: %w", l.name, err)
		}
		*l.dst = list
	}
	if v := strings.TrimSpace(getenv(EnvLinkFederatedUsers)); v != "" {
		link, err := strconv.ParseBool(v)
		if err != nil {
			return Policy{}, fmt.Errorf("%s=%q is not a boolean; use true or false", EnvLinkFederatedUsers, v)
		}
		p.LinkFederatedUsers = link
	}
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
	for _, d := range p.Allowed.Domains() {
		if by, ok := p.Blocked.matchedBy(d); ok {
			return fmt.Errorf("%s: %s is blocked by %s entry %s (the block list wins), so allowing it has no effect",
				EnvAllowedEmailDomains, d, EnvBlockedEmailDomains, by)
		}
	}
	for _, d := range p.AutoConfirm.Domains() {
		if by, ok := p.Blocked.matchedBy(d); ok {
			return fmt.Errorf("%s: %s is blocked by %s entry %s (the block list wins), so it would never be confirmed",
				EnvAutoConfirmEmailDomains, d, EnvBlockedEmailDomains, by)
		}
		if p.Allowed.Len() > 0 && !p.Allowed.overlaps(d) {
			return fmt.Errorf("%s: %s is outside %s, so it could never sign up; allow it too or remove it",
				EnvAutoConfirmEmailDomains, d, EnvAllowedEmailDomains)
		}
	}
	return nil
}

// Configured reports whether any part of the policy is set. An
// unconfigured policy passes every event through untouched.
func (p Policy) Configured() bool {
	return p.Allowed.Len() > 0 || p.Blocked.Len() > 0 || p.AutoConfirm.Len() > 0 || p.LinkFederatedUsers
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

// Decision is what a [Policy] decides for one sign-up.
type Decision struct {
	// Refusal is why the sign-up is refused, or NotRefused.
	Refusal Refusal
	// Email is the user's parsed email address; zero when the user has
	// none.
	Email Address
	// AutoConfirmUser and AutoVerifyEmail are the response flags to set.
	// AutoVerifyEmail is only ever set with an email present. The policy
	// never sets autoVerifyPhone: an email domain vouches for nothing
	// about a phone number.
	AutoConfirmUser bool
	AutoVerifyEmail bool
}

// Refused reports whether the sign-up is refused.
func (d Decision) Refused() bool { return d.Refusal != NotRefused }

// Apply sets the decision's flags on a pre sign-up response. It only ever
// turns flags on, and touches nothing when the decision sets none.
func (d Decision) Apply(r *trigger.PreSignUpResponse) {
	if d.AutoConfirmUser {
		r.AutoConfirmUser = true
	}
	if d.AutoVerifyEmail {
		r.AutoVerifyEmail = true
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
//   - a domain on the auto-confirm list gets AutoConfirmUser and
//     AutoVerifyEmail, except for PreSignUp_AdminCreateUser, where Cognito
//     ignores the flags.
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
		d.AutoVerifyEmail = true
	}
	return d
}
