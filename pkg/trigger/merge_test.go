package trigger_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// TestResponseGoesBackAsItCame checks that the response comes back member
// for member as it came in, except for what the handler changed: null
// stays null, false stays false, a missing member stays missing, and a
// member no type knows is kept.
func TestResponseGoesBackAsItCame(t *testing.T) {
	const head = `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"us-east-1_EXAMPLE01","userName":"u","callerContext":{},"request":{"userAttributes":{"email":"a@example.com"}}`
	confirm := func(r *trigger.PreSignUpResponse) { r.AutoConfirmUser = trigger.Bool(true) }
	tests := []struct {
		name     string
		response string // the incoming "response" member, "" for none
		set      func(*trigger.PreSignUpResponse)
		want     string // the response that goes back, "" for none
	}{
		{"null, false and missing untouched", `{"autoConfirmUser":null,"autoVerifyEmail":false}`, nil, `{"autoConfirmUser":null,"autoVerifyEmail":false}`},
		{"an empty response untouched", `{}`, nil, `{}`},
		{"a null response untouched", `null`, nil, `null`},
		{"no response untouched", ``, nil, ``},
		{"white space untouched", `{ "autoConfirmUser" : false }`, nil, `{ "autoConfirmUser" : false }`},
		{"a string where a flag goes untouched", `{"autoVerifyEmail":null,"x":"1"}`, nil, `{"autoVerifyEmail":null,"x":"1"}`},
		{"one flag set, the others as they came", `{"autoConfirmUser":false,"autoVerifyEmail":null,"autoVerifyPhone":false}`, confirm, `{"autoConfirmUser":true,"autoVerifyEmail":null,"autoVerifyPhone":false}`},
		{"set into an empty response", `{}`, confirm, `{"autoConfirmUser":true}`},
		{"set into a null response", `null`, confirm, `{"autoConfirmUser":true,"autoVerifyEmail":null,"autoVerifyPhone":null}`},
		{"set with no response", ``, confirm, `{"autoConfirmUser":true,"autoVerifyEmail":null,"autoVerifyPhone":null}`},
		{"unknown members are kept", `{"x-extra":{"a":[1,2]},"autoConfirmUser":false}`, confirm, `{"x-extra":{"a":[1,2]},"autoConfirmUser":true}`},
		{"set to what came is no change", `{"autoConfirmUser":null}`, func(r *trigger.PreSignUpResponse) { r.AutoConfirmUser = nil }, `{"autoConfirmUser":null}`},
		{"false set over null", `{"autoVerifyPhone":null}`, func(r *trigger.PreSignUpResponse) { r.AutoVerifyPhone = trigger.Bool(false) }, `{"autoVerifyPhone":false}`},
		{"cleared to null", `{"autoConfirmUser":true}`, func(r *trigger.PreSignUpResponse) { r.AutoConfirmUser = nil }, `{"autoConfirmUser":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := head + "}"
			if tt.response != "" {
				payload = head + `,"response":` + tt.response + "}"
			}
			h := trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
				if tt.set != nil {
					tt.set(&ev.Response)
				}
				return nil
			}, quiet)
			out, err := triggertest.Invoke(h, []byte(payload))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			want := head + "}"
			if tt.want != "" {
				want = head + `,"response":` + tt.want + "}"
			}
			if string(out) != want {
				t.Errorf("got  %s\nwant %s", out, want)
			}
		})
	}
}

// TestNestedResponseChanges checks the merge below the top of the
// response: claims the handler adds join those that came, an entry it
// deletes goes, and members no type knows stay.
func TestNestedResponseChanges(t *testing.T) {
	const head = `{"version":"2","triggerSource":"TokenGeneration_Authentication","userPoolId":"p","userName":"u","callerContext":{},"request":{"userAttributes":{}},"response":`
	tests := []struct {
		name     string
		response string
		set      func(*trigger.IDTokenGeneration)
		want     string
	}{
		{"a claim added",
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"a":"1"}},"x":1}}`,
			func(g *trigger.IDTokenGeneration) { g.ClaimsToAddOrOverride["b"] = 2 },
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"a":"1","b":2}},"x":1}}`},
		{"a claim deleted",
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"a":"1","b":true},"claimsToSuppress":null}}}`,
			func(g *trigger.IDTokenGeneration) { delete(g.ClaimsToAddOrOverride, "a") },
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"b":true},"claimsToSuppress":null}}}`},
		{"a list replaced",
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{},"claimsToSuppress":["x"]}}}`,
			func(g *trigger.IDTokenGeneration) { g.ClaimsToSuppress = append(g.ClaimsToSuppress, "y") },
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{},"claimsToSuppress":["x","y"]}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := trigger.PreTokenGenerationV2(func(_ context.Context, ev *trigger.PreTokenGenerationV2Event) error {
				tt.set(ev.Response.ClaimsAndScopeOverrideDetails.IDTokenGeneration)
				return nil
			}, quiet)
			out, err := triggertest.Invoke(h, []byte(head+tt.response+"}"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if want := head + tt.want + "}"; string(out) != want {
				t.Errorf("got  %s\nwant %s", out, want)
			}
		})
	}
}

