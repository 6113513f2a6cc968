package userpooltest_test

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool/userpooltest"
)

// A test describes the pool before and after the code under test binds
// its triggers (Describe) and asserts that nothing else changed
// (Unchanged, which fails the test with these lines). Here the two pools
// are written out: the "after" one is what an UpdateUserPool carrying
// only LambdaConfig leaves, with MFA and deletion protection reset to
// Cognito's defaults. LambdaConfig, which the binding was meant to
// change, is not compared.
func ExampleDifferences() {
	before := types.UserPoolType{
		Id:                 aws.String("us-east-1_EXAMPLE01"),
		MfaConfiguration:   types.UserPoolMfaTypeOptional,
		DeletionProtection: types.DeletionProtectionTypeActive,
		UserPoolTags:       map[string]string{"team": "identity"},
	}
	after := before
	after.MfaConfiguration = types.UserPoolMfaTypeOff
	after.DeletionProtection = types.DeletionProtectionTypeInactive
	after.LambdaConfig = &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:123456789012:function:presignup")}

	for _, d := range userpooltest.Differences(before, after) {
		fmt.Println(d)
	}
	// Output:
	// DeletionProtection: "ACTIVE" → "INACTIVE"
	// MfaConfiguration: "OPTIONAL" → "OFF"
}
