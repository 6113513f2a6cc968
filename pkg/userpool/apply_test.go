package userpool_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// Function and key ARNs of the tests.
const (
	fnA = "arn:aws:lambda:us-east-1:123456789012:function:a"
	fnB = "arn:aws:lambda:us-east-1:123456789012:function:b:live"
	key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

func TestParseSlot(t *testing.T) {
	tests := []struct {
		name    string
		want    userpool.Slot
		wantErr string
	}{
		{"PreSignUp", userpool.PreSignUp, ""},
		{"presignup", userpool.PreSignUp, ""},
		{"VerifyAuthChallengeResponse", userpool.VerifyAuthChallengeResponse, ""},
		{"PreTokenGenerationConfig", userpool.PreTokenGeneration, ""},
		{"kmskeyid", userpool.KMSKeyID, ""},
		{"InboundFederation", userpool.InboundFederation, ""},
		{"PreSignup_SignUp", "", `unknown trigger "PreSignup_SignUp": valid names are PreSignUp, CustomMessage,`},
		{"", "", "unknown trigger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := userpool.ParseSlot(tt.name)
			if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ParseSlot(%q) = %q, %v; want %q, error containing %q", tt.name, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		set     []userpool.Binding
		clear   []userpool.Slot
		wantErr string // "" for none
	}{
		{name: "plain", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}}},
		{name: "alias", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnB}}},
		{name: "token V3", set: []userpool.Binding{{Slot: userpool.PreTokenGeneration, ARN: fnA, Version: "V3_0"}}},
		{name: "key", set: []userpool.Binding{{Slot: userpool.KMSKeyID, ARN: key}}},
		{name: "sender V1", set: []userpool.Binding{{Slot: userpool.CustomEmailSender, ARN: fnA, Version: "V1_0"}}},
		{name: "version", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA + ":7"}}, wantErr: "names a function version"},
		{name: "latest", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA + ":$LATEST"}}, wantErr: "names a function version"},
		{name: "not an ARN", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: "my-function"}}, wantErr: `"my-function" is not a Lambda function ARN`},
		{name: "key for a trigger", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: key}}, wantErr: "is not a Lambda function ARN"},
		{name: "function for the key", set: []userpool.Binding{{Slot: userpool.KMSKeyID, ARN: fnA}}, wantErr: "is not a KMS key ARN"},
		{name: "version on a plain slot", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA, Version: "V1_0"}}, wantErr: "PreSignUp takes no version"},
		{name: "sender V2", set: []userpool.Binding{{Slot: userpool.CustomSMSSender, ARN: fnA, Version: "V2_0"}}, wantErr: "CustomSMSSender takes version V1_0"},
		{name: "token V4", set: []userpool.Binding{{Slot: userpool.PreTokenGeneration, ARN: fnA, Version: "V4_0"}}, wantErr: "V1_0 or V2_0 or V3_0"},
		{name: "unknown slot", set: []userpool.Binding{{Slot: "PreSignIn", ARN: fnA}}, wantErr: "unknown trigger"},
		{name: "twice", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}, {Slot: userpool.PreSignUp, ARN: fnB}}, wantErr: "PreSignUp is given twice"},
		{name: "set and cleared", set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}}, clear: []userpool.Slot{userpool.PreSignUp}, wantErr: "both set and cleared"},
		{name: "clear unknown", clear: []userpool.Slot{"Nope"}, wantErr: "unknown trigger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := userpool.Validate(tt.set, tt.clear)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestApply(t *testing.T) {
	existing := types.LambdaConfigType{
		PostConfirmation: aws.String(fnA),
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(fnA), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20,
		},
		PreTokenGeneration: aws.String(fnA),
	}
	tests := []struct {
		name        string
		set         []userpool.Binding
		clear       []userpool.Slot
		want        types.LambdaConfigType
		wantChanged bool
		wantErr     string
	}{
		{
			name: "add one",
			set:  []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnB}},
			want: types.LambdaConfigType{
				PreSignUp: aws.String(fnB), PostConfirmation: aws.String(fnA),
				PreTokenGenerationConfig: existing.PreTokenGenerationConfig, PreTokenGeneration: aws.String(fnA),
			},
			wantChanged: true,
		},
		{
			name:        "same again",
			set:         []userpool.Binding{{Slot: userpool.PostConfirmation, ARN: fnA}, {Slot: userpool.PreTokenGeneration, ARN: fnA, Version: "V2_0"}},
			want:        existing,
			wantChanged: false,
		},
		{
			name: "token version defaults to V1_0",
			set:  []userpool.Binding{{Slot: userpool.PreTokenGeneration, ARN: fnB}},
			want: types.LambdaConfigType{
				PostConfirmation:         aws.String(fnA),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: aws.String(fnB), LambdaVersion: "V1_0"},
				PreTokenGeneration:       aws.String(fnB),
			},
			wantChanged: true,
		},
		{
			name:        "clear both token members",
			clear:       []userpool.Slot{userpool.PreTokenGeneration},
			want:        types.LambdaConfigType{PostConfirmation: aws.String(fnA)},
			wantChanged: true,
		},
		{
			name:        "clear an empty slot",
			clear:       []userpool.Slot{userpool.UserMigration},
			want:        existing,
			wantChanged: false,
		},
		{
			name: "sender with key",
			set:  []userpool.Binding{{Slot: userpool.CustomEmailSender, ARN: fnB}, {Slot: userpool.KMSKeyID, ARN: key}},
			want: types.LambdaConfigType{
				PostConfirmation:         aws.String(fnA),
				PreTokenGenerationConfig: existing.PreTokenGenerationConfig, PreTokenGeneration: aws.String(fnA),
				CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaArn: aws.String(fnB), LambdaVersion: "V1_0"},
				KMSKeyID:          aws.String(key),
			},
			wantChanged: true,
		},
		{
			name:    "sender without key",
			set:     []userpool.Binding{{Slot: userpool.CustomSMSSender, ARN: fnB}},
			want:    existing,
			wantErr: "CustomSMSSender needs a KMS key",
		},
		{
			name:    "invalid",
			set:     []userpool.Binding{{Slot: userpool.PreSignUp, ARN: "nope"}},
			want:    existing,
			wantErr: "not a Lambda function ARN",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lc := existing
			changed, err := userpool.Apply(&lc, tt.set, tt.clear)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Apply error = %v, want one containing %q", err, tt.wantErr)
			}
			if changed != tt.wantChanged {
				t.Errorf("Apply changed = %v, want %v", changed, tt.wantChanged)
			}
			if !reflect.DeepEqual(lc, tt.want) {
				t.Errorf("Apply gave\n%s\nwant\n%s", userpool.Diff(lc, lc), userpool.Diff(tt.want, tt.want))
			}
		})
	}
	if got := aws.ToString(existing.PreSignUp); got != "" {
		t.Errorf("Apply wrote through to the original: PreSignUp = %s", got)
	}
}

