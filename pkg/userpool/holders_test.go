package userpool_test

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

func TestStackHolder(t *testing.T) {
	long := strings.Repeat("L", 255)
	tests := []struct {
		name               string
		stackID, logicalID string
		want               userpool.Holder
		wantString         string
		wantErr            string
	}{
		{
			name: "stack and logical ID", stackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/my-app/0a1b2c3d-4e5f", logicalID: "AuthBinding1A2B",
			want: "stack/my-app/AuthBinding1A2B", wantString: "resource AuthBinding1A2B of stack my-app",
		},
		{
			name: "other partition", stackID: "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/app/x", logicalID: "B",
			want: "stack/app/B", wantString: "resource B of stack app",
		},
		{name: "not a stack ARN", stackID: "my-app", logicalID: "B", wantErr: `StackId "my-app" is not a CloudFormation stack ARN`},
		{name: "no logical ID", stackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/app/x", wantErr: `LogicalResourceId "" is not a logical ID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := userpool.StackHolder(tt.stackID, tt.logicalID)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("StackHolder error = %v, want one containing %q", err, tt.wantErr)
			}
			if got != tt.want || (err == nil && got.String() != tt.wantString) {
				t.Errorf("StackHolder = %q (%s), want %q (%s)", got, got, tt.want, tt.wantString)
			}
		})
	}
	t.Run("too long for a tag value", func(t *testing.T) {
		stack := "arn:aws:cloudformation:us-east-1:123456789012:stack/" + strings.Repeat("s", 128) + "/x"
		a, errA := userpool.StackHolder(stack, long)
		b, errB := userpool.StackHolder(stack, long[1:]+"M")
		if errA != nil || errB != nil || len(a) != 256 || len(b) != 256 || a == b {
			t.Errorf("StackHolder = %q, %v and %q, %v; want two different holders of 256 characters", a, errA, b, errB)
		}
	})
}

// Holders and values of the record tests.
const (
	stackOne = userpool.Holder("stack/one/Binding")
	stackTwo = userpool.Holder("stack/two/Binding")
	stackSix = userpool.Holder("stack/six/Binding")
	fnOwn    = "arn:aws:lambda:us-east-1:123456789012:function:own"
	fnC      = "arn:aws:lambda:us-east-1:123456789012:function:c"
)

// slotTags returns the four record tags of PreSignUp, unset where "".
func slotTags(before, holder, takeBefore, takeHolder string) map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{
		userpool.TagBefore + "PreSignUp": before, userpool.TagHolder + "PreSignUp": holder,
		userpool.TagTakeOverBefore + "PreSignUp": takeBefore, userpool.TagTakeOverHolder + "PreSignUp": takeHolder,
	} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