// TestResponseMemberInAnotherCase checks that a response member differing
// only in case from one the handler sets is refused: a reader that ignores
// case could take it instead of the handler's decision.
func TestResponseMemberInAnotherCase(t *testing.T) {
	payload := `{"triggerSource":"PreSignUp_SignUp","userPoolId":"p","callerContext":{},"request":{"userAttributes":{}},"response":{"AutoConfirmUser":true,"autoConfirmUser":null}}`
	tests := []struct {
		name    string
		confirm *bool
		wantErr bool
	}{
		{"the handler sets the member", trigger.Bool(false), true},
		{"the handler leaves the member alone", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
				ev.Response.AutoConfirmUser = tt.confirm
				return nil
			}, quiet)
			out, err := triggertest.Invoke(h, []byte(payload))
			if !tt.wantErr {
				if err != nil || string(out) != payload {
					t.Fatalf("Invoke = %s, %v; want the event as it came", out, err)
				}
				return
			}
			var ie *trigger.InvalidEventError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), `"AutoConfirmUser" differs from "autoConfirmUser" only in case`) {
				t.Fatalf("Invoke error = %v, want an invalid event naming both members", err)
			}
		})
	}
}

// TestEveryResponseKeepsNullFalseAndMissing checks every response type:
// each member, sent as null, as false (or an empty value of its kind) or
// left out, comes back exactly as sent through a handler that changes
// nothing.
func TestEveryResponseKeepsNullFalseAndMissing(t *testing.T) {
	responses := map[trigger.Source][]string{
		"PreSignUp_SignUp":                           {"autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone"},
		"PostConfirmation_ConfirmSignUp":             nil,
		"PreAuthentication_Authentication":           nil,
		"PostAuthentication_Authentication":          nil,
		"TokenGeneration_Authentication":             {"claimsOverrideDetails"},
		"CustomMessage_SignUp":                       {"smsMessage", "emailMessage", "emailSubject"},
		"CreateAuthChallenge_Authentication":         {"publicChallengeParameters", "privateChallengeParameters", "challengeMetadata"},
		"VerifyAuthChallengeResponse_Authentication": {"answerCorrect"},
		"UserMigration_Authentication":               {"userAttributes", "finalUserStatus", "messageAction", "desiredDeliveryMediums", "forceAliasCreation", "enableSMSMFA"},
		"InboundFederation_ExternalProvider":         {"userAttributesToMap"},
	}
	empty := []string{`null`, `false`, `""`, `{}`, `[]`, `0`}
	r := triggertest.PassThrough(quiet)
	for src, members := range responses {
		for _, version := range []string{"1", "2"} {
			for _, m := range append(members, "unknownMember") {
				for _, v := range empty {
					payload := `{"version":"` + version + `","triggerSource":"` + string(src) + `","request":{},"response":{"` + m + `":` + v + `}}`
					out, err := triggertest.Invoke(r, []byte(payload))
					if err != nil {
						// A value of another kind than the member's is
						// refused, and that is right: only check that
						// what is accepted comes back.
						continue
					}
					if string(out) != payload {
						t.Errorf("%s: got %s, want it as it came", payload, out)
					}
				}
				payload := `{"version":"` + version + `","triggerSource":"` + string(src) + `","request":{},"response":{}}`
				if out, err := triggertest.Invoke(r, []byte(payload)); err != nil || string(out) != payload {
					t.Errorf("%s: got %s (%v), want it as it came", payload, out, err)
				}
			}
		}
	}
	// Each member of each type takes null: none is refused.
	for src, members := range responses {
		for _, m := range members {
			payload := `{"version":"1","triggerSource":"` + string(src) + `","request":{},"response":{"` + m + `":null}}`
			if out, err := triggertest.Invoke(r, []byte(payload)); err != nil || !json.Valid(out) {
				t.Errorf("%s: %v", payload, err)
			}
		}
	}
}