func TestDiff(t *testing.T) {
	before := types.LambdaConfigType{
		PreSignUp:        aws.String(fnA),
		PostConfirmation: aws.String(fnA),
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(fnA), LambdaVersion: "V1_0",
		},
	}
	after := types.LambdaConfigType{
		PreSignUp:        aws.String(fnB),
		PostConfirmation: aws.String(fnA),
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(fnA), LambdaVersion: "V2_0",
		},
		KMSKeyID: aws.String(key),
	}
	tests := []struct {
		name          string
		before, after types.LambdaConfigType
		want          string
	}{
		{"empty", types.LambdaConfigType{}, types.LambdaConfigType{}, "  (no triggers)\n"},
		{"same", before, before, "" +
			"  PreSignUp          " + fnA + "\n" +
			"  PostConfirmation   " + fnA + "\n" +
			"  PreTokenGeneration " + fnA + " V1_0\n"},
		{"changes", before, after, "" +
			"- PreSignUp          " + fnA + "\n" +
			"+ PreSignUp          " + fnB + "\n" +
			"  PostConfirmation   " + fnA + "\n" +
			"- PreTokenGeneration " + fnA + " V1_0\n" +
			"+ PreTokenGeneration " + fnA + " V2_0\n" +
			"+ KMSKeyID           " + key + "\n"},
		{"removed", types.LambdaConfigType{UserMigration: aws.String(fnA)}, types.LambdaConfigType{}, "- UserMigration " + fnA + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := userpool.Diff(tt.before, tt.after); got != tt.want {
				t.Errorf("Diff =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
