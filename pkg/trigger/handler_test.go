package trigger_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const (
	preSignUpFixture = eventsDir + "/presignup/PreSignUp_SignUp.json"
	defineFixture    = eventsDir + "/defineauth/DefineAuthChallenge_Authentication.wrong-answer.json"
	verifyFixture    = eventsDir + "/verifyauth/VerifyAuthChallengeResponse_Authentication.json"
	messageFixture   = eventsDir + "/custommessage/CustomMessage_SignUp.json"
)

// quiet discards the log.
var quiet = trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))

// logBuffer returns a debug-level JSON logger writing into a buffer.
func logBuffer() (*bytes.Buffer, trigger.Option) {
	var buf bytes.Buffer
	return &buf, trigger.WithLogger(trigger.NewLogger(&buf, slog.LevelDebug))
}

func TestUntouchedEventComesBackWhole(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		h       *trigger.Handler
	}{
		{"pre sign-up", preSignUpFixture, trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, quiet)},
		{"custom message keeps nulls", messageFixture, trigger.CustomMessage(func(context.Context, *trigger.CustomMessageEvent) error { return nil }, quiet)},
		{"verify keeps null verdict", verifyFixture, trigger.VerifyAuthChallenge(func(context.Context, *trigger.VerifyAuthChallengeEvent) error { return nil }, quiet)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := triggertest.Load(t, tt.fixture)
			out, err := triggertest.Invoke(tt.h, in)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			triggertest.AssertEqual(t, out, in)
			var got struct{ Response map[string]any }
			if err := json.Unmarshal(out, &got); err != nil || got.Response == nil {
				t.Errorf("response object missing from %s (%v)", out, err)
			}
		})
	}
}

func TestUnsetResponseFieldsAreNull(t *testing.T) {
	h := trigger.CustomMessage(func(_ context.Context, ev *trigger.CustomMessageEvent) error {
		ev.Response.SMSMessage = trigger.String("Your code is " + string(ev.Request.CodeParameter))
		return nil
	}, quiet)
	out, err := triggertest.Invoke(h, triggertest.Load(t, messageFixture))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	var got struct {
		Response map[string]any `json:"response"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"smsMessage": "Your code is {####}", "emailMessage": nil, "emailSubject": nil}
	for k, v := range want {
		gv, ok := got.Response[k]
		if !ok || gv != v {
			t.Errorf("response.%s = %#v (present %v), want %#v", k, gv, ok, v)
		}
	}
}

func TestBadInputGetsAClearError(t *testing.T) {
	valid := string(triggertest.Load(t, preSignUpFixture))
	huge := strings.Replace(valid, `"given_name": "Jane"`, `"given_name": "`+strings.Repeat("x", 1<<20)+`"`, 1)
	if huge == valid {
		t.Fatal("fixture changed: no given_name to enlarge")
	}
	tests := []struct {
		name    string
		payload string
		want    string // in the error message; "" means success
	}{
		{"empty", ``, "not a JSON object"},
		{"not JSON", `hello`, "not a JSON object"},
		{"truncated", valid[:len(valid)/2], "malformed JSON"},
		{"array", `[1,2]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"no trigger source", `{"request":{}}`, "no triggerSource"},
		{"missing request", `{"triggerSource":"PreSignUp_SignUp","response":{}}`, "no request object"},
		{"null request", `{"triggerSource":"PreSignUp_SignUp","request":null}`, "no request object"},
		{"other trigger", strings.Replace(valid, "PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp", 1), `"PostConfirmation_ConfirmSignUp" belongs to the PostConfirmation trigger, not PreSignUp; bind this function to the pool's PostConfirmation trigger`},
		{"unknown source", strings.Replace(valid, "PreSignUp_SignUp", "Nope_Nope", 1), `unknown trigger source "Nope_Nope"; the PreSignUp trigger sends PreSignUp_AdminCreateUser, PreSignUp_ExternalProvider, PreSignUp_SignUp`},
		{"unknown source of this trigger's family", strings.Replace(valid, "PreSignUp_SignUp", "PreSignUp_Bogus", 1), `unknown trigger source "PreSignUp_Bogus"; the PreSignUp trigger sends`},
		{"byte-order mark", "\ufeff" + valid, "starts with a UTF-8 byte-order mark"},
		{"wrong field type", strings.Replace(valid, `"validationData": {`, `"validationData": 12345, "x": {`, 1), "field request.validationData is a JSON number, want map[string]string"},
		{"trailing data", valid + `{}`, "after the top-level object"},
		{"response in another case", strings.Replace(valid, `"request":`, `"Response": {"autoConfirmUser": true}, "request":`, 1), `"Response" differs from "response" only in case`},
		{"RESPONSE after the response", strings.Replace(valid, `"response":`, `"RESPONSE": {}, "response":`, 1), `"RESPONSE" differs from "response" only in case`},
		{"1 MB attribute", huge, ""},
	}
	h := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, trigger.WithLogger(trigger.NewLogger(&bytes.Buffer{}, slog.LevelInfo)))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := triggertest.Invoke(h, []byte(tt.payload))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				if len(out) < 1<<20 {
					t.Errorf("response has %d bytes, want the whole event back", len(out))
				}
				return
			}
			var ie *trigger.InvalidEventError
			if !errors.As(err, &ie) {
				t.Fatalf("Invoke error = %v (%T), want *InvalidEventError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "12345") {
				t.Errorf("error %q repeats a value of the payload", err)
			}
		})
	}
}

