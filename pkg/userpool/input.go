package userpool

import (
	"errors"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// UpdateInput returns the UpdateUserPool request that leaves pool, as
// DescribeUserPool returned it, the way it is: every setting UpdateUserPool
// would otherwise reset is sent back.
//
// It copies Policies, DeletionProtection, LambdaConfig,
// AutoVerifiedAttributes, SmsVerificationMessage, EmailVerificationMessage,
// EmailVerificationSubject, VerificationMessageTemplate,
// SmsAuthenticationMessage, UserAttributeUpdateSettings, MfaConfiguration,
// DeviceConfiguration, EmailConfiguration, SmsConfiguration, UserPoolTags,
// AdminCreateUserConfig, UserPoolAddOns, AccountRecoverySetting,
// UserPoolTier, IssuerConfiguration and KeyConfiguration, with Id as
// UserPoolId and Name as PoolName. It drops what UpdateUserPool does not
// take (Status, dates, counts, failures, domains, Arn, schema and username
// settings). It transforms what Cognito would refuse as it reads:
//
//   - AdminCreateUserConfig loses UnusedAccountValidityDays, which Cognito
//     rejects next to the password policy's TemporaryPasswordValidityDays;
//   - VerificationMessageTemplate keeps only the email pair that its
//     DefaultEmailOption uses (EmailMessage and EmailSubject for
//     CONFIRM_WITH_CODE or none, the ByLink pair for CONFIRM_WITH_LINK),
//     and both for an option this package does not know;
//   - the legacy PreTokenGeneration ARN is set to
//     PreTokenGenerationConfig.LambdaArn when the latter is set.
//
// Members that Describe did not return stay unset: UserPoolAddOns,
// DeviceConfiguration and SmsConfiguration have required members, so an
// empty one would be refused. LambdaConfig is always sent, empty when the
// pool has no trigger.
//
// The request shares no pointer that Apply or a change of its UserPoolTags
// would write through with pool: edit its LambdaConfig with Apply and its
// tags in place.
func UpdateInput(pool *types.UserPoolType) (*cip.UpdateUserPoolInput, error) {
	if pool == nil {
		return nil, errors.New("no user pool to copy: DescribeUserPool returned none")
	}
	if aws.ToString(pool.Id) == "" {
		return nil, errors.New("the user pool DescribeUserPool returned has no Id")
	}
	in := &cip.UpdateUserPoolInput{
		UserPoolId:                  pool.Id,
		PoolName:                    pool.Name,
		Policies:                    pool.Policies,
		DeletionProtection:          pool.DeletionProtection,
		AutoVerifiedAttributes:      pool.AutoVerifiedAttributes,
		SmsVerificationMessage:      pool.SmsVerificationMessage,
		EmailVerificationMessage:    pool.EmailVerificationMessage,
		EmailVerificationSubject:    pool.EmailVerificationSubject,
		VerificationMessageTemplate: verificationTemplate(pool.VerificationMessageTemplate),
		SmsAuthenticationMessage:    pool.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: pool.UserAttributeUpdateSettings,
		MfaConfiguration:            pool.MfaConfiguration,
		DeviceConfiguration:         pool.DeviceConfiguration,
		EmailConfiguration:          pool.EmailConfiguration,
		SmsConfiguration:            pool.SmsConfiguration,
		UserPoolTags:                maps.Clone(pool.UserPoolTags),
		AdminCreateUserConfig:       adminCreateUserConfig(pool.AdminCreateUserConfig),
		UserPoolAddOns:              pool.UserPoolAddOns,
		AccountRecoverySetting:      pool.AccountRecoverySetting,
		UserPoolTier:                pool.UserPoolTier,
		IssuerConfiguration:         pool.IssuerConfiguration,
		KeyConfiguration:            pool.KeyConfiguration,
		LambdaConfig:                &types.LambdaConfigType{},
	}
	if pool.LambdaConfig != nil {
		lc := *pool.LambdaConfig
		if c := lc.PreTokenGenerationConfig; c != nil && aws.ToString(c.LambdaArn) != "" {
			lc.PreTokenGeneration = c.LambdaArn
		}
		in.LambdaConfig = &lc
	}
	return in, nil
}

// adminCreateUserConfig returns c without UnusedAccountValidityDays.
func adminCreateUserConfig(c *types.AdminCreateUserConfigType) *types.AdminCreateUserConfigType {
	if c == nil {
		return nil
	}
	v := *c
	v.UnusedAccountValidityDays = 0
	return &v
}

// verificationTemplate returns t with only the email pair its
// DefaultEmailOption uses.
func verificationTemplate(t *types.VerificationMessageTemplateType) *types.VerificationMessageTemplateType {
	if t == nil {
		return nil
	}
	v := *t
	switch v.DefaultEmailOption {
	case types.DefaultEmailOptionTypeConfirmWithCode, "":
		v.EmailMessageByLink, v.EmailSubjectByLink = nil, nil
	case types.DefaultEmailOptionTypeConfirmWithLink:
		v.EmailMessage, v.EmailSubject = nil, nil
	}
	return &v
}
