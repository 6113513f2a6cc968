package triggertest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The toy challenge: a fixed code, at most three wrong answers.
const (
	code     = "424242"
	wrong    = "000000"
	maxWrong = 3
	custom   = trigger.ChallengeCustom
	verifier = trigger.ChallengePasswordVerifier
	events   = "../../events/"
)

// quiet discards the handlers' log lines.
var quiet = trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))

// toyDefine runs a fixed-code challenge: a correct answer issues tokens,
// maxWrong wrong answers fail the sign-in. After SRP_A it asks for the
// password, and starts the code challenge only once the password was right.
func toyDefine() *trigger.Handler {
	return trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
		s := ev.Request.Session
		if len(s) == 0 {
			ev.Response.Challenge(custom)
			return nil
		}
		last := s[len(s)-1]
		wrongs := 0
		for _, e := range s {
			if e.ChallengeName == custom && !e.ChallengeResult {
				wrongs++
			}
		}
		switch {
		case last.ChallengeName == trigger.ChallengeSRPA:
			ev.Response.Challenge(verifier)
		case last.ChallengeName == verifier && last.ChallengeResult:
			ev.Response.Challenge(custom)
		case last.ChallengeName == custom && last.ChallengeResult:
			ev.Response.Issue()
		case last.ChallengeName == custom && wrongs < maxWrong:
			ev.Response.Challenge(custom)
		default:
			ev.Response.Fail()
		}
		return nil
	}, quiet)
}

// toyCreate hands out the fixed code, numbering the rounds in the metadata.
func toyCreate() *trigger.Handler {
	return trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
		n := 1
		for _, e := range ev.Request.Session {
			if e.ChallengeName == custom {
				n++
			}
		}
		ev.Response.PublicChallengeParameters = map[string]string{"length": "6", "channel": "email"}
		ev.Response.PrivateChallengeParameters = map[string]string{"answer": code}
		ev.Response.ChallengeMetadata = trigger.String(fmt.Sprintf("CODE-%d", n))
		return nil
	}, quiet)
}

// toyVerify compares the answer with the code; an unknown user never
// answers right.
func toyVerify() *trigger.Handler {
	return trigger.VerifyAuthChallenge(func(_ context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
		r := ev.Request
		ev.Response.SetAnswerCorrect(!r.UserNotFound && r.ChallengeAnswer == r.PrivateChallengeParameters["answer"])
		return nil
	}, quiet)
}

// rawHandler is a lambda.Handler that is not a trigger.Handler, such as a
// function running elsewhere; it can return what the adapter never would.
type rawHandler func(ctx context.Context, payload []byte) ([]byte, error)

