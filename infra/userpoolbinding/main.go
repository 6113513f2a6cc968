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
// The same function repairs one binding resource: given an EventBridge
// event of CloudTrail's record of UpdateUserPool (detail-type "AWS API Call
// via CloudTrail", detail.eventSource "cognito-idp.amazonaws.com",
// detail.eventName "UpdateUserPool"), it sets the resource's slots again
// when another writer of its pool changed them (binding.Repairer). It tells
// the two apart by the event's shape: a CloudFormation request has
// RequestType and LogicalResourceId, an EventBridge event detail-type,
// source and detail; anything else fails, naming both.
//
// Run with -event FILE (- for standard input), it handles that one event
// and exits, for a run against moto_server or another emulator: a
// CloudFormation request's response is printed as JSON instead of being
// sent to its ResponseURL, and the status is 1 when the handler fails.
//
// The region and the credentials of its SDK client come from the Lambda
// environment (awsenv.Load: AWS_REGION and the role's AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN), without the SDK's general
// loader. The resource a repair restores comes from REPAIR_PROPERTIES (the
// resource's properties without ServiceToken, as JSON), REPAIR_STACK_ID and
// REPAIR_LOGICAL_ID (binding.ParseRepairEnv); without them the function
// serves the custom resource only, and fails the EventBridge events it
// gets, saying so. Invalid repair variables are logged at start-up and fail
// every EventBridge event, naming the variable, while the custom resource
// keeps working: a function that fails to start would leave its stack's
// delete waiting for an hour. Both call Cognito with the binding's
// application ID in the User-Agent (binding.AppID), by which a repair
// knows, and leaves alone, the updates of its own binding: its Create,
// Update and Delete, whichever function made them, and its repairs. Its role needs cognito-idp:DescribeUserPool
// and cognito-idp:UpdateUserPool on the pools it binds. It logs JSON lines
// (log/slog). Build it as bootstrap for provided.al2023 with -tags
// lambda.norpc.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

func main() {
	event := flag.String("event", "", "handle the event in `FILE` (- for standard input) and exit, printing a CloudFormation request's response instead of sending it")
	flag.Parse()
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		log.Fatalf("userpoolbinding: load the AWS configuration: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if *event != "" {
		d := newDispatcher(cip.NewFromConfig(cfg), cfg.Region, os.Getenv, logger, printResponse(os.Stdout))
		os.Exit(handleFile(context.Background(), d, *event, os.Stdin, os.Stderr))
	}
	d := newDispatcher(cip.NewFromConfig(cfg), cfg.Region, os.Getenv, logger, cfn.LambdaWrap)
	lambda.Start(d.handle)
}

// handleFile handles the event in the file named name ("-": stdin) and
// returns the exit status.
func handleFile(ctx context.Context, d dispatcher, name string, stdin io.Reader, stderr io.Writer) int {
	var (
		raw []byte
		err error
	)
	if name == "-" {
		raw, err = io.ReadAll(stdin)
	} else {
		raw, err = os.ReadFile(name)
	}
	if err == nil {
		_, err = d.handle(ctx, raw)
	}
	if err != nil {
		fmt.Fprintf(stderr, "userpoolbinding: %v\n", err)
		return 1
	}
	return 0
}

// printResponse wraps a custom resource function as cfn.LambdaWrap does,
// but writes the response to w as JSON instead of sending it to the
// request's ResponseURL.
func printResponse(w io.Writer) func(cfn.CustomResourceFunction) cfn.CustomResourceLambdaFunction {
	return func(fn cfn.CustomResourceFunction) cfn.CustomResourceLambdaFunction {
		return func(ctx context.Context, e cfn.Event) (string, error) {
			id, data, err := fn(ctx, e)
			resp := cfn.NewResponse(&e)
			resp.Status, resp.PhysicalResourceID, resp.Data = cfn.StatusSuccess, id, data
			if err != nil {
				resp.Status, resp.Reason = cfn.StatusFailed, err.Error()
			}
			b, merr := json.MarshalIndent(resp, "", "  ")
			if merr != nil {
				return "", merr
			}
			fmt.Fprintf(w, "%s\n", b)
			return resp.Reason, err
		}
	}
}

// dispatcher sends each event to the handler of its shape.
type dispatcher struct {
	// resource handles a CloudFormation request and answers CloudFormation.
	resource cfn.CustomResourceLambdaFunction
	// repair handles an EventBridge event; nil when repair is not
	// configured, and repairErr then says why.
	repair    func(context.Context, events.EventBridgeEvent) error
	repairErr error
}

// newDispatcher builds the handlers around api, the Cognito client of
// region, with the repair target read through getenv; respond answers
// CloudFormation (cfn.LambdaWrap).
func newDispatcher(api userpool.API, region string, getenv func(string) string, logger *slog.Logger,
	respond func(cfn.CustomResourceFunction) cfn.CustomResourceLambdaFunction) dispatcher {
	h := &binding.Handler{API: api, Region: region, Logger: logger}
	d := dispatcher{resource: respond(h.Handle)}
	target, err := binding.ParseRepairEnv(getenv)
	switch {
	case errors.Is(err, binding.ErrRepairNotConfigured):
		d.repairErr = err
	case err != nil:
		logger.Error("repair is misconfigured: EventBridge events will fail until it is fixed", "error", err.Error())
		d.repairErr = fmt.Errorf("repair is misconfigured: %w", err)
	default:
		d.repair = (&binding.Repairer{API: api, Target: target, Logger: logger}).Handle
	}
	return d
}

// shape holds the members that tell the events apart.
type shape struct {
	RequestType       string          `json:"RequestType"`
	LogicalResourceID string          `json:"LogicalResourceId"`
	DetailType        string          `json:"detail-type"`
	Source            string          `json:"source"`
	Detail            json.RawMessage `json:"detail"`
}

// handle handles one event of either shape. For a CloudFormation request
// it returns the wrapper's reason, as cfn.LambdaWrap does.
func (d dispatcher) handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var s shape
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("the event is not a JSON object: %w; userpoolbinding handles CloudFormation custom resource requests and EventBridge events", err)
	}
	switch {
	case s.RequestType != "" && s.LogicalResourceID != "":
		var e cfn.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("read the CloudFormation request: %w", err)
		}
		return d.resource(ctx, e)
	case s.DetailType != "" && s.Source != "" && len(s.Detail) > 0:
		if d.repair == nil {
			return nil, fmt.Errorf("an EventBridge event (detail-type %q), but %w", s.DetailType, d.repairErr)
		}
		var e events.EventBridgeEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("read the EventBridge event: %w", err)
		}
		return nil, d.repair(ctx, e)
	}
	return nil, errors.New("unknown event: userpoolbinding handles CloudFormation custom resource requests (with RequestType and LogicalResourceId) " +
		"and EventBridge events of CloudTrail's record of UpdateUserPool (with detail-type, source and detail)")
}
