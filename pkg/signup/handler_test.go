package signup_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const fixtures = "../../events/presignup/"

// outcome is what a test expects of one invocation.
type outcome struct {
	denial      string // the end user's message; "" when the sign-up goes on
	confirm     bool
	verifyEmail bool
}

// invocation is one run of the handler on a fixture.
type invocation struct {
	env     map[string]string
	linker  *signup.Linker
	fixture string
	// userName, when set, replaces the fixture's userName.
	userName string
	// edit changes the fixture's user attributes before the run.
	edit func(attrs map[string]string)
	// metrics, when set, receives the invocation's metrics.
	metrics *bytes.Buffer
}

// run invokes the handler the way Lambda does and returns the response
// event (nil on an error), the log and the error.
func (inv invocation) run(t *testing.T) (*trigger.PreSignUpEvent, string, error) {
	t.Helper()
	policy, err := signup.PolicyFromEnv(func(k string) string { return inv.env[k] })
	if err != nil {
		t.Fatalf("PolicyFromEnv: %v", err)
	}
	fn, err := signup.Handler(policy, inv.linker)
	if err != nil {
		t.Fatalf("Handler: %v", err)
	}
	var logs bytes.Buffer
	opts := []trigger.Option{trigger.WithLogger(trigger.NewLogger(&logs, slog.LevelDebug))}
	if inv.metrics != nil {
		opts = append(opts, trigger.WithMetricsWriter(inv.metrics))
	}
	h := trigger.PreSignUp(fn, opts...)
	payload := triggertest.Load(t, fixtures+inv.fixture)
	if inv.edit != nil || inv.userName != "" {
		var ev trigger.PreSignUpEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			t.Fatal(err)
		}
		if inv.edit != nil {
			inv.edit(ev.Request.UserAttributes)
		}
		if inv.userName != "" {
			ev.UserName = inv.userName
		}
		if payload, err = json.Marshal(&ev); err != nil {
			t.Fatal(err)
		}
	}
	out, err := triggertest.InvokeEvent[trigger.PreSignUpEvent](t, h, payload)
	return out, logs.String(), err
}

// check compares an invocation's result with want, and checks that the
// log never holds the user's email unmasked.
func (inv invocation) check(t *testing.T, want outcome) {
	t.Helper()
	ev, logs, err := inv.run(t)
	var d *trigger.Denial
	switch {
	case want.denial != "" && (!errors.As(err, &d) || d.Error() != want.denial):
		t.Errorf("error = %v, want the denial %q", err, want.denial)
	case want.denial == "" && err != nil:
		t.Errorf("error = %v, want the sign-up to go on", err)
	case err == nil:
		r := ev.Response
		if isTrue(r.AutoConfirmUser) != want.confirm || isTrue(r.AutoVerifyEmail) != want.verifyEmail || isTrue(r.AutoVerifyPhone) {
			t.Errorf("response = %+v, want autoConfirmUser %v, autoVerifyEmail %v, autoVerifyPhone false",
				r, want.confirm, want.verifyEmail)
		}
	}
	var ev0 trigger.PreSignUpEvent
	_ = json.Unmarshal(triggertest.Load(t, fixtures+inv.fixture), &ev0)
	if email := ev0.Request.UserAttributes["email"]; email != "" && strings.Contains(logs, email) {
		t.Errorf("the log holds the email unmasked:\n%s", logs)
	}
}

var (
	blocked    = signup.DomainBlocked.Message()
	notAllowed = signup.DomainNotAllowed.Message()
)