func (f rawHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// answering returns the event with the given response object.
func answering(response string) rawHandler {
	return editing(func(ev map[string]json.RawMessage) { ev["response"] = json.RawMessage(response) })
}

// editing returns the event after edit.
func editing(edit func(ev map[string]json.RawMessage)) rawHandler {
	return func(_ context.Context, payload []byte) ([]byte, error) {
		var ev map[string]json.RawMessage
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		edit(ev)
		return json.Marshal(ev)
	}
}

// returning answers every event with out.
func returning(out string) rawHandler {
	return func(context.Context, []byte) ([]byte, error) { return []byte(out), nil }
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

// step is one call of the client.
type step struct {
	call    string // "start", "respond" or "password"
	answer  string // respond: the answer
	correct bool   // password: the result of Cognito's password check
	md      map[string]string
	wait    time.Duration // move the clock forward first

	want      triggertest.Outcome
	challenge string // when want is OutcomeChallenge
	rounds    int
	exception triggertest.Exception // "" for none
	message   string                // the exception's message, when set
	trigger   trigger.Kind          // the exception's trigger, when set
	plain     bool                  // want an error that is not a CognitoError
}

func start(want triggertest.Outcome, challenge string) step {
	return step{call: "start", want: want, challenge: challenge}
}

func challengeAfter(answer string, rounds int) step {
	return step{call: "respond", answer: answer, want: triggertest.OutcomeChallenge, challenge: custom, rounds: rounds}
}

func tokensAfter(answer string, rounds int) step {
	return step{call: "respond", answer: answer, want: triggertest.OutcomeTokens, rounds: rounds}
}

const (
	incorrect = "Incorrect username or password."
	expired   = "Invalid session for the user, session is expired."
	invalid   = "Invalid session for the user."
	garbled   = "Unrecognizable lambda output"
)

func TestCustomAuth(t *testing.T) {
	failed := triggertest.OutcomeFailed
	challenged := triggertest.OutcomeChallenge
	tests := []struct {
		name                   string
		define, create, verify lambda.Handler // nil: the toy handler
		opts                   []triggertest.CustomAuthOption
		steps                  []step
		check                  func(t *testing.T, sim *triggertest.CustomAuth, results []*triggertest.Result)
	}{
		{
			name:  "success on the first try",
			steps: []step{start(challenged, custom), tokensAfter(code, 1)},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				assertKinds(t, sim, "DefineAuthChallenge CreateAuthChallenge VerifyAuthChallengeResponse DefineAuthChallenge")
				assertSession(t, sim.Session(), "CUSTOM_CHALLENGE:true:CODE-1")
			},
		},
		{
			name: "success after two wrong answers",
			steps: []step{
				start(challenged, custom),
				challengeAfter(wrong, 1),
				challengeAfter(" 424 242", 2),
				tokensAfter(code, 3),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				defs := sim.DefineEvents()
				if len(defs) != 4 {
					t.Fatalf("define ran %d times, want 4", len(defs))
				}
				assertSession(t, defs[0].Request.Session, "")
				assertSession(t, defs[3].Request.Session, "CUSTOM_CHALLENGE:false:CODE-1 CUSTOM_CHALLENGE:false:CODE-2 CUSTOM_CHALLENGE:true:CODE-3")
				creates := sim.CreateEvents()
				if len(creates) != 3 {
					t.Fatalf("create ran %d times, want 3", len(creates))
				}
				// Create sees the session define decided on.
				for i, c := range creates {
					if !reflect.DeepEqual(c.Request.Session, defs[i].Request.Session) {
						t.Errorf("create %d got session %v, want define's %v", i, c.Request.Session, defs[i].Request.Session)
					}
					if c.Request.ChallengeName != custom {
						t.Errorf("create %d got challengeName %q, want %q", i, c.Request.ChallengeName, custom)
					}
				}
			},
		},
		{
			name: "lockout after three wrong answers",
			steps: []step{
				start(challenged, custom),
				challengeAfter(wrong, 1),
				challengeAfter(wrong, 2),
				{call: "respond", answer: wrong, want: failed, rounds: 3, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindDefineAuthChallenge},
				{call: "respond", answer: code, want: failed, rounds: 3, exception: triggertest.NotAuthorizedException, message: invalid},
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				if n := len(sim.VerifyEvents()); n != 3 {
					t.Errorf("verify ran %d times, want 3: an ended sign-in runs no trigger", n)
				}
			},
		},
		{
			name: "session expires after the default validity",
			steps: []step{
				start(challenged, custom),
				{call: "respond", answer: code, wait: 3*time.Minute + time.Second, want: failed, exception: triggertest.NotAuthorizedException, message: expired},
				{call: "respond", answer: code, want: failed, exception: triggertest.NotAuthorizedException, message: invalid},
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				if n := len(sim.VerifyEvents()); n != 0 {
					t.Errorf("verify ran %d times, want 0 after the session expired", n)
				}
			},
		},
		{
			name:  "answer at the last moment of the validity",
			steps: []step{start(challenged, custom), {call: "respond", answer: code, wait: 3 * time.Minute, want: triggertest.OutcomeTokens, rounds: 1}},
		},
		{
			name: "each challenge gets a fresh session",
			steps: []step{
				start(challenged, custom),
				{call: "respond", answer: wrong, wait: 2 * time.Minute, want: challenged, challenge: custom, rounds: 1},
				{call: "respond", answer: code, wait: 2 * time.Minute, want: triggertest.OutcomeTokens, rounds: 2},
			},
		},
		{
			name:  "longer AuthSessionValidity",
			opts:  []triggertest.CustomAuthOption{triggertest.WithAuthSessionValidity(15 * time.Minute)},
			steps: []step{start(challenged, custom), {call: "respond", answer: code, wait: 14 * time.Minute, want: triggertest.OutcomeTokens, rounds: 1}},
		},
		{
			name: "a new sign-in after the session expired",
			steps: []step{
				start(challenged, custom),
				challengeAfter(wrong, 1),
				{call: "respond", answer: code, wait: 5 * time.Minute, want: failed, rounds: 1, exception: triggertest.NotAuthorizedException, message: expired},
				start(challenged, custom),
				tokensAfter(code, 1),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				assertSession(t, sim.Session(), "CUSTOM_CHALLENGE:true:CODE-1")
			},
		},
		{
			name: "tokens without a challenge",
			define: trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
				ev.Response.Issue()
				return nil
			}, quiet),
			steps: []step{
				start(triggertest.OutcomeTokens, ""),
				{call: "respond", answer: code, want: failed, exception: triggertest.NotAuthorizedException, message: invalid},
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				assertKinds(t, sim, "DefineAuthChallenge")
			},
		},

		// A handler's error reaches the client after Cognito's prefix.
		{
			name: "define denies",
			define: trigger.DefineAuthChallenge(func(context.Context, *trigger.DefineAuthChallengeEvent) error {
				return trigger.Deny("Sign-in is paused")
			}, quiet),
			steps: []step{{call: "start", want: failed, exception: triggertest.UserLambdaValidationException, message: "DefineAuthChallenge failed with error Sign-in is paused.", trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name: "create fails inside",
			create: trigger.CreateAuthChallenge(func(context.Context, *trigger.CreateAuthChallengeEvent) error {
				return errors.New("send the code: throttled")
			}, quiet),
			steps: []step{{call: "start", want: failed, exception: triggertest.UserLambdaValidationException,
				message: "CreateAuthChallenge failed with error internal error, please try again later (reference " + triggertest.RequestID + ").", trigger: trigger.KindCreateAuthChallenge}},
		},
		{
			name:   "verify fails",
			verify: rawHandler(func(context.Context, []byte) ([]byte, error) { return nil, errors.New("boom") }),
			steps: []step{
				start(challenged, custom),
				{call: "respond", answer: code, want: failed, exception: triggertest.UserLambdaValidationException, message: "VerifyAuthChallengeResponse failed with error boom.", trigger: trigger.KindVerifyAuthChallenge},
				{call: "respond", answer: code, want: failed, exception: triggertest.NotAuthorizedException, message: invalid},
			},
		},
		{
			name:   "a trigger too slow for Cognito",
			opts:   []triggertest.CustomAuthOption{triggertest.WithTriggerTimeout(250 * time.Millisecond)},
			create: rawHandler(func(ctx context.Context, p []byte) ([]byte, error) { time.Sleep(500 * time.Millisecond); return p, nil }),
			steps: []step{{call: "start", want: failed, exception: triggertest.UnexpectedLambdaException,
				message: "CreateAuthChallenge invocation failed due to error Socket timeout while invoking Lambda function.", trigger: trigger.KindCreateAuthChallenge}},
		},

		// Create must give verify something to check.
		{
			name: "no private parameters",
			create: trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
				ev.Response.PublicChallengeParameters = map[string]string{"length": "6"}
				return nil
			}, quiet),
			steps: []step{{call: "start", want: failed, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindCreateAuthChallenge}},
		},
		{
			name: "empty private parameters",
			create: trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
				ev.Response.PrivateChallengeParameters = map[string]string{}
				return nil
			}, quiet),
			steps: []step{{call: "start", want: failed, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindCreateAuthChallenge}},
		},

		// Define must set exactly one outcome.
		{
			name:   "define names a challenge and issues tokens",
			define: answering(`{"challengeName":"CUSTOM_CHALLENGE","issueTokens":true,"failAuthentication":false}`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name:   "define issues tokens and fails",
			define: answering(`{"challengeName":null,"issueTokens":true,"failAuthentication":true}`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name:   "define sets no outcome",
			define: answering(`{"challengeName":"","issueTokens":false,"failAuthentication":false}`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name:   "define names the challenge alone, flags false",
			define: answering(`{"challengeName":"CUSTOM_CHALLENGE","issueTokens":false,"failAuthentication":false}`),
			steps:  []step{start(challenged, custom)},
		},

		// Cognito takes only the whole event back.
		{
			name:   "output is null",
			define: returning(`null`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name:   "output is the response alone",
			create: returning(`{"publicChallengeParameters":{"length":"6"},"privateChallengeParameters":{"answer":"1"},"challengeMetadata":null}`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindCreateAuthChallenge}},
		},
		{
			name: "output of another trigger",
			verify: editing(func(ev map[string]json.RawMessage) {
				ev["triggerSource"] = json.RawMessage(`"DefineAuthChallenge_Authentication"`)
				ev["response"] = json.RawMessage(`{"answerCorrect":true}`)
			}),
			steps: []step{start(challenged, custom), {call: "respond", answer: code, want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindVerifyAuthChallenge}},
		},
		{
			name: "output without callerContext",
			define: editing(func(ev map[string]json.RawMessage) {
				delete(ev, "callerContext")
				ev["response"] = json.RawMessage(`{"issueTokens":true}`)
			}),
			steps: []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindDefineAuthChallenge}},
		},
		{
			name:   "verdict of the wrong type",
			verify: answering(`{"answerCorrect":"true"}`),
			steps:  []step{start(challenged, custom), {call: "respond", answer: code, want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindVerifyAuthChallenge}},
		},
		{
			name:   "public parameters that are not strings",
			create: answering(`{"publicChallengeParameters":{"length":6},"privateChallengeParameters":{"answer":"1"}}`),
			steps:  []step{{call: "start", want: failed, exception: triggertest.InvalidLambdaResponseException, message: garbled, trigger: trigger.KindCreateAuthChallenge}},
		},
		{
			name:   "verdict left null is a wrong answer",
			verify: answering(`{"answerCorrect":null}`),
			steps:  []step{start(challenged, custom), challengeAfter(code, 1)},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				assertSession(t, sim.Session(), "CUSTOM_CHALLENGE:false:CODE-1")
			},
		},

		// Password first (REQUIRE_PASSWORD flows).
		{
			name: "password then code",
			opts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst()},
			steps: []step{
				{call: "start", want: challenged, challenge: verifier, rounds: 1},
				{call: "password", correct: true, want: challenged, challenge: custom, rounds: 2},
				tokensAfter(code, 3),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, results []*triggertest.Result) {
				if results[0].Parameters != nil {
					t.Errorf("PASSWORD_VERIFIER parameters = %v, want none", results[0].Parameters)
				}
				defs := sim.DefineEvents()
				assertSession(t, defs[0].Request.Session, "SRP_A:true:")
				assertSession(t, defs[1].Request.Session, "SRP_A:true: PASSWORD_VERIFIER:true:")
				assertSession(t, defs[2].Request.Session, "SRP_A:true: PASSWORD_VERIFIER:true: CUSTOM_CHALLENGE:true:CODE-1")
				assertSession(t, sim.CreateEvents()[0].Request.Session, "SRP_A:true: PASSWORD_VERIFIER:true:")
				assertKinds(t, sim, "DefineAuthChallenge DefineAuthChallenge CreateAuthChallenge VerifyAuthChallengeResponse DefineAuthChallenge")
			},
		},
		{
			name: "wrong password",
			opts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst()},
			steps: []step{
				{call: "start", want: challenged, challenge: verifier, rounds: 1},
				{call: "password", correct: false, want: failed, rounds: 2, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindDefineAuthChallenge},
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				assertSession(t, sim.Session(), "SRP_A:true: PASSWORD_VERIFIER:false:")
				if n := len(sim.CreateEvents()); n != 0 {
					t.Errorf("create ran %d times, want 0", n)
				}
			},
		},
		{
			name: "password of an unknown user is never right",
			opts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst(), triggertest.WithUnknownUser("nobody@example.com")},
			steps: []step{
				{call: "start", want: challenged, challenge: verifier, rounds: 1},
				{call: "password", correct: true, want: failed, rounds: 2, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindDefineAuthChallenge},
			},
		},
		{
			name:   "PASSWORD_VERIFIER without SRP_A",
			define: answering(`{"challengeName":"PASSWORD_VERIFIER"}`),
			steps:  []step{{call: "start", want: failed, plain: true}},
		},
		{
			name:   "a challenge the simulator does not know",
			define: answering(`{"challengeName":"SMS_MFA"}`),
			steps:  []step{{call: "start", want: failed, plain: true}},
		},

		// What reaches the triggers.
		{
			name: "unknown user",
			opts: []triggertest.CustomAuthOption{triggertest.WithUnknownUser("nobody@example.com")},
			steps: []step{
				start(challenged, custom),
				challengeAfter(code, 1),
				challengeAfter(code, 2),
				{call: "respond", answer: code, want: failed, rounds: 3, exception: triggertest.NotAuthorizedException, message: incorrect, trigger: trigger.KindDefineAuthChallenge},
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				for _, c := range sim.Invocations() {
					req := request(t, c)
					if got := string(req["userNotFound"]); got != "true" {
						t.Errorf("%s event has userNotFound %s, want true", c.Kind, got)
					}
					if got := string(req["userAttributes"]); got != "{}" {
						t.Errorf("%s event has userAttributes %s, want {}", c.Kind, got)
					}
					if got := header(t, c)["userName"]; got != "nobody@example.com" {
						t.Errorf("%s event has userName %v, want nobody@example.com", c.Kind, got)
					}
				}
			},
		},
		{
			name: "known user",
			steps: []step{
				start(challenged, custom),
				tokensAfter(code, 1),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				for _, c := range sim.Invocations() {
					if got := string(request(t, c)["userNotFound"]); got != "false" {
						t.Errorf("%s event has userNotFound %s, want false", c.Kind, got)
					}
				}
				for _, ev := range sim.VerifyEvents() {
					if !maps.Equal(ev.Request.UserAttributes, triggertest.DefaultUserAttributes()) {
						t.Errorf("verify got userAttributes %v, want %v", ev.Request.UserAttributes, triggertest.DefaultUserAttributes())
					}
				}
			},
		},
		{
			name: "client metadata only on RespondToAuthChallenge",
			steps: []step{
				start(challenged, custom),
				{call: "respond", answer: wrong, md: map[string]string{"action": "resend", "channel": "sms"}, want: challenged, challenge: custom, rounds: 1},
				{call: "respond", answer: wrong, md: map[string]string{}, want: challenged, challenge: custom, rounds: 2},
				tokensAfter(code, 3),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				var got []string
				for _, c := range sim.Invocations() {
					md, ok := request(t, c)["clientMetadata"]
					if !ok {
						md = json.RawMessage("absent")
					}
					got = append(got, fmt.Sprintf("%s/%s:%s", c.Operation, c.Kind, md))
				}
				want := []string{
					"InitiateAuth/DefineAuthChallenge:absent",
					"InitiateAuth/CreateAuthChallenge:absent",
					`RespondToAuthChallenge/VerifyAuthChallengeResponse:{"action":"resend","channel":"sms"}`,
					`RespondToAuthChallenge/DefineAuthChallenge:{"action":"resend","channel":"sms"}`,
					`RespondToAuthChallenge/CreateAuthChallenge:{"action":"resend","channel":"sms"}`,
					"RespondToAuthChallenge/VerifyAuthChallengeResponse:{}",
					"RespondToAuthChallenge/DefineAuthChallenge:{}",
					"RespondToAuthChallenge/CreateAuthChallenge:{}",
					"RespondToAuthChallenge/VerifyAuthChallengeResponse:absent",
					"RespondToAuthChallenge/DefineAuthChallenge:absent",
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("clientMetadata by invocation:\ngot  %q\nwant %q", got, want)
				}
			},
		},
		{
			name: "private parameters reach only verify",
			steps: []step{
				start(challenged, custom),
				challengeAfter(wrong, 1),
				tokensAfter(code, 2),
			},
			check: func(t *testing.T, sim *triggertest.CustomAuth, results []*triggertest.Result) {
				verifies := sim.VerifyEvents()
				if len(verifies) != 2 {
					t.Fatalf("verify ran %d times, want 2", len(verifies))
				}
				for _, v := range verifies {
					if got := v.Request.PrivateChallengeParameters["answer"]; got != code {
						t.Errorf("verify got private answer %q, want the code", got)
					}
				}
				for i, r := range results {
					for k, v := range r.Parameters {
						if strings.Contains(v, code) || strings.Contains(k, "answer") {
							t.Errorf("result %d: public parameter %q carries a private value", i, k)
						}
						if strings.Contains(v, "CODE-") {
							t.Errorf("result %d: public parameter %q carries the challenge metadata", i, k)
						}
					}
				}
				for _, c := range sim.Invocations() {
					if c.Kind != trigger.KindVerifyAuthChallenge && strings.Contains(string(c.Event), code) {
						t.Errorf("a %s event carries the code", c.Kind)
					}
				}
				if got, want := results[0].Parameters, map[string]string{"length": "6", "channel": "email"}; !maps.Equal(got, want) {
					t.Errorf("public parameters = %v, want %v", got, want)
				}
			},
		},
		{
			name: "header fields",
			opts: []triggertest.CustomAuthOption{
				triggertest.WithUserPool("eu-west-1_AbC123xyz"),
				triggertest.WithClientID("4client5id6example"),
				triggertest.WithSDKVersion("aws-sdk-go-v2-1.30"),
				triggertest.WithUser("jdoe", map[string]string{"email": "jdoe@example.com"}),
			},
			steps: []step{start(challenged, custom), tokensAfter(code, 1)},
			check: func(t *testing.T, sim *triggertest.CustomAuth, _ []*triggertest.Result) {
				sources := map[trigger.Kind]string{
					trigger.KindDefineAuthChallenge: "DefineAuthChallenge_Authentication",
					trigger.KindCreateAuthChallenge: "CreateAuthChallenge_Authentication",
					trigger.KindVerifyAuthChallenge: "VerifyAuthChallengeResponse_Authentication",
				}
				for _, c := range sim.Invocations() {
					got := header(t, c)
					want := map[string]any{
						"version":       "1",
						"triggerSource": sources[c.Kind],
						"region":        "eu-west-1",
						"userPoolId":    "eu-west-1_AbC123xyz",
						"userName":      "jdoe",
						"callerContext": map[string]any{"awsSdkVersion": "aws-sdk-go-v2-1.30", "clientId": "4client5id6example"},
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s header:\ngot  %v\nwant %v", c.Kind, got, want)
					}
				}
			},
		},

		// Misuse of the simulator changes nothing.
		{
			name:  "Respond before Start",
			steps: []step{{call: "respond", answer: code, plain: true}, start(challenged, custom), tokensAfter(code, 1)},
		},
		{
			name: "RespondPassword to a custom challenge",
			steps: []step{
				start(challenged, custom),
				{call: "password", correct: true, plain: true},
				tokensAfter(code, 1),
			},
		},
		{
			name: "Respond to a password challenge",
			opts: []triggertest.CustomAuthOption{triggertest.WithPasswordFirst()},
			steps: []step{
				{call: "start", want: challenged, challenge: verifier, rounds: 1},
				{call: "respond", answer: code, plain: true},
				{call: "password", correct: true, want: challenged, challenge: custom, rounds: 2},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			define, create, verify := tt.define, tt.create, tt.verify
			if define == nil {
				define = toyDefine()
			}
			if create == nil {
				create = toyCreate()
			}
			if verify == nil {
				verify = toyVerify()
			}
			clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
			opts := append([]triggertest.CustomAuthOption{triggertest.WithClock(clock.Now)}, tt.opts...)
			sim := triggertest.NewCustomAuth(define, create, verify, opts...)
			ctx := context.Background()

			var results []*triggertest.Result
			for i, st := range tt.steps {
				clock.t = clock.t.Add(st.wait)
				var res *triggertest.Result
				var err error
				switch st.call {
				case "start":
					res, err = sim.Start(ctx)
				case "respond":
					res, err = sim.Respond(ctx, st.answer, st.md)
				case "password":
					res, err = sim.RespondPassword(ctx, st.correct, st.md)
				default:
					t.Fatalf("step %d: unknown call %q", i, st.call)
				}
				if res == nil {
					t.Fatalf("step %d (%s): nil Result", i, st.call)
				}
				results = append(results, res)
				checkStep(t, i, st, res, err)
			}
			if tt.check != nil {
				tt.check(t, sim, results)
			}
		})
	}
}

