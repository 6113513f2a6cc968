package signup

import (
	"context"
	"errors"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Messages for the end user about linking. Cognito shows them after its
// own prefix ("PreSignUp failed with error ").
const (
	// LinkedMessage asks a federated user whose identity was just linked
	// to their existing account to sign in again: Cognito cannot finish
	// the sign-in during which the link was made.
	LinkedMessage = "Your sign-in is now linked to your existing account. Please sign in again to continue."
	// SeveralAccountsMessage refuses a federated sign-in whose email
	// belongs to more than one existing account.
	SeveralAccountsMessage = "More than one account uses this email address, so this sign-in cannot be linked to one of them. Please contact support."
)

// Handler returns the pre sign-up handler that applies p, to pass to
// trigger.PreSignUp. When p.LinkFederatedUsers is set, l links federated
// users and must not be nil; otherwise l is not used.
//
// An unconfigured policy gives a handler that leaves every event as it
// came. Otherwise the handler refuses what [Policy.Decide] refuses, with a
// message for the end user that never names the lists; links a federated
// user (PreSignUp_ExternalProvider) with [Linker.Link] when asked to, and
// refuses the sign-up after a link with [LinkedMessage]; and sets the
// decision's flags on the response.
func Handler(p Policy, l *Linker) (func(context.Context, *trigger.PreSignUpEvent) error, error) {
	if p.LinkFederatedUsers && l == nil {
		return nil, errors.New("the policy links federated users but no Linker was given; build one with NewLinker")
	}
	if !p.Configured() {
		return func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
			metrics.Count(ctx, metrics.SignUpsAllowed)
			return nil
		}, nil
	}
	return func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		attrs := ev.Request.UserAttributes
		d := p.Decide(ev.TriggerSource, attrs)
		if d.Refused() {
			trigger.Logger(ctx).Info("sign-up refused", "reason", d.Refusal.String())
			metrics.Count(ctx, metrics.SignUpsRefused, metrics.Dim(metrics.DimReason, d.Refusal.metricReason()))
			return trigger.Deny(d.Refusal.Message())
		}
		if p.LinkFederatedUsers && ev.TriggerSource == trigger.SourcePreSignUpExternalProvider {
			if err := link(ctx, l, p, ev, d); err != nil {
				return err
			}
		}
		d.Apply(&ev.Response)
		metrics.Count(ctx, metrics.SignUpsAllowed)
		return nil
	}, nil
}

// link links a federated user to the native user with the same email and
// returns the denial that must follow, or nil for the sign-up to go on.
func link(ctx context.Context, l *Linker, p Policy, ev *trigger.PreSignUpEvent, d Decision) error {
	if d.Email.Domain == "" {
		trigger.Logger(ctx).Info("federated user not linked: the identity provider gave no email")
		metrics.Count(ctx, metrics.FederatedNotLinked, metrics.Dim(metrics.DimReason, metrics.ReasonNoEmail))
		return nil
	}
	res, err := l.Link(ctx, FederatedUser{
		PoolID:           ev.UserPoolID,
		UserName:         ev.UserName,
		Email:            ev.Request.UserAttributes[attrEmail],
		EmailVerified:    ProviderAssertsVerified(ev.Request.UserAttributes[attrEmailVerified]),
		TrustedProviders: p.TrustUnverifiedEmailProviders,
	})
	if err != nil {
		return err
	}
	switch res {
	case Linked:
		return trigger.Deny(LinkedMessage)
	case SeveralNativeUsers:
		trigger.Logger(ctx).Warn("federated user not linked: several native users have the email")
		metrics.Count(ctx, metrics.SignUpsRefused, metrics.Dim(metrics.DimReason, metrics.ReasonSeveralAccounts))
		return trigger.Deny(SeveralAccountsMessage)
	}
	return nil
}

// ProviderAssertsVerified reports whether the email_verified attribute of
// a federated user says that the identity provider verified the email:
// "true" in any case (a JSON true reaches the handler as "true"). Any
// other value, an absent or empty one included, is no proof: many OIDC and
// SAML providers never send the attribute, and whoever registers an
// address at such a provider has proven nothing about it.
func ProviderAssertsVerified(v string) bool { return strings.EqualFold(v, "true") }
