package userpool_test

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

func TestSlotHolders(t *testing.T) {
	tests := []struct {
		name string
		tags map[string]string
		want []userpool.Holder
	}{
		{name: "no record", tags: map[string]string{"team": "identity"}},
		{name: "one holder", tags: slotTags("-", string(stackOne), "", ""), want: []userpool.Holder{stackOne}},
		{name: "taken over", tags: slotTags("-", string(stackOne), fnA, "cli"), want: []userpool.Holder{stackOne, userpool.CLI}},
		{name: "earlier release", tags: slotTags(fnOwn, "", "", ""), want: []userpool.Holder{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := userpool.SlotHolders(tt.tags, userpool.PreSignUp); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SlotHolders = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindDrift(t *testing.T) {
	const fnTokens = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
	lc := func(preSignUp string) types.LambdaConfigType {
		return types.LambdaConfigType{
			PreSignUp: aws.String(preSignUp),
			PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(fnTokens), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20,
			},
			PreTokenGeneration: aws.String(fnTokens),
		}
	}
	held := slotTags("-", string(stackOne), "", "")
	tests := []struct {
		name      string
		lc        types.LambdaConfigType
		tags      map[string]string
		want      []userpool.Binding
		wantDrift []userpool.Drift
		wantDiff  string
	}{
		{
			name: "bound as given",
			lc:   lc(fnA), tags: held,
			want: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}, {Slot: userpool.PreTokenGeneration, ARN: fnTokens, Version: "V2_0"}},
		},
		{
			name: "another function",
			lc:   lc(fnB), tags: held,
			want: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}},
			wantDrift: []userpool.Drift{{
				Slot: userpool.PreSignUp, Found: userpool.Binding{Slot: userpool.PreSignUp, ARN: fnB},
				Want: userpool.Binding{Slot: userpool.PreSignUp, ARN: fnA}, Holders: []userpool.Holder{stackOne},
			}},
			wantDiff: "- PreSignUp          " + fnB + "\n+ PreSignUp          " + fnA + "\n  PreTokenGeneration " + fnTokens + " V2_0\n",
		},
		{
			name: "another version: the default V1_0 applies",
			lc:   lc(fnA),
			want: []userpool.Binding{{Slot: userpool.PreTokenGeneration, ARN: fnTokens}},
			wantDrift: []userpool.Drift{{
				Slot: userpool.PreTokenGeneration, Found: userpool.Binding{Slot: userpool.PreTokenGeneration, ARN: fnTokens, Version: "V2_0"},
				Want: userpool.Binding{Slot: userpool.PreTokenGeneration, ARN: fnTokens, Version: "V1_0"},
			}},
			wantDiff: "  PreSignUp          " + fnA + "\n- PreTokenGeneration " + fnTokens + " V2_0\n+ PreTokenGeneration " + fnTokens + " V1_0\n",
		},
		{
			name: "dropped slot without records: only the flags tell",
			want: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}},
			wantDrift: []userpool.Drift{{
				Slot: userpool.PreSignUp, Found: userpool.Binding{Slot: userpool.PreSignUp},
				Want: userpool.Binding{Slot: userpool.PreSignUp, ARN: fnA},
			}},
			wantDiff: "+ PreSignUp " + fnA + "\n",
		},
		{
			name: "empty slot that a holder holds: the records prove it",
			tags: held,
			wantDrift: []userpool.Drift{{
				Slot: userpool.PreSignUp, Found: userpool.Binding{Slot: userpool.PreSignUp},
				Want: userpool.Binding{Slot: userpool.PreSignUp}, Holders: []userpool.Holder{stackOne},
			}},
			wantDiff: "+ PreSignUp (the function of resource Binding of stack one)\n",
		},
		{
			name: "held slot with another function: the records cannot tell",
			lc:   lc(fnB), tags: held,
			wantDiff: "  PreSignUp          " + fnB + "\n  PreTokenGeneration " + fnTokens + " V2_0\n",
		},
		{
			name:     "empty slot without records: nothing to tell",
			wantDiff: "  (no triggers)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := userpool.FindDrift(tt.lc, tt.tags, tt.want)
			if !reflect.DeepEqual(got, tt.wantDrift) {
				t.Errorf("FindDrift =\n%+v\nwant\n%+v", got, tt.wantDrift)
			}
			if tt.wantDiff == "" {
				return
			}
			if diff := userpool.DriftDiff(tt.lc, got); diff != tt.wantDiff {
				t.Errorf("DriftDiff =\n%s\nwant\n%s", diff, tt.wantDiff)
			}
		})
	}
}

func TestDriftHoldersText(t *testing.T) {
	tests := []struct {
		holders []userpool.Holder
		want    string
	}{
		{nil, "no record of who holds it (no tag cognitrig:holder:PreSignUp: bound by hand, or another writer replaced the pool's tags)"},
		{[]userpool.Holder{stackOne}, "held by resource Binding of stack one"},
		{[]userpool.Holder{stackOne, userpool.CLI}, "held by `cognitrig bind`, which took it over from resource Binding of stack one"},
	}
	for _, tt := range tests {
		if got := (userpool.Drift{Slot: userpool.PreSignUp, Holders: tt.holders}).HoldersText(); got != tt.want {
			t.Errorf("HoldersText(%q) = %q, want %q", tt.holders, got, tt.want)
		}
	}
}