// checkStep compares one call's result and error with the step's wants.
func checkStep(t *testing.T, i int, st step, res *triggertest.Result, err error) {
	t.Helper()
	if res.Outcome != st.want || res.ChallengeName != st.challenge || res.Rounds != st.rounds {
		t.Errorf("step %d (%s): got outcome %v, challenge %q, rounds %d; want %v, %q, %d",
			i, st.call, res.Outcome, res.ChallengeName, res.Rounds, st.want, st.challenge, st.rounds)
	}
	if res.Outcome != triggertest.OutcomeChallenge && res.Parameters != nil {
		t.Errorf("step %d (%s): got parameters %v with outcome %v", i, st.call, res.Parameters, res.Outcome)
	}
	ce, isCognito := errors.AsType[*triggertest.CognitoError](err)
	switch {
	case st.plain:
		if err == nil || isCognito {
			t.Errorf("step %d (%s): got error %v, want a simulator error that is not Cognito's", i, st.call, err)
		}
	case st.exception == "":
		if err != nil {
			t.Errorf("step %d (%s): unexpected error: %v", i, st.call, err)
		}
	default:
		if !errors.Is(err, st.exception) || !isCognito {
			t.Fatalf("step %d (%s): got error %v, want %s", i, st.call, err, st.exception)
		}
		if st.message != "" && ce.Message != st.message {
			t.Errorf("step %d (%s): got message %q, want %q", i, st.call, ce.Message, st.message)
		}
		if ce.Trigger != st.trigger {
			t.Errorf("step %d (%s): got trigger %q, want %q", i, st.call, ce.Trigger, st.trigger)
		}
		if ce.Reason == "" {
			t.Errorf("step %d (%s): error %v has no reason", i, st.call, err)
		}
		if strings.Contains(err.Error(), code) {
			t.Errorf("step %d (%s): error %q repeats the code", i, st.call, err)
		}
	}
}