func TestErrorsReachingTheEndUser(t *testing.T) {
	secret := "code 483920 for jane.doe@example.com"
	tests := []struct {
		name        string
		fn          func(context.Context, *trigger.PreSignUpEvent) error
		wantMsg     string
		wantOutcome string
	}{
		{"denial", func(context.Context, *trigger.PreSignUpEvent) error {
			return trigger.Deny("Sign-up is closed.")
		}, "Sign-up is closed.", "denied"},
		{"wrapped denial shows only its own message", func(context.Context, *trigger.PreSignUpEvent) error {
			return errors.Join(errors.New(secret), trigger.Deny("Sign-up is closed."))
		}, "Sign-up is closed.", "denied"},
		{"internal error is generic", func(context.Context, *trigger.PreSignUpEvent) error {
			return errors.New(secret)
		}, "internal error, please try again later (reference " + triggertest.RequestID + ")", "error"},
		{"panic is generic", func(context.Context, *trigger.PreSignUpEvent) error {
			var m map[string]int
			//lint:ignore SA5000 a runtime panic, on purpose
			m["boom"]++
			return nil
		}, "internal error", "panic"},
		{"deadline is generic", func(ctx context.Context, _ *trigger.PreSignUpEvent) error {
			<-ctx.Done()
			return ctx.Err()
		}, "internal error", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, opt := logBuffer()
			h := trigger.PreSignUp(tt.fn, opt, trigger.WithBudget(50*time.Millisecond, 10*time.Millisecond))
			_, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture))
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantMsg) {
				t.Fatalf("Invoke error = %v, want it to start with %q", err, tt.wantMsg)
			}
			if strings.Contains(err.Error(), "483920") {
				t.Errorf("user-facing error %q leaks the handler's detail", err)
			}
			var line map[string]any
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("want exactly one JSON log line, got %q: %v", logs, err)
			}
			if line["outcome"] != tt.wantOutcome {
				t.Errorf("logged outcome %v, want %s", line["outcome"], tt.wantOutcome)
			}
			// The handler still serves after any failure.
			ok := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, opt)
			if _, err := triggertest.Invoke(ok, triggertest.Load(t, preSignUpFixture)); err != nil {
				t.Errorf("next invocation: %v", err)
			}
		})
	}
}

