package signup

import (
	"strings"
	"testing"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestPolicyFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    string // a rendering of the policy, see describe
		wantErr string // part of the error; "" for none
	}{
		{name: "nothing set", env: nil, want: "allow[] block[] auto[] link=false"},
		{name: "every variable", env: map[string]string{
			EnvAllowedEmailDomains:     "example.com, bücher.example",
			EnvBlockedEmailDomains:     "spam.example.com",
			EnvAutoConfirmEmailDomains: "corp.example.com",
			EnvLinkFederatedUsers:      "true",
		}, want: "allow[example.com xn--bcher-kva.example] block[spam.example.com] auto[corp.example.com] link=true"},
		{name: "link false", env: map[string]string{EnvLinkFederatedUsers: "false"}, want: "allow[] block[] auto[] link=false"},
		{name: "auto-confirm a parent of an allowed domain", env: map[string]string{
			EnvAllowedEmailDomains: "corp.example.com", EnvAutoConfirmEmailDomains: "example.com",
		}, want: "allow[corp.example.com] block[] auto[example.com] link=false"},
		{name: "block part of an allowed domain", env: map[string]string{
			EnvAllowedEmailDomains: "example.com", EnvBlockedEmailDomains: "temp.example.com",
		}, want: "allow[example.com] block[temp.example.com] auto[] link=false"},
		{name: "bad allowed domain", env: map[string]string{EnvAllowedEmailDomains: "example.com,not_a_domain"},
			wantErr: `ALLOWED_EMAIL_DOMAINS: "not_a_domain" is not a valid domain name`},
		{name: "bad blocked domain", env: map[string]string{EnvBlockedEmailDomains: "@spam.example"},
			wantErr: `BLOCKED_EMAIL_DOMAINS: "@spam.example": write the domain alone`},
		{name: "bad auto-confirm domain", env: map[string]string{EnvAutoConfirmEmailDomains: ","},
			wantErr: "AUTO_CONFIRM_EMAIL_DOMAINS: the list names no domain"},
		{name: "bad boolean", env: map[string]string{EnvLinkFederatedUsers: "yes"},
			wantErr: `LINK_FEDERATED_USERS="yes" is not a boolean`},
		{name: "allowed domain blocked whole", env: map[string]string{
			EnvAllowedEmailDomains: "corp.example.com", EnvBlockedEmailDomains: "example.com",
		}, wantErr: "ALLOWED_EMAIL_DOMAINS: corp.example.com is blocked by BLOCKED_EMAIL_DOMAINS entry example.com"},
		{name: "auto-confirm domain blocked", env: map[string]string{
			EnvAutoConfirmEmailDomains: "example.com", EnvBlockedEmailDomains: "example.com",
		}, wantErr: "AUTO_CONFIRM_EMAIL_DOMAINS: example.com is blocked by BLOCKED_EMAIL_DOMAINS"},
		{name: "auto-confirm domain outside the allow list", env: map[string]string{
			EnvAllowedEmailDomains: "example.com", EnvAutoConfirmEmailDomains: "example.org",
		}, wantErr: "AUTO_CONFIRM_EMAIL_DOMAINS: example.org is outside ALLOWED_EMAIL_DOMAINS"},
		{name: "trusted providers", env: map[string]string{
			EnvLinkFederatedUsers: "true", EnvTrustUnverifiedEmailProviders: " MyCorp-SAML ,My_Corp,MyCorp-SAML",
		}, want: "allow[] block[] auto[] link=true trust[MyCorp-SAML My_Corp]"},
		{name: "mark unproven email verified", env: map[string]string{
			EnvAutoConfirmEmailDomains: "example.com", EnvMarkUnprovenEmailVerified: "true",
		}, want: "allow[] block[] auto[example.com] link=false markverified"},
		{name: "marking unproven email verified is refused with linking", env: map[string]string{
			EnvAutoConfirmEmailDomains: "example.com", EnvMarkUnprovenEmailVerified: "true", EnvLinkFederatedUsers: "true",
		}, wantErr: "MARK_UNPROVEN_EMAIL_VERIFIED=true and LINK_FEDERATED_USERS=true cannot be combined"},
		{name: "marking unproven email verified needs auto-confirm", env: map[string]string{
			EnvMarkUnprovenEmailVerified: "true",
		}, wantErr: "MARK_UNPROVEN_EMAIL_VERIFIED=true has no effect without AUTO_CONFIRM_EMAIL_DOMAINS"},
		{name: "bad mark boolean", env: map[string]string{EnvMarkUnprovenEmailVerified: "on"},
			wantErr: `MARK_UNPROVEN_EMAIL_VERIFIED="on" is not a boolean`},
		{name: "trusted providers without linking", env: map[string]string{EnvTrustUnverifiedEmailProviders: "MyCorp-SAML"},
			wantErr: "TRUST_UNVERIFIED_EMAIL_PROVIDERS is set but LINK_FEDERATED_USERS is not true"},
		{name: "trusted provider list with an empty item", env: map[string]string{
			EnvLinkFederatedUsers: "true", EnvTrustUnverifiedEmailProviders: "MyCorp-SAML,,Okta",
		}, wantErr: "TRUST_UNVERIFIED_EMAIL_PROVIDERS: \"MyCorp-SAML,,Okta\" has an empty item"},
		{name: "trusted provider with a space", env: map[string]string{
			EnvLinkFederatedUsers: "true", EnvTrustUnverifiedEmailProviders: "My Corp",
		}, wantErr: "\"My Corp\" is not an identity provider name"},
		{name: "trusted provider too long", env: map[string]string{
			EnvLinkFederatedUsers: "true", EnvTrustUnverifiedEmailProviders: strings.Repeat("a", 33),
		}, wantErr: "is not an identity provider name"},
		{name: "Cognito is not a provider to trust", env: map[string]string{
			EnvLinkFederatedUsers: "true", EnvTrustUnverifiedEmailProviders: "cognito",
		}, wantErr: "names the user pool's own users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := PolicyFromEnv(env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("PolicyFromEnv() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("PolicyFromEnv() error = %v", err)
			}
			if got := describe(p); got != tt.want {
				t.Errorf("PolicyFromEnv() = %s, want %s", got, tt.want)
			}
		})
	}
}

func describe(p Policy) string {
	link := "false"
	if p.LinkFederatedUsers {
		link = "true"
	}
	s := "allow" + list(p.Allowed) + " block" + list(p.Blocked) + " auto" + list(p.AutoConfirm) + " link=" + link
	if len(p.TrustUnverifiedEmailProviders) > 0 {
		s += " trust[" + strings.Join(p.TrustUnverifiedEmailProviders, " ") + "]"
	}
	if p.MarkUnprovenEmailVerified {
		s += " markverified"
	}
	return s
}

func list(l DomainList) string { return "[" + strings.Join(l.Domains(), " ") + "]" }

func TestRefusalMessagesNeverNameTheLists(t *testing.T) {
	for r := NotRefused + 1; r <= DomainNotAllowed; r++ {
		msg := r.Message()
		if msg == "" {
			t.Errorf("%v has no message", r)
		}
		for _, word := range []string{"block", "list", "domain", "_email_"} {
			if strings.Contains(strings.ToLower(msg), word) {
				t.Errorf("message of %v = %q, mentions %q", r, msg, word)
			}
		}
	}
	if DomainBlocked.Message() != DomainNotAllowed.Message() {
		t.Errorf("blocked and not-allowed messages differ, telling which list a domain is on")
	}
}