// assertSession compares a session with want, written as
// "name:result:metadata" entries separated by spaces.
func assertSession(t *testing.T, session []trigger.ChallengeResult, want string) {
	t.Helper()
	var got []string
	for _, e := range session {
		got = append(got, fmt.Sprintf("%s:%t:%s", e.ChallengeName, e.ChallengeResult, e.ChallengeMetadata))
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("session:\ngot  %s\nwant %s", g, want)
	}
}

// assertKinds compares the triggers invoked, in order, with want.
func assertKinds(t *testing.T, sim *triggertest.CustomAuth, want string) {
	t.Helper()
	var got []string
	for _, c := range sim.Invocations() {
		got = append(got, string(c.Kind))
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("invocations:\ngot  %s\nwant %s", g, want)
	}
}

// request returns the members of an invocation's request, as sent.
func request(t *testing.T, c triggertest.Invocation) map[string]json.RawMessage {
	t.Helper()
	var ev struct {
		Request map[string]json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(c.Event, &ev); err != nil {
		t.Fatalf("decode the %s event: %v", c.Kind, err)
	}
	return ev.Request
}

// header returns the header members of an invocation's event, as sent.
func header(t *testing.T, c triggertest.Invocation) map[string]any {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(c.Event, &ev); err != nil {
		t.Fatalf("decode the %s event: %v", c.Kind, err)
	}
	delete(ev, "request")
	delete(ev, "response")
	return ev
}

// TestCustomAuthEventsMatchFixtures checks the events the simulator sends
// against the sample events under events/, which have Cognito's shapes.
func TestCustomAuthEventsMatchFixtures(t *testing.T) {
	// Create as the fixtures have it: this private answer, metadata CODE-1.
	create := trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
		ev.Response.PublicChallengeParameters = map[string]string{"length": "6"}
		ev.Response.PrivateChallengeParameters = map[string]string{"answer": "123456", "issuedAt": "1700000000"}
		ev.Response.ChallengeMetadata = "CODE-1"
		return nil
	}, quiet)
	md := map[string]string{"loginFlow": "email-otp"}
	ctx := context.Background()

	t.Run("known user", func(t *testing.T) {
		sim := triggertest.NewCustomAuth(toyDefine(), create, toyVerify())
		if _, err := sim.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.Respond(ctx, "654321", md); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.Respond(ctx, "123456", md); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"defineauth/DefineAuthChallenge_Authentication.first-round.json",
			"createauth/CreateAuthChallenge_Authentication.json",
			"", // verify of the wrong answer
			"defineauth/DefineAuthChallenge_Authentication.wrong-answer.json",
			"createauth/CreateAuthChallenge_Authentication.second-round.json",
			"verifyauth/VerifyAuthChallengeResponse_Authentication.json",
			"", // define after the right answer: CODE-1 wrong, CODE-1 right
		}
		assertFixtures(t, sim.Invocations(), want)
	})

	t.Run("right answer", func(t *testing.T) {
		sim := triggertest.NewCustomAuth(toyDefine(), create, toyVerify())
		if _, err := sim.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.Respond(ctx, "123456", md); err != nil {
			t.Fatal(err)
		}
		assertFixtures(t, sim.Invocations(), []string{"", "", "", "defineauth/DefineAuthChallenge_Authentication.right-answer.json"})
	})

	t.Run("password verified", func(t *testing.T) {
		sim := triggertest.NewCustomAuth(toyDefine(), create, toyVerify(), triggertest.WithPasswordFirst())
		if _, err := sim.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := sim.RespondPassword(ctx, true, map[string]string{}); err != nil {
			t.Fatal(err)
		}
		assertFixtures(t, sim.Invocations(), []string{"", "defineauth/DefineAuthChallenge_Authentication.password-verified.json", ""})
	})

	t.Run("user not found", func(t *testing.T) {
		sim := triggertest.NewCustomAuth(toyDefine(), create, toyVerify(), triggertest.WithUnknownUser("nobody@example.com"))
		if _, err := sim.Start(ctx); err != nil {
			t.Fatal(err)
		}
		assertFixtures(t, sim.Invocations(), []string{"defineauth/DefineAuthChallenge_Authentication.user-not-found.json", ""})
	})
}

