package trigger_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestRouterDispatches(t *testing.T) {
	var served string
	mark := func(name string) func() error {
		return func() error { served = name; return nil }
	}
	v1, v2 := mark("pretoken-v1"), mark("pretoken-v2")
	pre, define := mark("presignup"), mark("define")
	r, err := trigger.NewRouter(
		trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return pre() }, quiet),
		trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
			ev.Response.Fail()
			return define()
		}, quiet),
		trigger.PreTokenGeneration(func(context.Context, *trigger.PreTokenGenerationEvent) error { return v1() }, quiet),
		trigger.PreTokenGenerationV2(func(context.Context, *trigger.PreTokenGenerationV2Event) error { return v2() }, quiet),
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fixture string
		want    string // handler that ran, or part of the error
	}{
		{preSignUpFixture, "presignup"},
		{eventsDir + "/presignup/PreSignUp_AdminCreateUser.json", "presignup"},
		{defineFixture, "define"},
		{eventsDir + "/pretokengen-v1/TokenGeneration_Authentication.json", "pretoken-v1"},
		{eventsDir + "/pretokengen-v2/TokenGeneration_Authentication.json", "pretoken-v2"},
		{eventsDir + "/pretokengen-v3/TokenGeneration_ClientCredentials.json", "pretoken-v2"},
		{eventsDir + "/custommessage/CustomMessage_SignUp.json", "no handler for CustomMessage; this function serves DefineAuthChallenge, PreSignUp, PreTokenGeneration (version 1 events), PreTokenGeneration (version 2 or 3 events)"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			served = ""
			_, err := triggertest.Invoke(r, triggertest.Load(t, tt.fixture))
			got := served
			if err != nil {
				got = "error: " + err.Error()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := triggertest.Invoke(r, []byte(`{"triggerSource":"Bogus_Source","request":{}}`)); err == nil || !strings.Contains(err.Error(), "unknown trigger source") {
		t.Errorf("unknown source: err = %v", err)
	}
}

func TestRouterRefusesTwoHandlersForOneTrigger(t *testing.T) {
	a := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, quiet)
	b := trigger.PreSignUp(func(context.Context, *trigger.PreSignUpEvent) error { return nil }, quiet)
	if _, err := trigger.NewRouter(a, b); err == nil || !strings.Contains(err.Error(), "two handlers for PreSignUp") {
		t.Errorf("NewRouter error = %v, want two handlers for PreSignUp", err)
	}
	v1 := trigger.PreTokenGeneration(func(context.Context, *trigger.PreTokenGenerationEvent) error { return nil }, quiet)
	v2 := trigger.PreTokenGenerationV2(func(context.Context, *trigger.PreTokenGenerationV2Event) error { return nil }, quiet)
	if _, err := trigger.NewRouter(v1, v2); err != nil {
		t.Errorf("version 1 and version 2 pre token handlers together: %v", err)
	}
}

func TestPreTokenVersionMismatchIsExplained(t *testing.T) {
	v2 := trigger.PreTokenGenerationV2(func(context.Context, *trigger.PreTokenGenerationV2Event) error { return nil }, quiet)
	_, err := triggertest.Invoke(v2, triggertest.Load(t, eventsDir+"/pretokengen-v1/TokenGeneration_Authentication.json"))
	var ie *trigger.InvalidEventError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "LambdaVersion") {
		t.Errorf("err = %v, want an InvalidEventError naming LambdaVersion", err)
	}
}

func TestSourceKinds(t *testing.T) {
	tests := []struct {
		src       trigger.Source
		kind      trigger.Kind
		canonical trigger.Source
	}{
		{"PreSignUp_SignUp", trigger.KindPreSignUp, "PreSignUp_SignUp"},
		{"VerifyAuthChallenge_Authentication", trigger.KindVerifyAuthChallenge, trigger.SourceVerifyAuthChallenge},
		{"CustomSmsSender_SignUp", trigger.KindCustomSMSSender, trigger.SourceCustomSMSSenderSignUp},
		{"CustomSmsSender_AccountTakeOverNotification", "", "CustomSmsSender_AccountTakeOverNotification"},
		{"CustomSmsSender_", "", "CustomSmsSender_"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := tt.src.Kind(); got != tt.kind {
			t.Errorf("%q.Kind() = %q, want %q", tt.src, got, tt.kind)
		}
		if got := tt.src.Canonical(); got != tt.canonical {
			t.Errorf("%q.Canonical() = %q, want %q", tt.src, got, tt.canonical)
		}
	}
	if n := len(trigger.Sources()); n != 49 {
		t.Errorf("Sources() has %d entries, want 49 (42 sources and 7 second spellings)", n)
	}
}

// Kinds is the list of triggers that package userpool and the CDK
// construct derive their slots from: it must hold each trigger a source
// names, once.
func TestKindsListsEveryTriggerOnce(t *testing.T) {
	named := map[trigger.Kind]bool{}
	for _, s := range trigger.Sources() {
		named[s.Kind()] = true
	}
	seen := map[trigger.Kind]bool{}
	for _, k := range trigger.Kinds() {
		if seen[k] {
			t.Errorf("Kinds() lists %s twice", k)
		}
		seen[k] = true
		if !named[k] {
			t.Errorf("Kinds() lists %s, which no source names", k)
		}
	}
	for k := range named {
		if !seen[k] {
			t.Errorf("Kinds() lacks %s", k)
		}
	}
}