func TestBudgetEndsBeforeCognitosLimit(t *testing.T) {
	tests := []struct {
		name     string
		h        func(func(context.Context) error) *trigger.Handler
		fixture  string
		lambda   time.Duration
		wantLeft time.Duration // at most this much time left on the handler's context
	}{
		{"cognito limit first", func(f func(context.Context) error) *trigger.Handler {
			return trigger.PreSignUp(func(ctx context.Context, _ *trigger.PreSignUpEvent) error { return f(ctx) }, quiet)
		}, preSignUpFixture, 30 * time.Second, 4700 * time.Millisecond},
		{"lambda deadline first", func(f func(context.Context) error) *trigger.Handler {
			return trigger.PreSignUp(func(ctx context.Context, _ *trigger.PreSignUpEvent) error { return f(ctx) }, quiet)
		}, preSignUpFixture, 2 * time.Second, 1700 * time.Millisecond},
		{"custom sender has only the lambda deadline", func(f func(context.Context) error) *trigger.Handler {
			return trigger.CustomEmailSender(func(ctx context.Context, _ *trigger.CustomEmailSenderEvent) error { return f(ctx) }, quiet)
		}, eventsDir + "/customemailsender/CustomEmailSender_SignUp.json", 30 * time.Second, 29700 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var left time.Duration
			h := tt.h(func(ctx context.Context) error {
				d, ok := ctx.Deadline()
				if !ok {
					t.Fatal("handler context has no deadline")
				}
				left = time.Until(d)
				return nil
			})
			ctx, cancel := triggertest.Context(tt.lambda)
			defer cancel()
			if _, err := h.Invoke(ctx, triggertest.Load(t, tt.fixture)); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if left > tt.wantLeft || left < tt.wantLeft-time.Second {
				t.Errorf("handler had %v left, want a little under %v", left, tt.wantLeft)
			}
		})
	}
}

func TestDefineAuthChallengeNeedsExactlyOneOutcome(t *testing.T) {
	tests := []struct {
		name    string
		set     func(r *trigger.DefineAuthChallengeResponse)
		wantErr bool
		want    string
	}{
		{"none", func(*trigger.DefineAuthChallengeResponse) {}, true, ""},
		{"issue and fail", func(r *trigger.DefineAuthChallengeResponse) {
			r.IssueTokens, r.FailAuthentication = trigger.Bool(true), trigger.Bool(true)
		}, true, ""},
		{"challenge and issue", func(r *trigger.DefineAuthChallengeResponse) {
			r.ChallengeName, r.IssueTokens = trigger.ChallengeCustom, trigger.Bool(true)
		}, true, ""},
		{"issue", (*trigger.DefineAuthChallengeResponse).Issue, false,
			`{"challengeName":null,"issueTokens":true,"failAuthentication":false}`},
		{"fail", (*trigger.DefineAuthChallengeResponse).Fail, false,
			`{"challengeName":null,"issueTokens":false,"failAuthentication":true}`},
		{"challenge", func(r *trigger.DefineAuthChallengeResponse) { r.Challenge(trigger.ChallengeCustom) }, false,
			`{"challengeName":"CUSTOM_CHALLENGE","issueTokens":false,"failAuthentication":false}`},
		{"a field set alone goes back alone", func(r *trigger.DefineAuthChallengeResponse) { r.FailAuthentication = trigger.Bool(true) }, false,
			`{"challengeName":null,"issueTokens":null,"failAuthentication":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, opt := logBuffer()
			h := trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
				tt.set(&ev.Response)
				return nil
			}, opt)
			out, err := triggertest.Invoke(h, triggertest.Load(t, defineFixture))
			if tt.wantErr {
				var ie *trigger.InternalError
				if !errors.As(err, &ie) {
					t.Fatalf("Invoke error = %v, want an internal error", err)
				}
				if !strings.Contains(logs.String(), "set exactly one") {
					t.Errorf("log does not explain the refusal: %s", logs)
				}
				return
			}
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var got struct {
				Response json.RawMessage `json:"response"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if string(got.Response) != tt.want {
				t.Errorf("response = %s, want %s", got.Response, tt.want)
			}
		})
	}
}

func TestMiddlewareRunsInOrder(t *testing.T) {
	var order []string
	mw := func(name string) trigger.Middleware {
		return func(next trigger.Next) trigger.Next {
			return func(ctx context.Context, ev trigger.Event) error {
				order = append(order, name+">")
				err := next(ctx, ev)
				order = append(order, "<"+name)
				return err
			}
		}
	}
	h := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error {
		order = append(order, "handler")
		return nil
	}, quiet, trigger.WithMiddleware(mw("a"), mw("b")))
	if _, err := triggertest.Invoke(h, triggertest.Load(t, preSignUpFixture)); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(order, " "), "a> b> handler <b <a"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
}