// assertFixtures compares each invocation's event with a fixture; "" skips
// one.
func assertFixtures(t *testing.T, calls []triggertest.Invocation, fixtures []string) {
	t.Helper()
	if len(calls) != len(fixtures) {
		t.Fatalf("got %d invocations, want %d", len(calls), len(fixtures))
	}
	for i, f := range fixtures {
		if f == "" {
			continue
		}
		triggertest.AssertEquivalent(t, calls[i].Event, triggertest.Load(t, events+f))
	}
}

func TestCustomAuthOptionsRefuseWhatCognitoRefuses(t *testing.T) {
	tests := []struct {
		name string
		make func()
	}{
		{"validity under 3 minutes", func() { triggertest.WithAuthSessionValidity(2 * time.Minute) }},
		{"validity over 15 minutes", func() { triggertest.WithAuthSessionValidity(16 * time.Minute) }},
		{"validity not in whole minutes", func() { triggertest.WithAuthSessionValidity(3*time.Minute + time.Second) }},
		{"pool ID without region", func() { triggertest.WithUserPool("EXAMPLE01") }},
		{"pool ID without id", func() { triggertest.WithUserPool("us-east-1_") }},
		{"no clock", func() { triggertest.WithClock(nil) }},
		{"no timeout", func() { triggertest.WithTriggerTimeout(0) }},
		{"no handler", func() { triggertest.NewCustomAuth(toyDefine(), nil, toyVerify()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.make()
		})
	}
}

func TestCustomAuthInvocationContext(t *testing.T) {
	var deadline time.Duration
	define := rawHandler(func(ctx context.Context, p []byte) ([]byte, error) {
		d, ok := ctx.Deadline()
		if !ok {
			return nil, errors.New("no deadline")
		}
		deadline = time.Until(d)
		return editing(func(ev map[string]json.RawMessage) { ev["response"] = json.RawMessage(`{"issueTokens":true}`) })(ctx, p)
	})
	sim := triggertest.NewCustomAuth(define, toyCreate(), toyVerify())
	if _, err := sim.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if deadline <= 4*time.Second || deadline > triggertest.DefaultTriggerTimeout {
		t.Errorf("got a deadline %v away, want about %v", deadline, triggertest.DefaultTriggerTimeout)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := sim.Start(ctx)
	if !errors.Is(err, context.Canceled) || res.Outcome != triggertest.OutcomeFailed {
		t.Errorf("Start with a canceled context: got %v, %v; want %v, context.Canceled", res.Outcome, err, triggertest.OutcomeFailed)
	}
}

func TestCognitoErrorIs(t *testing.T) {
	err := fmt.Errorf("sign in: %w", &triggertest.CognitoError{Exception: triggertest.NotAuthorizedException, Message: "Incorrect username or password."})
	if !errors.Is(err, triggertest.NotAuthorizedException) {
		t.Error("errors.Is(err, NotAuthorizedException) = false, want true")
	}
	if errors.Is(err, triggertest.UserLambdaValidationException) {
		t.Error("errors.Is(err, UserLambdaValidationException) = true, want false")
	}
	if got, want := err.Error(), "sign in: NotAuthorizedException: Incorrect username or password."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestCustomAuthConcurrentUse runs calls from several goroutines, for the
// race detector.
func TestCustomAuthConcurrentUse(t *testing.T) {
	sim := triggertest.NewCustomAuth(toyDefine(), toyCreate(), toyVerify())
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				_, _ = sim.Start(ctx)
				_, _ = sim.Respond(ctx, code, nil)
				_ = sim.Session()
				_ = sim.DefineEvents()
			}
		})
	}
	wg.Wait()
	if len(sim.Invocations()) < 20 {
		t.Errorf("got %d invocations, want at least 20", len(sim.Invocations()))
	}
}