func TestClaimsRecordHolders(t *testing.T) {
	set := func(arn string) []userpool.Binding { return []userpool.Binding{{Slot: userpool.PreSignUp, ARN: arn}} }
	release := []userpool.Slot{userpool.PreSignUp}
	tests := []struct {
		name     string
		slot     string // what PreSignUp holds before
		tags     map[string]string
		claims   userpool.Claims
		wantSlot string
		wantTags map[string]string
		wantErr  string
		wantNote string
	}{
		{
			name: "free slot is taken and what it held recorded",
			slot: fnOwn, claims: userpool.Claims{Holder: stackOne, Set: set(fnA)},
			wantSlot: fnA, wantTags: slotTags(fnOwn, string(stackOne), "", ""),
		},
		{
			name:     "empty free slot is recorded as -",
			claims:   userpool.Claims{Holder: userpool.CLI, Set: set(fnA)},
			wantSlot: fnA, wantTags: slotTags("-", "cli", "", ""),
		},
		{
			name: "holder binds again: slot repaired, record kept",
			slot: fnOwn, tags: slotTags("-", string(stackOne), "", ""), claims: userpool.Claims{Holder: stackOne, Set: set(fnA)},
			wantSlot: fnA, wantTags: slotTags("-", string(stackOne), "", ""),
		},
		{
			name: "slot of another stack is refused, naming it",
			slot: fnA, tags: slotTags("-", string(stackOne), "", ""), claims: userpool.Claims{Holder: stackTwo, Set: set(fnB)},
			wantErr: `PreSignUp of user pool us-east-1_Pool is bound by resource Binding of stack one: leave the slot out of this binding, or set this binding's property TakeOver to "true"`,
		},
		{
			name: "slot of the CLI is refused to a stack, naming the CLI",
			slot: fnA, tags: slotTags("-", "cli", "", ""), claims: userpool.Claims{Holder: stackTwo, Set: set(fnB)},
			wantErr: "is bound by `cognitrig bind`: leave the slot out",
		},
		{
			name: "slot of a stack is refused to the CLI, naming --take-over",
			slot: fnA, tags: slotTags("-", string(stackOne), "", ""), claims: userpool.Claims{Holder: userpool.CLI, Set: set(fnB)},
			wantErr: "is bound by resource Binding of stack one: pass --take-over",
		},
		{
			name: "take-over records the first binding's function",
			slot: fnA, tags: slotTags("-", string(stackOne), "", ""), claims: userpool.Claims{Holder: stackTwo, Set: set(fnB), TakeOver: true},
			wantSlot: fnB, wantTags: slotTags("-", string(stackOne), fnA, string(stackTwo)),
			wantNote: "took the slot over from resource Binding of stack one",
		},
		{
			name: "taker binds again",
			slot: fnB, tags: slotTags("-", string(stackOne), fnA, string(stackTwo)), claims: userpool.Claims{Holder: stackTwo, Set: set(fnC)},
			wantSlot: fnC, wantTags: slotTags("-", string(stackOne), fnA, string(stackTwo)),
		},
		{
			name: "taken-over binding binds again: slot left, its value recorded",
			slot: fnB, tags: slotTags("-", string(stackOne), fnA, string(stackTwo)), claims: userpool.Claims{Holder: stackOne, Set: set(fnC), TakeOver: true},
			wantSlot: fnB, wantTags: slotTags("-", string(stackOne), fnC, string(stackTwo)),
			wantNote: "left bound to resource Binding of stack two, which took the slot over",
		},
		{
			name: "third take-over is refused",
			slot: fnB, tags: slotTags("-", string(stackOne), fnA, string(stackTwo)), claims: userpool.Claims{Holder: stackSix, Set: set(fnC), TakeOver: true},
			wantErr: "PreSignUp of user pool us-east-1_Pool was already taken over: resource Binding of stack two holds it, taken over from resource Binding of stack one",
		},
		{
			name: "taker lets go first: the first binding's function comes back",
			slot: fnB, tags: slotTags(fnOwn, string(stackOne), fnA, string(stackTwo)),
			claims:   userpool.Claims{Holder: stackTwo, Release: release, Bound: set(fnB)},
			wantSlot: fnA, wantTags: slotTags(fnOwn, string(stackOne), "", ""),
		},
		{
			name: "first binding lets go first: the taker keeps the slot and inherits what it held before both",
			slot: fnB, tags: slotTags(fnOwn, string(stackOne), fnA, string(stackTwo)),
			claims:   userpool.Claims{Holder: stackOne, Release: release, Bound: set(fnA)},
			wantSlot: fnB, wantTags: slotTags(fnOwn, string(stackTwo), "", ""),
			wantNote: "left bound to resource Binding of stack two",
		},
		{
			name: "last holder lets go: what the slot held before comes back",
			slot: fnB, tags: slotTags(fnOwn, string(stackTwo), "", ""),
			claims:   userpool.Claims{Holder: stackTwo, Release: release, Bound: set(fnB)},
			wantSlot: fnOwn, wantTags: map[string]string{},
		},
		{
			name: "slot changed by another writer is left, record dropped",
			slot: fnC, tags: slotTags(fnOwn, string(stackTwo), "", ""),
			claims:   userpool.Claims{Holder: stackTwo, Release: release, Bound: set(fnB)},
			wantSlot: fnC, wantTags: map[string]string{},
			wantNote: "slot changed by another writer since it was bound",
		},
		{
			name: "stack letting go of a slot another holds leaves it",
			slot: fnB, tags: slotTags("-", string(stackTwo), "", ""),
			claims:   userpool.Claims{Holder: stackOne, Release: release, Bound: set(fnA), Force: true},
			wantSlot: fnB, wantTags: slotTags("-", string(stackTwo), "", ""),
			wantNote: "bound by resource Binding of stack two, not by this binding: left as it is",
		},
		{
			name: "CLI unbind of a slot a stack holds is refused, naming it",
			slot: fnB, tags: slotTags("-", string(stackTwo), "", ""),
			claims:  userpool.Claims{Holder: userpool.CLI, Release: release},
			wantErr: "PreSignUp of user pool us-east-1_Pool is bound by resource Binding of stack two: remove it from that binding instead, or pass --force",
		},
		{
			name: "CLI unbind --force lets go for the stack",
			slot: fnB, tags: slotTags(fnOwn, string(stackTwo), "", ""),
			claims:   userpool.Claims{Holder: userpool.CLI, Release: release, Force: true},
			wantSlot: fnOwn, wantTags: map[string]string{},
			wantNote: "released for resource Binding of stack two",
		},
		{
			name: "CLI unbind gives back what the slot held, whatever it holds now",
			slot: fnC, tags: slotTags(fnOwn, "cli", "", ""),
			claims:   userpool.Claims{Holder: userpool.CLI, Release: release},
			wantSlot: fnOwn, wantTags: map[string]string{},
		},
		{
			name: "CLI unbind of a slot nobody recorded clears it",
			slot: fnC, claims: userpool.Claims{Holder: userpool.CLI, Release: release},
			wantSlot: "", wantTags: map[string]string{},
		},
		{
			name: "stack letting go of a slot without records leaves it",
			slot: fnA, claims: userpool.Claims{Holder: stackOne, Release: release, Bound: set(fnA)},
			wantSlot: fnA, wantTags: map[string]string{},
			wantNote: "no record of the slot's previous value",
		},
		{
			name: "earlier release's record is adopted by the binding whose function the slot holds",
			slot: fnA, tags: slotTags(fnOwn, "", "", ""),
			claims:   userpool.Claims{Holder: stackOne, Set: set(fnA), Bound: set(fnA)},
			wantSlot: fnA, wantTags: slotTags(fnOwn, string(stackOne), "", ""),
			wantNote: "took over the record",
		},
		{
			name: "earlier release's record is let go of by the binding whose function the slot holds",
			slot: fnA, tags: slotTags(fnOwn, "", "", ""),
			claims:   userpool.Claims{Holder: stackOne, Release: release, Bound: set(fnA)},
			wantSlot: fnOwn, wantTags: map[string]string{},
		},
		{
			name: "earlier release's record is kept by a binding whose function the slot does not hold",
			slot: fnB, tags: slotTags(fnOwn, "", "", ""),
			claims:   userpool.Claims{Holder: stackOne, Release: release, Bound: set(fnA)},
			wantSlot: fnB, wantTags: slotTags(fnOwn, "", "", ""),
			wantNote: "bound by a binding of an earlier cognitrig release",
		},
		{
			name: "earlier release's slot is refused to another binding",
			slot: fnB, tags: slotTags(fnOwn, "", "", ""),
			claims:  userpool.Claims{Holder: stackOne, Set: set(fnA)},
			wantErr: "is bound by a binding of an earlier cognitrig release, which recorded no holder",
		},
		{
			name: "earlier release's slot taken over: its record becomes the taker's",
			slot: fnB, tags: slotTags(fnOwn, "", "", ""),
			claims:   userpool.Claims{Holder: stackOne, Set: set(fnA), TakeOver: true},
			wantSlot: fnA, wantTags: slotTags(fnOwn, string(stackOne), "", ""),
			wantNote: "took the slot over from a binding of an earlier cognitrig release",
		},
		{
			name: "a take-over without the first level is read as the first",
			slot: fnB, tags: slotTags("", "", fnA, string(stackTwo)),
			claims:   userpool.Claims{Holder: stackTwo, Release: release, Bound: set(fnB)},
			wantSlot: fnA, wantTags: map[string]string{},
		},
		{
			name: "unreadable record",
			slot: fnB, tags: slotTags("not-an-arn", string(stackTwo), "", ""),
			claims:  userpool.Claims{Holder: stackTwo, Release: release, Bound: set(fnB)},
			wantErr: `cannot give back PreSignUp of user pool us-east-1_Pool: tag cognitrig:before:PreSignUp holds "not-an-arn"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lc types.LambdaConfigType
			given := []userpool.Binding{{Slot: userpool.PostConfirmation, ARN: fnOwn}}
			if tt.slot != "" {
				given = append(given, userpool.Binding{Slot: userpool.PreSignUp, ARN: tt.slot})
			}
			if _, err := userpool.Apply(&lc, given, nil); err != nil {
				t.Fatal(err)
			}
			before := lc
			tags := maps.Clone(tt.tags)
			if tags == nil {
				tags = map[string]string{}
			}
			tags["team"] = "identity"
			notes, err := tt.claims.ApplyTo("us-east-1_Pool", &lc, tags)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ApplyTo error = %v, want one containing %q", err, tt.wantErr)
			}
			if err != nil {
				if !reflect.DeepEqual(lc, before) {
					t.Errorf("a failed ApplyTo changed the LambdaConfig")
				}
				return
			}
			if got, _ := userpool.Get(lc, userpool.PreSignUp); got != tt.wantSlot {
				t.Errorf("PreSignUp = %q, want %q", got, tt.wantSlot)
			}
			if got, _ := userpool.Get(lc, userpool.PostConfirmation); got != fnOwn {
				t.Errorf("PostConfirmation = %q, want it left as it was", got)
			}
			want := maps.Clone(tt.wantTags)
			want["team"] = "identity"
			if !reflect.DeepEqual(tags, want) {
				t.Errorf("tags =\n%v\nwant\n%v", tags, want)
			}
			var texts []string
			for _, n := range notes {
				texts = append(texts, n.String())
			}
			if got := strings.Join(texts, "\n"); (tt.wantNote == "") != (got == "") || !strings.Contains(got, tt.wantNote) {
				t.Errorf("notes = %q, want one containing %q", got, tt.wantNote)
			}
		})
	}
}

func TestClaimsHeldErrorNamesTheHolder(t *testing.T) {
	var lc types.LambdaConfigType
	_, err := userpool.Claims{Holder: userpool.CLI, Set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnB}}}.
		ApplyTo("us-east-1_Pool", &lc, slotTags("-", string(stackOne), "", ""))
	held, ok := errors.AsType[*userpool.HeldError](err)
	if !ok || held.Holder != stackOne || held.Requester != userpool.CLI || held.Slot != userpool.PreSignUp {
		t.Errorf("ApplyTo = %v, want a *HeldError naming stack one", err)
	}
}

// everySlot binds every slot: fnA, and key to KMSKeyID.
func everySlot() []userpool.Binding {
	var set []userpool.Binding
	for _, s := range userpool.Slots() {
		arn := fnA
		if s == userpool.KMSKeyID {
			arn = key
		}
		set = append(set, userpool.Binding{Slot: s, ARN: arn})
	}
	return set
}

func TestClaimsRespectTagLimits(t *testing.T) {
	set := everySlot()
	tests := []struct {
		name     string
		userTags int
		wantErr  string
	}{
		{name: "every slot fits beside a few tags", userTags: 22},
		{name: "past 50 tags", userTags: 23, wantErr: "user pool us-east-1_Pool would have 51 tags, more than the 50 Cognito allows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags := map[string]string{}
			for i := range tt.userTags {
				tags[strings.Repeat("k", i+1)] = "v"
			}
			var lc types.LambdaConfigType
			_, err := userpool.Claims{Holder: stackOne, Set: set}.ApplyTo("us-east-1_Pool", &lc, tags)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ApplyTo error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
