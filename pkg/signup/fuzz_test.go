package signup

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// e164 is a second, independent statement of what ValidPhone accepts.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{0,14}$`)

var sources = []trigger.Source{
	trigger.SourcePreSignUpSignUp,
	trigger.SourcePreSignUpAdminCreateUser,
	trigger.SourcePreSignUpExternalProvider,
}

// FuzzDecide feeds random emails, phone numbers, domain lists and user
// names to the parsers and the policy. Nothing may panic, and the
// decisions must keep their rules: a blocked domain is never let in, a
// domain outside the allow list never either, flags never go with a
// refusal, an admin-created user or a missing email, and normalizing is
// idempotent.
func FuzzDecide(f *testing.F) {
	seeds := []struct{ email, phone, list, userName string }{
		{"jane.doe@example.com", "+15555550142", "example.com", "Google_1234"},
		{"chris.sample+signup@throwaway.example.org", "", "throwaway.example.org,example.com", "My_Corp_jane"},
		{"kim.muster@bücher.example", "(555) 555-0142", "BÜCHER.example.", "Okta_EU_1"},
		{"Jane Doe <jane.doe@example.com>", "+0123", "@example.com", "MyCorp-SAML_jane.doe@example.com"},
		{"a@b.c", "+1", "c,b.c", "_x"},
		{"x@xn--bcher-kva.example", "+123456789012345", "xn--bcher-kva.example", "SignInWithApple_0.a.0"},
		{"jürgen@EXAMPLE.org.", "+", ",,", "google_1"},
		{`a"b\c@example.com`, "+1555\n", "a..b", "Facebook_"},
	}
	for _, s := range seeds {
		f.Add(s.email, s.phone, s.list, s.userName)
	}
	f.Fuzz(func(t *testing.T, email, phone, list, userName string) {
		checkDomain(t, list)
		addr, emailErr := ParseEmail(email)
		if emailErr == nil {
			checkAddress(t, email, addr)
		}
		if got, want := ValidPhone(phone), e164.MatchString(phone); got != want {
			t.Fatalf("ValidPhone(%q) = %v, the E.164 pattern says %v", phone, got, want)
		}
		if l, err := ParseDomainList(list); err == nil {
			checkPolicies(t, l, email, phone)
		}
		checkSplit(t, userName, strings.Split(list, ","))
		if f := EmailFilter(email); unescapeFilter(f) != email {
			t.Fatalf("EmailFilter(%q) = %s, which does not read back", email, f)
		}
		if emailErr == nil && strings.Contains(maskAddresses("user "+email+" failed"), email) {
			t.Fatalf("maskAddresses leaves %q readable", email)
		}
		checkProviderNames(t, list)
		if ProviderAssertsVerified(phone) != strings.EqualFold(phone, "true") {
			t.Fatalf("ProviderAssertsVerified(%q) is not a case-blind \"true\"", phone)
		}
	})
}

func checkDomain(t *testing.T, s string) {
	d, err := NormalizeDomain(s)
	if err != nil {
		return
	}
	if again, err := NormalizeDomain(d); err != nil || again != d {
		t.Fatalf("NormalizeDomain(%q) = %q, which normalizes to %q, %v", s, d, again, err)
	}
	if err := checkHostname(d); err != nil {
		t.Fatalf("NormalizeDomain(%q) = %q, not a host name: %v", s, d, err)
	}
}

func checkAddress(t *testing.T, email string, a Address) {
	if !strings.HasPrefix(email, a.Local+"@") || a.Local == "" {
		t.Fatalf("ParseEmail(%q) local part %q", email, a.Local)
	}
	if d, err := NormalizeDomain(a.Domain); err != nil || d != a.Domain || !strings.Contains(d, ".") {
		t.Fatalf("ParseEmail(%q) domain %q is not a normalized domain of two labels or more", email, a.Domain)
	}
	if len(a.Local)+1+len(a.Domain) > maxAddressLen {
		t.Fatalf("ParseEmail(%q) accepted %d bytes", email, len(a.Local)+1+len(a.Domain))
	}
}

