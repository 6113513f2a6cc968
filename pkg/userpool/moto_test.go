package userpool_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/userpooltest"
)

// Quirks of moto_server 5.2.1's cognito-idp seen by these tests:
//   - UpdateUserPool replaces the pool's settings with moto's defaults plus
//     the request, as Cognito does, except MfaConfiguration, which survives
//     a request without it (moto keeps it apart), and the MFA settings of
//     SetUserPoolMfaConfig, which UpdateUserPool never touches there.
//   - UpdateUserPool does not move LastModifiedDate.
//   - DescribeUserPool returns only members of Cognito's model: moto keeps
//     the last UpdateUserPool request's parameters as the pool's (its
//     UserPoolId and PoolName too) but writes its responses through
//     botocore's model, which drops them. So its responses pass the check
//     for members the SDK cannot represent, which covers the whole pool;
//     the tests that write a pool after an update (unbind here, the
//     binding's lifecycle) would fail if they did not.
//   - moto never answers ConcurrentModificationException, and does not
//     check Lambda ARNs, KMS keys, or the rules Cognito applies between
//     settings (UnusedAccountValidityDays next to
//     TemporaryPasswordValidityDays, both verification email pairs):
//     the stub tests cover those paths.

// motoCognito starts moto_server and returns a client for it.
func motoCognito(t *testing.T) *cip.Client {
	t.Helper()
	return cip.NewFromConfig(mototest.Config(mototest.Start(t)))
}

// TestMotoResetsOmittedSettings checks that moto_server's UpdateUserPool
// resets what the request omits, as Cognito does: the other tests rely on
// it to catch an incomplete request.
func TestMotoResetsOmittedSettings(t *testing.T) {
	client := motoCognito(t)
	id := userpooltest.CreateRichPool(t, client, "naive")
	before := userpooltest.Describe(t, client, id)
	_, err := client.UpdateUserPool(t.Context(), &cip.UpdateUserPoolInput{
		UserPoolId:   aws.String(id),
		LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(fnA)},
	})
	if err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	after := userpooltest.Describe(t, client, id)
	var got []string
	for _, d := range userpooltest.Differences(before, after) {
		name, _, _ := strings.Cut(d, ":")
		got = append(got, name)
	}
	// Everything CreateRichPool set but MfaConfiguration (a moto quirk).
	wantWiped := []string{
		"AccountRecoverySetting", "AdminCreateUserConfig", "AutoVerifiedAttributes", "DeletionProtection",
		"DeviceConfiguration", "EmailConfiguration", "EmailVerificationMessage", "EmailVerificationSubject",
		"Policies", "SmsAuthenticationMessage", "SmsConfiguration", "SmsVerificationMessage",
		"UserAttributeUpdateSettings", "UserPoolAddOns", "UserPoolTags", "UserPoolTier", "VerificationMessageTemplate",
	}
	for _, w := range wantWiped {
		if !slices.Contains(got, w) {
			t.Errorf("a naive UpdateUserPool kept %s; moto no longer resets it, so the tests below would not catch its loss", w)
		}
	}
	if lc := after.LambdaConfig; lc == nil || lc.PostConfirmation != nil || lc.UserMigration != nil {
		t.Errorf("a naive UpdateUserPool kept the other triggers: %+v", lc)
	}
}

