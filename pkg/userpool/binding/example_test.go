package binding_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

const (
	examplePool = "us-east-1_EXAMPLE01"
	exampleARN  = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + examplePool
)

// cognitoPool is an in-memory Cognito that holds one pool's triggers and
// tags, in place of a *cognitoidentityprovider.Client.
type cognitoPool struct {
	lambda types.LambdaConfigType
	tags   map[string]string
}

func (c *cognitoPool) DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	lc := c.lambda
	return &cip.DescribeUserPoolOutput{UserPool: &types.UserPoolType{
		Id: aws.String(examplePool), Arn: aws.String(exampleARN), Name: aws.String("customers"),
		LambdaConfig: &lc, UserPoolTags: maps.Clone(c.tags),
	}}, nil
}

func (c *cognitoPool) UpdateUserPool(_ context.Context, in *cip.UpdateUserPoolInput, _ ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error) {
	c.lambda, c.tags = *in.LambdaConfig, in.UserPoolTags
	return &cip.UpdateUserPoolOutput{}, nil
}

// The custom resource binds a stack's pre sign-up function to a pool the
// stack does not own, recording in the pool's tags what the slot held;
// its deletion gives the slot back. In the function's main, pass
// cfn.LambdaWrap(h.Handle) to lambda.Start.
func ExampleHandler() {
	pool := &cognitoPool{lambda: types.LambdaConfigType{
		PreSignUp: aws.String("arn:aws:lambda:us-east-1:123456789012:function:legacy-signup"),
	}}
	h := &binding.Handler{API: pool, Region: "us-east-1", Logger: slog.New(slog.DiscardHandler)}
	request := cfn.Event{
		ResourceType:      binding.ResourceType,
		StackID:           "arn:aws:cloudformation:us-east-1:123456789012:stack/auth/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
		LogicalResourceID: "Triggers",
		ResourceProperties: map[string]any{
			"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:binding",
			"UserPoolId":   examplePool,
			"LambdaConfig": map[string]any{"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:auth-signup"},
		},
	}
	ctx := context.Background()

	request.RequestType = cfn.RequestCreate
	id, attrs, err := h.Handle(ctx, request)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", id, attrs["UserPoolArn"])
	fmt.Println("PreSignUp:", aws.ToString(pool.lambda.PreSignUp))
	for _, k := range slices.Sorted(maps.Keys(pool.tags)) {
		fmt.Printf("tag %s = %s\n", k, pool.tags[k])
	}

	request.RequestType, request.PhysicalResourceID = cfn.RequestDelete, id
	if _, _, err := h.Handle(ctx, request); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("deleted; PreSignUp:", aws.ToString(pool.lambda.PreSignUp), "tags:", len(pool.tags))
	// Output:
	// created: cognitrig-binding:us-east-1_EXAMPLE01 arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE01
	// PreSignUp: arn:aws:lambda:us-east-1:123456789012:function:auth-signup
	// tag cognitrig:before:PreSignUp = arn:aws:lambda:us-east-1:123456789012:function:legacy-signup
	// tag cognitrig:holder:PreSignUp = stack/auth/Triggers
	// deleted; PreSignUp: arn:aws:lambda:us-east-1:123456789012:function:legacy-signup tags: 0
}
