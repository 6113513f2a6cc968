// Package userpooltest holds what the tests of package userpool and its
// users share: a user pool in moto_server with many settings that differ
// from Cognito's defaults, and a comparison of two pools that names the
// settings that differ.
package userpooltest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Fake ARNs of the pool's own triggers and settings. No function exists
// behind them: moto does not check.
const (
	PostConfirmationARN  = "arn:aws:lambda:us-east-1:123456789012:function:existing-post-confirmation"
	PreAuthenticationARN = "arn:aws:lambda:us-east-1:123456789012:function:existing-pre-authentication"
	UserMigrationARN     = "arn:aws:lambda:us-east-1:123456789012:function:existing-user-migration:live"
	SESIdentityARN       = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
	SNSCallerARN         = "arn:aws:iam::123456789012:role/cognito-sms"
)

// CreateRichPool creates a pool with MFA (optional, software token),
// email and SMS configuration, tags, auto-verified attributes, device
// tracking, deletion protection, account recovery, a password policy,
// verification and invitation messages, add-ons and three triggers
// (PostConfirmation, PreAuthentication, UserMigration), and returns its
// ID. It fails the test when the pool cannot be created.
func CreateRichPool(tb testing.TB, client *cip.Client, name string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	out, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:         aws.String(name),
		MfaConfiguration: types.UserPoolMfaTypeOptional,
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn:           aws.String(SESIdentityARN),
			From:                aws.String("Example <no-reply@example.com>"),
			ReplyToEmailAddress: aws.String("help@example.com"),
		},
		SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String(SNSCallerARN),
			ExternalId:   aws.String("cognitrig-test"),
			SnsRegion:    aws.String("us-east-1"),
		},
		UserPoolTags:           map[string]string{"team": "identity", "env": "test"},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber},
		DeviceConfiguration: &types.DeviceConfigurationType{
			ChallengeRequiredOnNewDevice:     true,
			DeviceOnlyRememberedOnUserPrompt: true,
		},
		DeletionProtection: types.DeletionProtectionTypeActive,
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(2)},
		}},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(12), RequireLowercase: true, RequireNumbers: true,
			RequireSymbols: false, RequireUppercase: true, TemporaryPasswordValidityDays: 3,
		}},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode,
			EmailMessage:       aws.String("Your Example code is {####}"),
			EmailSubject:       aws.String("Your Example code"),
			SmsMessage:         aws.String("Example code: {####}"),
		},
		SmsAuthenticationMessage: aws.String("Your Example sign-in code is {####}"),
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{
			AllowAdminCreateUserOnly: true,
			InviteMessageTemplate: &types.MessageTemplateType{
				EmailMessage: aws.String("Welcome {username}, your password is {####}"),
				EmailSubject: aws.String("Welcome to Example"),
				SMSMessage:   aws.String("Welcome {username}: {####}"),
			},
		},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		},
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit},
		UserPoolTier:   types.UserPoolTierTypePlus,
		LambdaConfig: &types.LambdaConfigType{
			PostConfirmation:  aws.String(PostConfirmationARN),
			PreAuthentication: aws.String(PreAuthenticationARN),
			UserMigration:     aws.String(UserMigrationARN),
		},
	})
	if err != nil {
		tb.Fatalf("CreateUserPool: %v", err)
	}
	id := aws.ToString(out.UserPool.Id)
	if _, err := client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{
		UserPoolId:                    aws.String(id),
		MfaConfiguration:              types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
	}); err != nil {
		tb.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	return id
}

// Describe returns the pool, or fails the test.
func Describe(tb testing.TB, client *cip.Client, id string) types.UserPoolType {
	tb.Helper()
	out, err := client.DescribeUserPool(tb.Context(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		tb.Fatalf("DescribeUserPool %s: %v", id, err)
	}
	return *out.UserPool
}

// Differences returns the names of the members in which two pools differ,
// LambdaConfig and LastModifiedDate aside, each with both values in JSON.
func Differences(before, after types.UserPoolType) []string {
	var diffs []string
	b, a := reflect.ValueOf(before), reflect.ValueOf(after)
	for i := range b.NumField() {
		f := b.Type().Field(i)
		if !f.IsExported() || f.Name == "LambdaConfig" || f.Name == "LastModifiedDate" {
			continue
		}
		if !reflect.DeepEqual(b.Field(i).Interface(), a.Field(i).Interface()) {
			bj, _ := json.Marshal(b.Field(i).Interface())
			aj, _ := json.Marshal(a.Field(i).Interface())
			diffs = append(diffs, f.Name+": "+string(bj)+" → "+string(aj))
		}
	}
	return diffs
}

// Unchanged fails the test when the pools differ in anything but
// LambdaConfig and LastModifiedDate.
func Unchanged(tb testing.TB, before, after types.UserPoolType) {
	tb.Helper()
	for _, d := range Differences(before, after) {
		tb.Errorf("the pool changed: %s", d)
	}
}

// MFA returns the pool's MFA configuration as JSON, or fails the test.
func MFA(tb testing.TB, client *cip.Client, id string) string {
	tb.Helper()
	out, err := client.GetUserPoolMfaConfig(tb.Context(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(id)})
	if err != nil {
		tb.Fatalf("GetUserPoolMfaConfig %s: %v", id, err)
	}
	b, _ := json.Marshal(struct {
		Mfa   types.UserPoolMfaType
		Token *types.SoftwareTokenMfaConfigType
		SMS   *types.SmsMfaConfigType
	}{out.MfaConfiguration, out.SoftwareTokenMfaConfiguration, out.SmsMfaConfiguration})
	return string(b)
}