// TestRepeatedResponses checks that a handler that serves event after
// event, whose incoming responses repeat (as Cognito's do) or change,
// sends back what a new handler sends for each: the encoding of the last
// incoming response that it keeps is the right one, and is not changed by
// a handler that fills the response; a response is decoded unless the same
// bytes decoded to the zero value before.
func TestRepeatedResponses(t *testing.T) {
	const head = `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"us-east-1_EXAMPLE01","userName":"u","callerContext":{},"request":{"userAttributes":{"set":"%s"}}`
	responses := []string{
		`{"autoConfirmUser":null,"autoVerifyEmail":null,"autoVerifyPhone":null}`,
		`{"autoConfirmUser":null,"autoVerifyEmail":null,"autoVerifyPhone":null}`,
		`{"autoConfirmUser":false}`,
		`{ "autoConfirmUser" : false }`,
		`{"autoConfirmUser":null,"autoVerifyEmail":null,"autoVerifyPhone":null}`,
		`null`,
		``,
		`{"x":"` + strings.Repeat("y", 600) + `","autoConfirmUser":null}`,
		`{"autoConfirmUser":null,"autoVerifyEmail":null,"autoVerifyPhone":null}`,
	}
	serve := func(_ context.Context, ev *trigger.PreSignUpEvent) error {
		if r := ev.Response.AutoConfirmUser; r != nil && !*r {
			// What came decides too: a response not decoded would show.
			ev.Response.AutoVerifyPhone = trigger.Bool(true)
		}
		if ev.Request.UserAttributes["set"] == "1" {
			ev.Response.AutoConfirmUser = trigger.Bool(true)
		}
		return nil
	}
	long := trigger.PreSignUp(serve, quiet)
	for round := range 2 {
		for i, resp := range responses {
			for _, set := range []string{"1", "0"} {
				payload := fmt.Sprintf(head, set) + "}"
				if resp != "" {
					payload = fmt.Sprintf(head, set) + `,"response":` + resp + "}"
				}
				got, err := triggertest.Invoke(long, []byte(payload))
				if err != nil {
					t.Fatalf("round %d, response %d, set %s: %v", round, i, set, err)
				}
				want, err := triggertest.Invoke(trigger.PreSignUp(serve, quiet), []byte(payload))
				if err != nil {
					t.Fatalf("round %d, response %d, set %s, new handler: %v", round, i, set, err)
				}
				if string(got) != string(want) {
					t.Errorf("round %d, response %d, set %s: got\n%s\na new handler sends\n%s", round, i, set, got, want)
				}
			}
		}
	}
}
