package userpool_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// memoryPool is an in-memory user pool behind userpool.API, in place of
// a *cognitoidentityprovider.Client. Like Cognito, UpdateUserPool sets
// what the request leaves out back to its default.
type memoryPool struct {
	pool   types.UserPoolType
	writes int
}

func (m *memoryPool) DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	p := m.pool
	return &cip.DescribeUserPoolOutput{UserPool: &p}, nil
}

func (m *memoryPool) UpdateUserPool(_ context.Context, in *cip.UpdateUserPoolInput, _ ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error) {
	m.pool = types.UserPoolType{
		Id: in.UserPoolId, Name: in.PoolName, Arn: m.pool.Arn,
		LambdaConfig:       in.LambdaConfig,
		MfaConfiguration:   in.MfaConfiguration,
		DeletionProtection: in.DeletionProtection,
		UserPoolTags:       in.UserPoolTags,
	}
	m.writes++
	return &cip.UpdateUserPoolOutput{}, nil
}

// Bind adds triggers to a pool that already has MFA, deletion protection
// and a trigger of its own, and keeps all of them: it reads the pool and
// writes it back complete. Binding again what the pool already has
// writes nothing.
func ExampleBind() {
	const poolID = "us-east-1_EXAMPLE01"
	api := &memoryPool{pool: types.UserPoolType{
		Id: aws.String(poolID), Name: aws.String("customers"),
		MfaConfiguration:   types.UserPoolMfaTypeOptional,
		DeletionProtection: types.DeletionProtectionTypeActive,
		LambdaConfig: &types.LambdaConfigType{
			PostConfirmation: aws.String("arn:aws:lambda:us-east-1:123456789012:function:welcome"),
		},
	}}
	set := []userpool.Binding{
		{Slot: userpool.PreSignUp, ARN: "arn:aws:lambda:us-east-1:123456789012:function:presignup"},
		{Slot: userpool.PreTokenGeneration, ARN: "arn:aws:lambda:us-east-1:123456789012:function:claims:live", Version: userpool.V2_0},
	}

	ctx := context.Background()
	change, err := userpool.Bind(ctx, api, poolID, set, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(userpool.Diff(change.Before, change.After))
	fmt.Println("MFA:", api.pool.MfaConfiguration, "deletion protection:", api.pool.DeletionProtection)

	again, err := userpool.Bind(ctx, api, poolID, set, nil)
	fmt.Println("second bind writes:", again.Written, err, "writes in all:", api.writes)
	// Output:
	// + PreSignUp          arn:aws:lambda:us-east-1:123456789012:function:presignup
	//   PostConfirmation   arn:aws:lambda:us-east-1:123456789012:function:welcome
	// + PreTokenGeneration arn:aws:lambda:us-east-1:123456789012:function:claims:live V2_0
	// MFA: OPTIONAL deletion protection: ACTIVE
	// second bind writes: false <nil> writes in all: 1
}
