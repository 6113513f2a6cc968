package cognitrig

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

// createRepair creates the repair of the binding: a second function from
// the binding's code asset (dir), and an EventBridge rule that invokes it
// after every successful UpdateUserPool call on the pool, as CloudTrail
// records it. Its environment is what binding.ParseRepairEnv reads: the
// binding resource's properties without ServiceToken and Nonce, as JSON
// (REPAIR_PROPERTIES, written by refresh, since a later Bind changes the
// LambdaConfig), and the stack and logical ID of that resource
// (REPAIR_STACK_ID, REPAIR_LOGICAL_ID), whose records in the pool's tags
// the repair keeps.
func (t *Triggers) createRepair(dir string) {
	scope := constructs.NewConstruct(t, jsii.String("UserPoolRepair"))
	stack := awscdk.Stack_Of(t)
	fn, role := t.newFunction(scope, "cognitrig userpoolbinding: repairs the binding of the triggers onto "+*t.poolID+" after the pool is updated", dir, 128, time.Minute, map[string]string{
		binding.EnvRepairStackID:   *awscdk.Aws_STACK_ID(),
		binding.EnvRepairLogicalID: *stack.GetLogicalId(t.binding.Node().DefaultChild().(awscdk.CfnResource)),
	})
	t.grantBinding(role)
	t.repairFn = fn
	t.repairRule = awsevents.NewRule(scope, jsii.String("Rule"), &awsevents.RuleProps{
		Description: jsii.String("cognitrig: repairs the LambdaConfig of " + *t.poolID + " after an UpdateUserPool call"),
		EventPattern: &awsevents.EventPattern{
			Source:     jsii.Strings("aws.cognito-idp"),
			DetailType: jsii.Strings(binding.DetailTypeCloudTrail),
			Detail: &map[string]any{
				"eventSource": []string{binding.EventSourceCognito},
				"eventName":   []string{binding.EventNameUpdatePool},
				// A failed call changed nothing.
				"errorCode":         []any{map[string]any{"exists": false}},
				"requestParameters": map[string]any{"userPoolId": []string{*t.poolID}},
			},
		},
	})
	t.repairRule.AddTarget(awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{
		RetryAttempts: jsii.Number(2),
		MaxEventAge:   awscdk.Duration_Hours(jsii.Number(1)),
	}))
	awscdk.Annotations_Of(t).AddInfo(jsii.String("Props.RepairDrift: the repair rule sees UpdateUserPool calls through CloudTrail; the account must record management events " +
		"(a trail that records write management events in the pool's region), else nothing repairs the binding"))
}

// RepairFunction returns the function that repairs the binding of an
// existing pool (Props.RepairDrift), or nil.
func (t *Triggers) RepairFunction() awslambda.Function { return t.repairFn }

// RepairRule returns the EventBridge rule that invokes RepairFunction
// after an UpdateUserPool call on the pool, or nil.
func (t *Triggers) RepairRule() awsevents.Rule { return t.repairRule }
