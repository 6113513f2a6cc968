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

// InvokePermission is what a function's resource policy says about
// Cognito invoking it for one pool.
type InvokePermission struct {
	// Scoped reports a statement that allows lambda:InvokeFunction to the
	// principal cognito-idp.amazonaws.com on the condition that
	// aws:SourceArn is exactly the pool's ARN (and aws:SourceAccount, if
	// the statement names one, the pool's account), with no other
	// condition: the permission PermitInvoke adds.
	Scoped bool
	// Unscoped are the IDs (Sid) of the statements that let Cognito (or
	// everyone) invoke the function with neither an aws:SourceArn nor an
	// aws:SourceAccount condition: a user pool of any account can then
	// have Cognito invoke the function (the confused deputy problem).
	Unscoped []string
}

// CheckInvoke reads the resource policy of function (an ARN, with an
// alias or not) and tells whether it has the scoped permission for the
// pool with ARN poolARN, and which statements are unscoped. A function
// without a policy has neither.
//
// A statement that would let Cognito invoke the function for this pool
// but is not scoped to it exactly (no condition, only aws:SourceAccount,
// a wildcard pattern for aws:SourceArn, or the principal "*") is not
// counted as the scoped permission: bind adds the scoped one beside it.
func CheckInvoke(ctx context.Context, api LambdaAPI, poolARN, function string) (InvokePermission, error) {
	var p InvokePermission
	out, err := api.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(function)})
	if _, ok := errors.AsType[*lambdatypes.ResourceNotFoundException](err); ok {
		// No policy, or no function: PermitInvoke tells them apart.
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read the resource policy of %s: %w", function, err)
	}
	var policy struct {
		Statement oneOrMany[statement]
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &policy); err != nil {
		return p, fmt.Errorf("read the resource policy of %s: %w", function, err)
	}
	for _, s := range policy.Statement {
		p.Scoped = p.Scoped || s.scopedTo(poolARN)
		if s.unscoped() {
			p.Unscoped = append(p.Unscoped, s.Sid)
		}
	}
	return p, nil
}

// InvokePermitted reports whether the resource policy of function has the
// scoped permission for the pool with ARN poolARN (see CheckInvoke).
func InvokePermitted(ctx context.Context, api LambdaAPI, poolARN, function string) (bool, error) {
	p, err := CheckInvoke(ctx, api, poolARN, function)
	return p.Scoped, err
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
	Sid       string
	Effect    string
	Principal json.RawMessage
	Action    oneOrMany[string]
	Condition map[string]map[string]oneOrMany[string]
}

// invokes reports whether s allows lambda:InvokeFunction.
func (s statement) invokes() bool {
	return s.Effect == "Allow" && slices.ContainsFunc(s.Action, func(a string) bool {
		return a == "*" || strings.EqualFold(a, "lambda:*") || strings.EqualFold(a, "lambda:InvokeFunction")
	})
}

// scopedTo reports whether s is the scoped permission for the pool.
func (s statement) scopedTo(poolARN string) bool {
	if !s.invokes() || !s.cognito() {
		return false
	}
	sourceArn := false
	for op, keys := range s.Condition {
		for key, values := range keys {
			switch {
			case strings.EqualFold(key, "aws:SourceArn"):
				// Exactly the pool, among named pools: a pattern that also
				// matches others is not scoped to it.
				if !exactly(op, values) || !slices.Contains(values, poolARN) {
					return false
				}
				sourceArn = true
			case strings.EqualFold(key, "aws:SourceAccount"):
				if !slices.ContainsFunc(values, func(v string) bool { return conditionMatches(op, v, arnAccount(poolARN)) }) {
					return false
				}
			default:
				return false
			}
		}
	}
	return sourceArn
}

// unscoped reports whether s lets Cognito, or everyone, invoke the
// function with no condition on the caller's pool or account.
func (s statement) unscoped() bool {
	if !s.invokes() || (!s.cognito() && !s.everyone()) {
		return false
	}
	for _, keys := range s.Condition {
		for key := range keys {
			if strings.EqualFold(key, "aws:SourceArn") || strings.EqualFold(key, "aws:SourceAccount") {
				return false
			}
		}
	}
	return true
}

// cognito reports whether s's principal names the Cognito service.
func (s statement) cognito() bool {
	var p struct{ Service oneOrMany[string] }
	return json.Unmarshal(s.Principal, &p) == nil && slices.Contains(p.Service, CognitoPrincipal)
}

// everyone reports whether s's principal is "*".
func (s statement) everyone() bool {
	var star string
	if json.Unmarshal(s.Principal, &star) == nil {
		return star == "*"
	}
	var p struct{ AWS oneOrMany[string] }
	return json.Unmarshal(s.Principal, &p) == nil && slices.Contains(p.AWS, "*")
}

// exactly reports whether the condition operator op with values matches
// those values exactly: an equality, or a like operator without wildcards.
func exactly(op string, values []string) bool {
	switch strings.ToLower(op) {
	case "stringequals", "arnequals":
		return true
	case "stringlike", "arnlike":
		return !slices.ContainsFunc(values, func(v string) bool { return strings.ContainsAny(v, "*?") })
	}
	return false
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