// Cognito tries a trigger that does not answer in time again, up to
// TriggerAttempts invocations; a later answer in time goes on.
func TestSlowTriggerIsRetried(t *testing.T) {
	tests := []struct {
		name      string
		slow      int // invocations of create that answer too late
		wantCalls int
		wantErr   bool
	}{
		{"slow once", 1, 2, false},
		{"slow twice", 2, 3, false},
		{"always slow", triggertest.TriggerAttempts, triggertest.TriggerAttempts, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			toy := toyCreate()
			create := rawHandler(func(ctx context.Context, p []byte) ([]byte, error) {
				calls++
				if calls <= tt.slow {
					time.Sleep(400 * time.Millisecond)
				}
				return toy.Invoke(ctx, p)
			})
			sim := triggertest.NewCustomAuth(toyDefine(), create, toyVerify(), triggertest.WithTriggerTimeout(200*time.Millisecond))
			r, err := sim.Start(context.Background())
			if calls != tt.wantCalls {
				t.Errorf("create ran %d times, want %d", calls, tt.wantCalls)
			}
			switch {
			case tt.wantErr && !errors.Is(err, triggertest.UnexpectedLambdaException):
				t.Errorf("Start = %v, want UnexpectedLambdaException", err)
			case !tt.wantErr && (err != nil || r.Outcome != triggertest.OutcomeChallenge):
				t.Errorf("Start = %v, %v; want a challenge", r, err)
			}
		})
	}
}