func TestMotoBindAndUnbind(t *testing.T) {
	client := motoCognito(t)
	id := userpooltest.CreateRichPool(t, client, "rich")
	original := userpooltest.Describe(t, client, id)
	originalMFA := userpooltest.MFA(t, client, id)

	added := []userpool.Binding{
		{Slot: userpool.PreSignUp, ARN: fnA},
		{Slot: userpool.CustomMessage, ARN: fnB},
		{Slot: userpool.DefineAuthChallenge, ARN: "arn:aws:lambda:us-east-1:123456789012:function:define"},
		{Slot: userpool.CreateAuthChallenge, ARN: "arn:aws:lambda:us-east-1:123456789012:function:create"},
		{Slot: userpool.VerifyAuthChallengeResponse, ARN: "arn:aws:lambda:us-east-1:123456789012:function:verify"},
	}
	slotsOf := func(bs []userpool.Binding) []userpool.Slot {
		var s []userpool.Slot
		for _, b := range bs {
			s = append(s, b.Slot)
		}
		return s
	}

	steps := []struct {
		name        string
		set         []userpool.Binding
		clear       []userpool.Slot
		opts        []userpool.Option
		wantChanged bool
		wantWritten bool
		wantSlots   map[userpool.Slot]string // the pool's triggers afterwards
	}{
		{
			name:        "dry run",
			set:         added,
			opts:        []userpool.Option{userpool.DryRun()},
			wantChanged: true,
			wantSlots:   triggers(*original.LambdaConfig),
		},
		{
			name:        "bind five",
			set:         added,
			wantChanged: true,
			wantWritten: true,
			wantSlots: map[userpool.Slot]string{
				userpool.PostConfirmation: userpooltest.PostConfirmationARN, userpool.PreAuthentication: userpooltest.PreAuthenticationARN,
				userpool.UserMigration: userpooltest.UserMigrationARN,
				userpool.PreSignUp:     fnA, userpool.CustomMessage: fnB, userpool.DefineAuthChallenge: added[2].ARN,
				userpool.CreateAuthChallenge: added[3].ARN, userpool.VerifyAuthChallengeResponse: added[4].ARN,
			},
		},
		{
			name:      "bind again writes nothing",
			set:       added,
			wantSlots: nil, // as after the previous step
		},
		{
			name:        "unbind five",
			clear:       slotsOf(added),
			wantChanged: true,
			wantWritten: true,
			wantSlots:   triggers(*original.LambdaConfig),
		},
	}
	var last map[userpool.Slot]string
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			ch, err := userpool.Bind(t.Context(), client, id, st.set, st.clear, st.opts...)
			if err != nil {
				t.Fatalf("Bind: %v", err)
			}
			if ch.Changed != st.wantChanged || ch.Written != st.wantWritten {
				t.Errorf("Bind changed %v, written %v; want %v, %v", ch.Changed, ch.Written, st.wantChanged, st.wantWritten)
			}
			if ch.PoolARN != aws.ToString(original.Arn) {
				t.Errorf("Change.PoolARN = %s, want %s", ch.PoolARN, aws.ToString(original.Arn))
			}
			pool := userpooltest.Describe(t, client, id)
			userpooltest.Unchanged(t, original, pool)
			if got := userpooltest.MFA(t, client, id); got != originalMFA {
				t.Errorf("MFA configuration = %s, want %s", got, originalMFA)
			}
			want := st.wantSlots
			if want == nil {
				want = last
			}
			if got := triggers(*pool.LambdaConfig); !reflect.DeepEqual(got, want) {
				t.Errorf("triggers = %v, want %v", got, want)
			}
			last = want
			if lc, err := userpool.Show(t.Context(), client, id); err != nil || !reflect.DeepEqual(triggers(lc), want) {
				t.Errorf("Show = %v, %v; want %v", triggers(lc), err, want)
			}
		})
	}
	if after := userpooltest.Describe(t, client, id); !reflect.DeepEqual(after.LambdaConfig, original.LambdaConfig) {
		t.Errorf("after unbinding, LambdaConfig = %+v, want %+v", after.LambdaConfig, original.LambdaConfig)
	}
}

// triggers returns the slots lc holds and their ARNs.
func triggers(lc types.LambdaConfigType) map[userpool.Slot]string {
	m := map[userpool.Slot]string{}
	for _, s := range userpool.Slots() {
		if arn, _ := userpool.Get(lc, s); arn != "" {
			m[s] = arn
		}
	}
	return m
}
