package signup_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/signup/signuptest"
)

// TestMetrics checks the metrics of each decision: sign-ups allowed and
// refused by reason, federated users linked and not linked by reason, and
// that no user data reaches them.
func TestMetrics(t *testing.T) {
	refused := func(reason string) string { return metrics.SignUpsRefused + "/" + reason }
	notLinked := func(reason string) string { return metrics.FederatedNotLinked + "/" + reason }
	tests := []struct {
		name     string
		env      map[string]string
		pool     *signuptest.Pool // nil: no linker
		fixture  string
		userName string
		edit     func(map[string]string)
		want     []string // metric or metric/reason, sorted
	}{
		{"unconfigured", nil, nil, "PreSignUp_SignUp.json", "", nil, []string{metrics.SignUpsAllowed}},
		{"allowed", map[string]string{signup.EnvAllowedEmailDomains: "example.com"}, nil, "PreSignUp_SignUp.json", "", nil, []string{metrics.SignUpsAllowed}},
		{"blocked", map[string]string{signup.EnvBlockedEmailDomains: "throwaway.example.org"}, nil, "PreSignUp_SignUp.blocked-domain.json", "", nil, []string{refused(metrics.ReasonDomainBlocked)}},
		{"not allowed", map[string]string{signup.EnvAllowedEmailDomains: "example.com"}, nil, "PreSignUp_SignUp.minimal.json", "", nil, []string{refused(metrics.ReasonDomainNotAllowed)}},
		{"invalid email", map[string]string{signup.EnvAllowedEmailDomains: "example.com"}, nil, "PreSignUp_SignUp.json", "",
			func(a map[string]string) { a["email"] = "jane@@example.com" }, []string{refused(metrics.ReasonInvalidEmail)}},
		{"linked", linkOn, &signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}}, matchFixture, "", nil,
			[]string{metrics.FederatedLinked}},
		{"no native user", linkOn, &signuptest.Pool{Users: []signuptest.User{janeAtFacebook}}, matchFixture, "", nil,
			[]string{notLinked(metrics.ReasonNoNativeUser), metrics.SignUpsAllowed}},
		{"several native users", linkOn, &signuptest.Pool{Users: []signuptest.User{jane, {Username: "jane-again", Status: "CONFIRMED",
			Attributes: map[string]string{"email": janeEmail, "email_verified": "true"}}}}, matchFixture, "", nil,
			[]string{notLinked(metrics.ReasonSeveralNativeUsers), refused(metrics.ReasonSeveralAccounts)}},
		{"native user unverified", linkOn, &signuptest.Pool{Users: []signuptest.User{{Username: janeUsername, Status: "UNCONFIRMED",
			Attributes: map[string]string{"email": janeEmail, "email_verified": "false"}}}}, matchFixture, "", nil,
			[]string{notLinked(metrics.ReasonNativeUnverified), metrics.SignUpsAllowed}},
		{"provider unverified", linkOn, &signuptest.Pool{Users: []signuptest.User{jane}}, matchFixture, "",
			func(a map[string]string) { delete(a, "email_verified") }, []string{notLinked(metrics.ReasonProviderUnverified), metrics.SignUpsAllowed}},
		{"no email", linkOn, &signuptest.Pool{Users: []signuptest.User{jane}}, matchFixture, "",
			func(a map[string]string) { delete(a, "email") }, []string{notLinked(metrics.ReasonNoEmail), metrics.SignUpsAllowed}},
		{"unknown provider", linkOn, &signuptest.Pool{Users: []signuptest.User{jane}, Providers: []string{"Google"}}, matchFixture, "Acme_1234", nil,
			[]string{notLinked(metrics.ReasonProviderUnknown), metrics.SignUpsAllowed}},
		{"link failed", linkOn, &signuptest.Pool{Users: []signuptest.User{jane}, Errors: map[string]signuptest.Error{
			"ListUsers": {Type: "InternalErrorException", Message: "boom"}}}, matchFixture, "", nil,
			[]string{notLinked(metrics.ReasonLinkFailed)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			inv := invocation{env: tt.env, fixture: tt.fixture, userName: tt.userName, edit: tt.edit, metrics: &out}
			if tt.pool != nil {
				inv.linker = signup.NewLinker(signuptest.Client(signuptest.NewCognito(t, *tt.pool).URL))
			}
			_, _, _ = inv.run(t)
			if g := metricstest.HandlerCounted(metricstest.Check(t, out.Bytes())); !slices.Equal(g, tt.want) {
				t.Errorf("got metrics %v, want %v:\n%s", g, tt.want, out.String())
			}
			for _, personal := range []string{"jane", "Jane", janeUsername, "facebook", "Acme", "example"} {
				if strings.Contains(out.String(), personal) {
					t.Errorf("the metrics hold %q:\n%s", personal, out.String())
				}
			}
		})
	}
}