func TestHandlerDomainRules(t *testing.T) {
	const (
		allow = signup.EnvAllowedEmailDomains
		block = signup.EnvBlockedEmailDomains
		auto  = signup.EnvAutoConfirmEmailDomains
	)
	tests := []struct {
		name string
		inv  invocation
		want outcome
	}{
		{"blocked domain is refused",
			invocation{env: map[string]string{block: "throwaway.example.org"}, fixture: "PreSignUp_SignUp.blocked-domain.json"},
			outcome{denial: blocked}},
		{"subdomain of a blocked domain is refused",
			invocation{env: map[string]string{block: "example.org"}, fixture: "PreSignUp_SignUp.blocked-domain.json"},
			outcome{denial: blocked}},
		{"blocked domain compared without case and trailing dot",
			invocation{env: map[string]string{block: "THROWAWAY.Example.ORG."}, fixture: "PreSignUp_SignUp.blocked-domain.json"},
			outcome{denial: blocked}},
		{"upper-case address of a blocked domain is refused",
			invocation{env: map[string]string{block: "throwaway.example.org"}, fixture: "PreSignUp_SignUp.blocked-domain.json",
				edit: func(a map[string]string) { a["email"] = "Chris@THROWAWAY.EXAMPLE.ORG" }},
			outcome{denial: blocked}},
		{"block list wins over allow list",
			invocation{env: map[string]string{allow: "example.org", block: "throwaway.example.org"}, fixture: "PreSignUp_SignUp.blocked-domain.json"},
			outcome{denial: blocked}},
		{"a lookalike of a blocked domain passes",
			invocation{env: map[string]string{block: "example.org"}, fixture: "PreSignUp_SignUp.json",
				edit: func(a map[string]string) { a["email"] = "jane@notexample.org" }},
			outcome{}},
		{"allowed domain passes without flags",
			invocation{env: map[string]string{allow: "example.com"}, fixture: "PreSignUp_SignUp.json"},
			outcome{}},
		{"domain outside the allow list is refused like a blocked one",
			invocation{env: map[string]string{allow: "example.com"}, fixture: "PreSignUp_SignUp.minimal.json"},
			outcome{denial: notAllowed}},
		{"sub-addressing does not change the domain",
			invocation{env: map[string]string{allow: "example.org"}, fixture: "PreSignUp_SignUp.blocked-domain.json"},
			outcome{}},
		{"IDN domain allowed by its punycode",
			invocation{env: map[string]string{allow: "xn--bcher-kva.example"}, fixture: "PreSignUp_SignUp.idn-domain.json"},
			outcome{}},
		{"IDN domain blocked by its Unicode form in another case",
			invocation{env: map[string]string{block: "BÜCHER.example."}, fixture: "PreSignUp_SignUp.idn-domain.json"},
			outcome{denial: blocked}},
		{"punycode address matches a Unicode entry",
			invocation{env: map[string]string{auto: "bücher.example"}, fixture: "PreSignUp_SignUp.idn-domain.json",
				edit: func(a map[string]string) { a["email"] = "kim.muster@XN--BCHER-KVA.example" }},
			outcome{confirm: true}},
		{"auto-confirm domain gets autoConfirmUser, never autoVerifyEmail",
			invocation{env: map[string]string{auto: "example.com"}, fixture: "PreSignUp_SignUp.json"},
			outcome{confirm: true}},
		{"auto-confirm never verifies the phone number",
			invocation{env: map[string]string{auto: "example.org"}, fixture: "PreSignUp_SignUp.minimal.json"},
			outcome{confirm: true}},
		{"auto-confirm inside the allow list",
			invocation{env: map[string]string{allow: "example.com", auto: "example.com"}, fixture: "PreSignUp_SignUp.json"},
			outcome{confirm: true}},
		{"attacker signing up as the CEO is confirmed but holds no verified address",
			invocation{env: map[string]string{auto: "example.com"}, fixture: "PreSignUp_SignUp.json",
				edit: func(a map[string]string) { a["email"] = "ceo@example.com" }},
			outcome{confirm: true}},
		{"MARK_UNPROVEN_EMAIL_VERIFIED also marks the typed-in address verified",
			invocation{env: map[string]string{auto: "example.com", signup.EnvMarkUnprovenEmailVerified: "true"}, fixture: "PreSignUp_SignUp.json"},
			outcome{confirm: true, verifyEmail: true}},
		{"MARK_UNPROVEN_EMAIL_VERIFIED: a federated sign-in too",
			invocation{env: map[string]string{auto: "example.com", signup.EnvMarkUnprovenEmailVerified: "true"}, fixture: "PreSignUp_ExternalProvider.json"},
			outcome{confirm: true, verifyEmail: true}},
		{"other domains are not auto-confirmed",
			invocation{env: map[string]string{auto: "corp.example.com"}, fixture: "PreSignUp_SignUp.json"},
			outcome{}},
		{"admin-created user: domain rules apply",
			invocation{env: map[string]string{block: "example.com"}, fixture: "PreSignUp_AdminCreateUser.json"},
			outcome{denial: blocked}},
		{"admin-created user: no auto flags",
			invocation{env: map[string]string{auto: "example.com"}, fixture: "PreSignUp_AdminCreateUser.json"},
			outcome{}},
		{"federated user: domain rules apply",
			invocation{env: map[string]string{block: "example.com"}, fixture: "PreSignUp_ExternalProvider.json"},
			outcome{denial: blocked}},
		{"federated user: auto-confirm applies",
			invocation{env: map[string]string{auto: "example.com"}, fixture: "PreSignUp_ExternalProvider.json"},
			outcome{confirm: true}},
		{"no email with an allow list is refused",
			invocation{env: map[string]string{allow: "example.com"}, fixture: "PreSignUp_SignUp.minimal.json",
				edit: func(a map[string]string) { delete(a, "email") }},
			outcome{denial: signup.EmailRequired.Message()}},
		{"no email with only a block list passes without flags",
			invocation{env: map[string]string{block: "example.com", auto: "example.org"}, fixture: "PreSignUp_SignUp.minimal.json",
				edit: func(a map[string]string) { delete(a, "email") }},
			outcome{}},
		{"malformed email is refused",
			invocation{env: map[string]string{block: "example.org"}, fixture: "PreSignUp_SignUp.malformed-email.json"},
			outcome{denial: signup.InvalidEmail.Message()}},
		{"malformed email is refused before the allow list",
			invocation{env: map[string]string{allow: "example.com"}, fixture: "PreSignUp_SignUp.malformed-email.json"},
			outcome{denial: signup.InvalidEmail.Message()}},
		{"phone number that is not E.164 is refused",
			invocation{env: map[string]string{auto: "example.org"}, fixture: "PreSignUp_SignUp.bad-phone.json"},
			outcome{denial: signup.InvalidPhone.Message()}},
		{"E.164 phone number passes",
			invocation{env: map[string]string{auto: "example.org"}, fixture: "PreSignUp_SignUp.bad-phone.json",
				edit: func(a map[string]string) { a["phone_number"] = "+15555550142" }},
			outcome{confirm: true}},
		{"admin-created user with a bad phone number is refused",
			invocation{env: map[string]string{block: "example.net"}, fixture: "PreSignUp_AdminCreateUser.json",
				edit: func(a map[string]string) { a["phone_number"] = "+1 555 555 0109" }},
			outcome{denial: signup.InvalidPhone.Message()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.inv.check(t, tt.want) })
	}
}

// TestHandlerWithoutConfigurationChangesNothing runs every pre sign-up
// fixture, malformed ones included, through an unconfigured handler.
func TestHandlerWithoutConfigurationChangesNothing(t *testing.T) {
	paths, err := filepath.Glob(fixtures + "*.json")
	if err != nil || len(paths) < 10 {
		t.Fatalf("found %d fixtures (err %v)", len(paths), err)
	}
	fn, err := signup.Handler(signup.Policy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := trigger.PreSignUp(fn, trigger.WithLogger(trigger.NewLogger(&bytes.Buffer{}, slog.LevelInfo)))
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			in := triggertest.Load(t, p)
			out, err := triggertest.Invoke(h, in)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			triggertest.AssertEqual(t, out, in)
		})
	}
}

func TestHandlerNeedsALinkerToLink(t *testing.T) {
	_, err := signup.Handler(signup.Policy{LinkFederatedUsers: true}, nil)
	if err == nil || !strings.Contains(err.Error(), "NewLinker") {
		t.Errorf("Handler(link, nil) error = %v, want one that says to build a Linker", err)
	}
}

// isTrue reports whether a response flag is set to true.
func isTrue(b *bool) bool { return b != nil && *b }