// checkPolicies decides with policies built from one fuzzed list, in every
// role, and checks the rules of Decide.
func checkPolicies(t *testing.T, l DomainList, email, phone string) {
	other := MustParseDomainList("example.com")
	policies := []Policy{
		{Blocked: l}, {Allowed: l}, {AutoConfirm: l}, {Allowed: l, Blocked: l},
		{Allowed: l, AutoConfirm: l}, {Allowed: other, Blocked: l, AutoConfirm: l},
		{Blocked: other, AutoConfirm: l, LinkFederatedUsers: true}, {},
		{AutoConfirm: l, MarkUnprovenEmailVerified: true},
	}
	attrs := map[string]string{}
	if email != "" {
		attrs["email"] = email
	}
	if phone != "" {
		attrs["phone_number"] = phone
	}
	addr, emailErr := ParseEmail(email)
	for _, p := range policies {
		for _, src := range sources {
			d := p.Decide(src, attrs)
			if !p.Configured() {
				if d != (Decision{}) {
					t.Fatalf("an unconfigured policy decided %+v", d)
				}
				continue
			}
			flags := d.AutoConfirmUser || d.AutoVerifyEmail
			switch {
			case d.AutoVerifyEmail && !p.MarkUnprovenEmailVerified:
				t.Fatalf("%+v: a typed-in address marked verified without MarkUnprovenEmailVerified", d)
			case d.AutoVerifyEmail != (d.AutoConfirmUser && p.MarkUnprovenEmailVerified):
				t.Fatalf("%+v: verify is not confirm under MarkUnprovenEmailVerified", d)
			case flags && (d.Refused() || email == "" || src == trigger.SourcePreSignUpAdminCreateUser):
				t.Fatalf("%s %q: flags with refusal %v", src, email, d.Refusal)
			case email != "" && emailErr != nil && d.Refusal != InvalidEmail:
				t.Fatalf("invalid email %q decided %v", email, d.Refusal)
			case phone != "" && !ValidPhone(phone) && !d.Refused():
				t.Fatalf("invalid phone %q let in", phone)
			case emailErr == nil && p.Blocked.Match(addr.Domain) && !d.Refused():
				t.Fatalf("blocked %q let in by %v", email, describeLists(p))
			case p.Allowed.Len() > 0 && !d.Refused() && (emailErr != nil || !p.Allowed.Match(addr.Domain)):
				t.Fatalf("%q outside the allow list let in by %v", email, describeLists(p))
			case flags && !p.AutoConfirm.Match(addr.Domain):
				t.Fatalf("%q auto-confirmed by %v", email, describeLists(p))
			}
			if emailErr == nil {
				upper := addr.Local + "@" + strings.ToUpper(addr.Domain) + "."
				attrs["email"] = upper
				if again := p.Decide(src, attrs); again != d && again.Refusal != InvalidEmail {
					t.Fatalf("%q decided %+v, %q decided %+v", email, d, upper, again)
				}
				attrs["email"] = email
			}
		}
	}
}

// checkProviderNames parses a provider list: an accepted name is never
// empty, longer than Cognito allows, spaced, or Cognito, and appears once.
func checkProviderNames(t *testing.T, v string) {
	names, err := parseProviderNames(v)
	if err != nil {
		return
	}
	for i, n := range names {
		if n == "" || utf8.RuneCountInString(n) > maxProviderName || strings.ContainsFunc(n, unicode.IsSpace) ||
			strings.EqualFold(n, "Cognito") || slices.Contains(names[:i], n) {
			t.Fatalf("parseProviderNames(%q) accepted %q", v, n)
		}
	}
}

func describeLists(p Policy) string {
	return "allow" + strings.Join(p.Allowed.Domains(), ",") + " block" + strings.Join(p.Blocked.Domains(), ",") +
		" auto" + strings.Join(p.AutoConfirm.Domains(), ",")
}

func checkSplit(t *testing.T, userName string, providers []string) {
	id, err := SplitUserName(userName, providers)
	if err != nil {
		return
	}
	n := len(id.Provider)
	if id.Subject == "" || len(userName) < n+2 || userName[n] != '_' || userName[n+1:] != id.Subject ||
		!strings.EqualFold(userName[:n], id.Provider) {
		t.Fatalf("SplitUserName(%q) = %+v, which does not rebuild the name", userName, id)
	}
	if !slices.Contains(providers, id.Provider) && !slices.Contains(builtinProviders, id.Provider) {
		t.Fatalf("SplitUserName(%q) = %+v, a provider of neither list", userName, id)
	}
}

// unescapeFilter reads the value back from an email filter.
func unescapeFilter(f string) string {
	v := strings.TrimSuffix(strings.TrimPrefix(f, `email = "`), `"`)
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
