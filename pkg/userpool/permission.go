package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// LambdaAPI is the part of the Lambda client that InvokePermitted and
// PermitInvoke use; *lambda.Client implements it.
type LambdaAPI interface {
	GetPolicy(context.Context, *lambda.GetPolicyInput, ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error)
	AddPermission(context.Context, *lambda.AddPermissionInput, ...func(*lambda.Options)) (*lambda.AddPermissionOutput, error)
}

// CognitoPrincipal is the service principal that invokes triggers.
const CognitoPrincipal = "cognito-idp.amazonaws.com"

// StatementID returns the ID of the policy statement that PermitInvoke adds
// for the pool with ARN poolARN: "cognitrig-" and the pool's ID.
func StatementID(poolARN string) string {
	_, id, _ := strings.Cut(poolARN, ":userpool/")
	return "cognitrig-" + id
}

// InvokePermitted reports whether the resource policy of function (an ARN,
// with an alias or not) lets Cognito invoke it for the pool with ARN
// poolARN: a statement allows lambda:InvokeFunction to
// cognito-idp.amazonaws.com, and its conditions on AWS:SourceArn and
// AWS:SourceAccount, if any, match the pool. A statement with other
// conditions is not counted. A function without a policy is not permitted.
func InvokePermitted(ctx context.Context, api LambdaAPI, poolARN, function string) (bool, error) {
	out, err := api.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(function)})
	if _, ok := errors.AsType[*lambdatypes.ResourceNotFoundException](err); ok {
		// No policy, or no function: PermitInvoke tells them apart.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the resource policy of %s: %w", function, err)
	}
	var policy struct {
		Statement oneOrMany[statement]
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &policy); err != nil {
		return false, fmt.Errorf("read the resource policy of %s: %w", function, err)
	}
	return slices.ContainsFunc(policy.Statement, func(s statement) bool { return s.permits(poolARN) }), nil
}

// PermitInvoke adds to function's resource policy the statement that lets
// Cognito invoke it for the pool with ARN poolARN, with the ID
// StatementID(poolARN), conditioned on the pool's ARN and account.
func PermitInvoke(ctx context.Context, api LambdaAPI, poolARN, function string) error {
	_, err := api.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName:  aws.String(function),
		StatementId:   aws.String(StatementID(poolARN)),
		Action:        aws.String("lambda:InvokeFunction"),
		Principal:     aws.String(CognitoPrincipal),
		SourceArn:     aws.String(poolARN),
		SourceAccount: aws.String(arnAccount(poolARN)),
	})
	switch {
	case err == nil:
		return nil
	case isType[*lambdatypes.ResourceNotFoundException](err):
		return fmt.Errorf("function %s not found: check the ARN and the region: %w", function, err)
	case isType[*lambdatypes.ResourceConflictException](err):
		return fmt.Errorf("function %s already has a policy statement %s that does not let Cognito invoke it for %s: remove it (aws lambda remove-permission) and try again: %w",
			function, StatementID(poolARN), poolARN, err)
	}
	return fmt.Errorf("let Cognito invoke %s: %w", function, err)
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

// arnAccount returns the account field of an ARN.
func arnAccount(arn string) string {
	if f := strings.SplitN(arn, ":", 6); len(f) == 6 {
		return f[4]
	}
	return ""
}

// oneOrMany reads a JSON value that is either one T or an array of them,
// as IAM policies write their elements.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(o))
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = []T{v}
	return nil
}

// statement is one statement of a resource policy.
type statement struct {
	Effect    string
	Principal json.RawMessage
	Action    oneOrMany[string]
	Condition map[string]map[string]oneOrMany[string]
}

// permits reports whether s lets Cognito invoke the function for the pool.
func (s statement) permits(poolARN string) bool {
	if s.Effect != "Allow" || !s.cognito() {
		return false
	}
	if !slices.ContainsFunc(s.Action, func(a string) bool {
		return a == "*" || strings.EqualFold(a, "lambda:*") || strings.EqualFold(a, "lambda:InvokeFunction")
	}) {
		return false
	}
	for op, keys := range s.Condition {
		for key, values := range keys {
			var want string
			switch {
			case strings.EqualFold(key, "aws:SourceArn"):
				want = poolARN
			case strings.EqualFold(key, "aws:SourceAccount"):
				want = arnAccount(poolARN)
			default:
				return false
			}
			if !slices.ContainsFunc(values, func(v string) bool { return conditionMatches(op, v, want) }) {
				return false
			}
		}
	}
	return true
}

// cognito reports whether s's principal is Cognito (or everyone).
func (s statement) cognito() bool {
	var star string
	if json.Unmarshal(s.Principal, &star) == nil {
		return star == "*"
	}
	var p struct{ Service oneOrMany[string] }
	return json.Unmarshal(s.Principal, &p) == nil && slices.Contains(p.Service, CognitoPrincipal)
}

// conditionMatches applies the condition operator op to a policy value and
// the value of the request.
func conditionMatches(op, pattern, value string) bool {
	switch strings.ToLower(op) {
	case "stringequals", "arnequals":
		return pattern == value
	case "stringlike", "arnlike":
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
		ok, _ := regexp.MatchString(re, value)
		return ok
	}
	return false
}
