// Command userpoolbinding is the Lambda function behind the CloudFormation
// custom resource Custom::CognitrigUserPoolBinding: it binds Lambda triggers
// to a user pool that the stack does not own, keeping every other setting of
// the pool, and restores the previous triggers when the resource is deleted.
// It records in the pool's tags which stack's resource holds each slot, and
// refuses a slot another binding (another stack's, or `cognitrig bind`)
// holds unless the resource's property TakeOver is "true". See package
// github.com/cognitrig/cognitrig/pkg/userpool/binding for the resource's
// properties, lifecycle and records.
//
// It reads no configuration of its own: the region and the credentials of
// its SDK client come from the Lambda environment (awsenv.Load: AWS_REGION
// and the role's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN), without the SDK's general loader. Its role needs
// cognito-idp:DescribeUserPool and cognito-idp:UpdateUserPool on the pools
// it binds. Build it as bootstrap for provided.al2023 with -tags lambda.norpc.
package main

import (
	"log"
	"os"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

func main() {
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		log.Fatalf("userpoolbinding: load the AWS configuration: %v", err)
	}
	h := &binding.Handler{API: cip.NewFromConfig(cfg), Region: cfg.Region}
	lambda.Start(cfn.LambdaWrap(h.Handle))
}
