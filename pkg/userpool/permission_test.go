package userpool_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

const poolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"

// fakeLambda answers GetPolicy with policy (none when empty) and records
// AddPermission.
type fakeLambda struct {
	policy string
	addErr error
	added  []*lambda.AddPermissionInput
}

func (f *fakeLambda) GetPolicy(context.Context, *lambda.GetPolicyInput, ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error) {
	if f.policy == "" {
		return nil, &lambdatypes.ResourceNotFoundException{Message: aws.String("The resource you requested does not exist.")}
	}
	return &lambda.GetPolicyOutput{Policy: aws.String(f.policy)}, nil
}

func (f *fakeLambda) AddPermission(_ context.Context, in *lambda.AddPermissionInput, _ ...func(*lambda.Options)) (*lambda.AddPermissionOutput, error) {
	f.added = append(f.added, in)
	return &lambda.AddPermissionOutput{}, f.addErr
}

func TestInvokePermitted(t *testing.T) {
	policy := func(statements string) string {
		return `{"Version": "2012-10-17", "Id": "default", "Statement": ` + statements + `}`
	}
	const cognito = `"Effect": "Allow", "Principal": {"Service": "cognito-idp.amazonaws.com"}, "Action": "lambda:InvokeFunction"`
	const otherPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"
	tests := []struct {
		name   string
		policy string
		want   bool
	}{
		{"no policy", "", false},
		{"the pool and its account", policy(`[{"Sid": "a", ` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}}}]`), true},
		{"single statement object", policy(`{` + cognito + `, "Condition": {"ArnEquals": {"aws:SourceArn": "` + poolARN + `"}}}`), true},
		{"the pool among named pools", policy(`[{` + cognito + `, "Condition": {"StringEquals": {"AWS:SourceArn": ["` + otherPool + `", "` + poolARN + `"]}}}]`), true},
		{"principal list and action list", policy(`[{"Effect": "Allow", "Principal": {"Service": ["events.amazonaws.com", "cognito-idp.amazonaws.com"]}, "Action": ["lambda:GetFunction", "lambda:*"], "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), true},
		{"scoped beside unscoped", policy(`[{"Sid": "open", ` + cognito + `}, {"Sid": "scoped", ` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), true},
		// Cognito could invoke the function for the pool, but not only for it.
		{"no condition", policy(`[{` + cognito + `}]`), false},
		{"account only", policy(`[{` + cognito + `, "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}}]`), false},
		{"wildcard pool", policy(`[{` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/*"}}}]`), false},
		{"wildcard beside the pool", policy(`[{` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": ["` + poolARN + `", "arn:aws:cognito-idp:*"]}}}]`), false},
		{"everyone with the pool", policy(`[{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), false},
		// Cognito cannot invoke the function for the pool.
		{"other pool", policy(`[{` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "` + otherPool + `"}}}]`), false},
		{"the pool in another account", policy(`[{` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}, "StringEquals": {"AWS:SourceAccount": "210987654321"}}}]`), false},
		{"other principal", policy(`[{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), false},
		{"other action", policy(`[{"Effect": "Allow", "Principal": {"Service": "cognito-idp.amazonaws.com"}, "Action": "lambda:GetFunction", "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), false},
		{"deny", policy(`[{"Effect": "Deny", "Principal": {"Service": "cognito-idp.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}}}]`), false},
		{"unknown condition", policy(`[{` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "` + poolARN + `"}, "StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]`), false},
		{"negated condition", policy(`[{` + cognito + `, "Condition": {"ArnNotEquals": {"AWS:SourceArn": "` + poolARN + `"}}}]`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := userpool.InvokePermitted(t.Context(), &fakeLambda{policy: tt.policy}, poolARN, fnA)
			if err != nil || got != tt.want {
				t.Errorf("InvokePermitted = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestCheckInvokeFindsUnscopedStatements(t *testing.T) {
	const cognito = `"Effect": "Allow", "Principal": {"Service": "cognito-idp.amazonaws.com"}, "Action": "lambda:InvokeFunction"`
	policy := `{"Version": "2012-10-17", "Statement": [
		{"Sid": "open", ` + cognito + `},
		{"Sid": "everyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:*"},
		{"Sid": "account", ` + cognito + `, "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}},
		{"Sid": "other-pool", ` + cognito + `, "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"}}},
		{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction"}]}`
	got, err := userpool.CheckInvoke(t.Context(), &fakeLambda{policy: policy}, poolARN, fnA)
	if err != nil || got.Scoped || !slices.Equal(got.Unscoped, []string{"open", "everyone"}) {
		t.Errorf("CheckInvoke = %+v, %v; want not scoped, unscoped [open everyone]", got, err)
	}
}

func TestPermitInvoke(t *testing.T) {
	tests := []struct {
		name    string
		addErr  error
		wantErr string
	}{
		{name: "added"},
		{name: "no function", addErr: &lambdatypes.ResourceNotFoundException{Message: aws.String("Function not found")}, wantErr: "function " + fnA + " not found"},
		{name: "conflict", addErr: &lambdatypes.ResourceConflictException{Message: aws.String("exists")}, wantErr: "remove it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLambda{addErr: tt.addErr}
			err := userpool.PermitInvoke(t.Context(), f, poolARN, fnA)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("PermitInvoke = %v, want an error containing %q", err, tt.wantErr)
			}
			in := f.added[0]
			if got := [...]string{aws.ToString(in.StatementId), aws.ToString(in.Principal), aws.ToString(in.SourceArn), aws.ToString(in.SourceAccount), aws.ToString(in.Action)}; got != [...]string{
				"cognitrig-us-east-1_Example", "cognito-idp.amazonaws.com", poolARN, "123456789012", "lambda:InvokeFunction",
			} {
				t.Errorf("AddPermission with %q", got)
			}
		})
	}
}
