package trigger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// FuzzAdapter feeds arbitrary payloads to a router over every trigger. Any
// payload must give either the whole event back as valid JSON or a
// user-safe error, and never panic or hang.
func FuzzAdapter(f *testing.F) {
	addFixtures(f)
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"triggerSource":"PreSignUp_SignUp","request":{}}`,
		`{"triggerSource":"DefineAuthChallenge_Authentication","request":{"session":[{"challengeName":1}]}}`,
		`{"triggerSource":"TokenGeneration_Authentication","version":"3","request":{"userAttributes":{"a":"\u00e9\ud800"}}}`,
		`{"a":"\"","triggerSource":"PreSignUp_SignUp","request":{"x":[{"y":"}"}]}}`} {
		f.Add([]byte(s))
	}
	r := fuzzRouter(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := triggertest.Invoke(r, payload)
		if err != nil {
			var ie *trigger.InvalidEventError
			var internal *trigger.InternalError
			var d *trigger.Denial
			if !errors.As(err, &ie) && !errors.As(err, &internal) && !errors.As(err, &d) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("response is not valid JSON: %q", out)
		}
		var head struct {
			TriggerSource string          `json:"triggerSource"`
			Request       json.RawMessage `json:"request"`
		}
		if err := json.Unmarshal(out, &head); err != nil || head.TriggerSource == "" || len(head.Request) == 0 {
			t.Fatalf("response is not a whole event: %q (%v)", out, err)
		}
	})
}

// fuzzRouter serves every trigger with a handler that touches its event.
func fuzzRouter(tb testing.TB) *trigger.Router {
	r, err := trigger.NewRouter(
		trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
			if ev.Request.UserAttributes["email"] == "" {
				return trigger.Deny("An email address is required.")
			}
			ev.Response.AutoConfirmUser = trigger.Bool(true)
			return nil
		}, quiet),
		trigger.PostConfirmation(func(context.Context, *trigger.PostConfirmationEvent) error { return nil }, quiet),
		trigger.PreAuthentication(func(context.Context, *trigger.PreAuthenticationEvent) error { return nil }, quiet),
		trigger.PostAuthentication(func(context.Context, *trigger.PostAuthenticationEvent) error { return nil }, quiet),
		trigger.PreTokenGeneration(func(context.Context, *trigger.PreTokenGenerationEvent) error { return nil }, quiet),
		trigger.PreTokenGenerationV2(func(_ context.Context, ev *trigger.PreTokenGenerationV2Event) error {
			ev.Response.ClaimsAndScopeOverrideDetails = &trigger.ClaimsAndScopeOverrideDetails{
				GroupOverrideDetails: &ev.Request.GroupConfiguration,
			}
			return nil
		}, quiet),
		trigger.CustomMessage(func(_ context.Context, ev *trigger.CustomMessageEvent) error {
			ev.Response.SMSMessage = "code " + ev.Request.CodeParameter
			return nil
		}, quiet),
		trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
			switch n := len(ev.Request.Session); {
			case n == 0:
				ev.Response.Challenge(trigger.ChallengeCustom)
			case ev.Request.Session[n-1].ChallengeResult:
				ev.Response.Issue()
			default:
				ev.Response.Fail()
			}
			return nil
		}, quiet),
		trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
			ev.Response.PrivateChallengeParameters = map[string]string{"code": "000000"}
			return nil
		}, quiet),
		trigger.VerifyAuthChallenge(func(_ context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
			ev.Response.SetAnswerCorrect(ev.Request.ChallengeAnswer == ev.Request.PrivateChallengeParameters["code"])
			return nil
		}, quiet),
		trigger.UserMigration(func(context.Context, *trigger.UserMigrationEvent) error { return trigger.Deny("Unknown user.") }, quiet),
		trigger.CustomEmailSender(func(context.Context, *trigger.CustomEmailSenderEvent) error { return nil }, quiet),
		trigger.CustomSMSSender(func(context.Context, *trigger.CustomSMSSenderEvent) error { return nil }, quiet),
		trigger.InboundFederation(func(context.Context, *trigger.InboundFederationEvent) error { return nil }, quiet),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// FuzzRoundTrip checks the echo. Through handlers that change nothing,
// every event accepted comes back byte for byte. Through the handlers of
// FuzzAdapter, which set some response members, every other member of the
// response comes back byte for byte, and the response decodes to what the
// handler left.
func FuzzRoundTrip(f *testing.F) {
	addFixtures(f)
	for _, s := range []string{
		`{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"email":"a@b"}},"response":{"autoVerifyEmail":null,"x":[{}]}}`,
		`{"triggerSource":"CustomMessage_SignUp","request":{},"response":{"smsMessage":"","emailMessage":null}}`,
		`{"triggerSource":"TokenGeneration_Authentication","version":"2","request":{"groupConfiguration":{"groupsToOverride":["a"]}},"response":{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{"x":1}}}}`,
	} {
		f.Add([]byte(s))
	}
	pass := triggertest.PassThrough(quiet)
	r := fuzzRouter(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		if out, err := triggertest.Invoke(pass, payload); err == nil && !bytes.Equal(out, payload) {
			t.Fatalf("a handler that changes nothing changed the event:\n%q\nwant\n%q", out, payload)
		}
		out, err := triggertest.Invoke(r, payload)
		if err != nil {
			return
		}
		var in, got struct {
			TriggerSource string                     `json:"triggerSource"`
			Response      map[string]json.RawMessage `json:"response"`
		}
		if json.Unmarshal(payload, &in) != nil || json.Unmarshal(out, &got) != nil {
			// encoding/json is laxer or stricter in places (case,
			// duplicates); the adapter's own checks cover those.
			return
		}
		set := fuzzSets[trigger.Source(in.TriggerSource).Kind()]
		for name, v := range in.Response {
			if set[name] {
				continue
			}
			if g, ok := got.Response[name]; !ok || !bytes.Equal(g, v) {
				t.Fatalf("response member %q came back as %s, want %s as it came", name, g, v)
			}
		}
	})
}

// fuzzSets are the response members the handlers of fuzzRouter may set.
var fuzzSets = map[trigger.Kind]map[string]bool{
	trigger.KindPreSignUp:           {"autoConfirmUser": true},
	trigger.KindPreTokenGeneration:  {"claimsAndScopeOverrideDetails": true},
	trigger.KindCustomMessage:       {"smsMessage": true},
	trigger.KindDefineAuthChallenge: {"challengeName": true, "issueTokens": true, "failAuthentication": true},
	trigger.KindCreateAuthChallenge: {"privateChallengeParameters": true},
	trigger.KindVerifyAuthChallenge: {"answerCorrect": true},
}

// addFixtures seeds a fuzz target with every fixture under events/.
func addFixtures(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(eventsDir, "*", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
