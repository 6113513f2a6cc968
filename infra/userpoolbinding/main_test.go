package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
	"github.com/cognitrig/cognitrig/pkg/userpool/userpooltest"
)

const (
	stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/0a1b2c3d"
	fn      = "arn:aws:lambda:us-east-1:123456789012:function:presignup"
)

// createRequest is a CloudFormation Create request of resource Binding of
// stack app, which binds fn to PreSignUp of poolID.
func createRequest(poolID, responseURL string) string {
	return `{"RequestType": "Create", "ResponseURL": "` + responseURL + `", "StackId": "` + stackID + `",
		"RequestId": "r1", "ResourceType": "Custom::CognitrigUserPoolBinding", "LogicalResourceId": "Binding",
		"ResourceProperties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:binding",
			"UserPoolId": "` + poolID + `", "LambdaConfig": {"PreSignUp": "` + fn + `"}}}`
}

// updateEvent is EventBridge's event of CloudTrail's record of an
// UpdateUserPool of poolID.
func updateEvent(poolID string) string {
	return `{"version": "0", "id": "e1", "detail-type": "AWS API Call via CloudTrail", "source": "aws.cognito-idp",
		"account": "123456789012", "time": "2026-12-03T07:00:00Z", "region": "us-east-1", "resources": [],
		"detail": {"eventSource": "cognito-idp.amazonaws.com", "eventName": "UpdateUserPool", "awsRegion": "us-east-1",
			"requestParameters": {"userPoolId": "` + poolID + `"}}}`
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name       string
		event      string
		repair     bool // repair configured
		repairErr  error
		want       string // the handler called
		wantErr    string
		wantReason any
	}{
		{name: "CloudFormation request", event: createRequest("us-east-1_abc", "https://example.invalid/r"), repair: true, want: "resource", wantReason: "reason"},
		{name: "CloudFormation request without repair", event: createRequest("us-east-1_abc", "https://example.invalid/r"), repairErr: binding.ErrRepairNotConfigured, want: "resource", wantReason: "reason"},
		{name: "EventBridge event", event: updateEvent("us-east-1_abc"), repair: true, want: "repair"},
		{
			name: "EventBridge event without repair", event: updateEvent("us-east-1_abc"), repairErr: binding.ErrRepairNotConfigured,
			wantErr: `an EventBridge event (detail-type "AWS API Call via CloudTrail"), but repair is not configured: set REPAIR_PROPERTIES, REPAIR_STACK_ID and REPAIR_LOGICAL_ID`,
		},
		{
			name: "EventBridge event with repair misconfigured", event: updateEvent("us-east-1_abc"),
			repairErr: errors.New("repair is misconfigured: REPAIR_LOGICAL_ID is not set"),
			wantErr:   "repair is misconfigured: REPAIR_LOGICAL_ID is not set",
		},
		{
			name: "SNS event", event: `{"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "{}"}}]}`, repair: true,
			wantErr: "unknown event: userpoolbinding handles CloudFormation custom resource requests (with RequestType and LogicalResourceId) and EventBridge events",
		},
		{name: "not an object", event: `[1, 2]`, repair: true, wantErr: "the event is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var called []string
			d := dispatcher{
				resource: func(_ context.Context, e cfn.Event) (string, error) {
					if e.LogicalResourceID != "Binding" || e.ResourceProperties["UserPoolId"] != "us-east-1_abc" {
						t.Errorf("the resource handler got %+v", e)
					}
					called = append(called, "resource")
					return "reason", nil
				},
				repairErr: tt.repairErr,
			}
			if tt.repair {
				d.repair = func(_ context.Context, e events.EventBridgeEvent) error {
					if e.DetailType != binding.DetailTypeCloudTrail || !strings.Contains(string(e.Detail), `"userPoolId": "us-east-1_abc"`) {
						t.Errorf("the repair got %+v", e)
					}
					called = append(called, "repair")
					return nil
				}
			}
			got, err := d.handle(t.Context(), json.RawMessage(tt.event))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("handle error = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Join(called, ",") != tt.want {
				t.Errorf("handlers called: %q, want %q", called, tt.want)
			}
			if got != tt.wantReason {
				t.Errorf("handle = %v, want %v", got, tt.wantReason)
			}
		})
	}
}

// TestMotoDispatch runs both kinds of events through the handlers main
// builds, against moto_server: a Create binds, a raw UpdateUserPool drops
// the trigger, and the EventBridge event of that update restores it.
func TestMotoDispatch(t *testing.T) {
	client := cip.NewFromConfig(mototest.Config(mototest.Start(t)))
	poolID := userpooltest.CreateRichPool(t, client, "dispatched")
	var (
		mu        sync.Mutex
		responses []cfn.Response
	)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		var resp cfn.Response
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &resp); err != nil {
			t.Errorf("CloudFormation response %s: %v", b, err)
		}
		mu.Lock()
		responses = append(responses, resp)
		mu.Unlock()
	}))
	defer srv.Close()
	env := map[string]string{
		binding.EnvRepairProperties: `{"UserPoolId": "` + poolID + `", "LambdaConfig": {"PreSignUp": "` + fn + `"}}`,
		binding.EnvRepairStackID:    stackID,
		binding.EnvRepairLogicalID:  "Binding",
	}
	logs := &bytes.Buffer{}
	d := newDispatcher(client, mototest.Region, func(k string) string { return env[k] }, slog.New(slog.NewJSONHandler(logs, nil)), cfn.LambdaWrap)

	preSignUp := func(t *testing.T) string {
		t.Helper()
		arn, _ := userpool.Get(*userpooltest.Describe(t, client, poolID).LambdaConfig, userpool.PreSignUp)
		return arn
	}
	if _, err := d.handle(t.Context(), json.RawMessage(createRequest(poolID, srv.URL+"/r"))); err != nil {
		t.Fatalf("the Create request: %v", err)
	}
	mu.Lock()
	if len(responses) != 1 || responses[0].Status != cfn.StatusSuccess {
		t.Fatalf("CloudFormation got %+v, want one SUCCESS", responses)
	}
	mu.Unlock()
	if got := preSignUp(t); got != fn {
		t.Fatalf("after the Create PreSignUp = %q, want %s", got, fn)
	}
	if _, err := client.UpdateUserPool(t.Context(), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), LambdaConfig: &types.LambdaConfigType{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.handle(t.Context(), json.RawMessage(updateEvent(poolID))); err != nil {
		t.Fatalf("the EventBridge event: %v", err)
	}
	if got := preSignUp(t); got != fn {
		t.Errorf("after the repair PreSignUp = %q, want %s", got, fn)
	}
	if !strings.Contains(logs.String(), `"msg":"restored"`) || !strings.Contains(logs.String(), `"slot":"PreSignUp","found":"","set":"`+fn+`"`) {
		t.Errorf("the log does not say what was restored:\n%s", logs.String())
	}
}

// TestMotoHandleFile runs the local mode (-event FILE) against
// moto_server: a Create request without a ResponseURL prints its response,
// and an EventBridge event on standard input repairs.
func TestMotoHandleFile(t *testing.T) {
	client := cip.NewFromConfig(mototest.Config(mototest.Start(t)))
	poolID := userpooltest.CreateRichPool(t, client, "local")
	env := map[string]string{
		binding.EnvRepairProperties: `{"UserPoolId": "` + poolID + `", "LambdaConfig": {"PreSignUp": "` + fn + `"}}`,
		binding.EnvRepairStackID:    stackID,
		binding.EnvRepairLogicalID:  "Binding",
	}
	var stdout, stderr, logs bytes.Buffer
	d := newDispatcher(client, mototest.Region, func(k string) string { return env[k] }, slog.New(slog.NewJSONHandler(&logs, nil)), printResponse(&stdout))
	preSignUp := func(t *testing.T) string {
		t.Helper()
		arn, _ := userpool.Get(*userpooltest.Describe(t, client, poolID).LambdaConfig, userpool.PreSignUp)
		return arn
	}

	create := filepath.Join(t.TempDir(), "create.json")
	if err := os.WriteFile(create, []byte(strings.Replace(createRequest(poolID, ""), `"ResponseURL": "",`, "", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := handleFile(t.Context(), d, create, nil, &stderr); code != 0 || preSignUp(t) != fn {
		t.Fatalf("-event create.json: status %d, PreSignUp %q; stderr %s", code, preSignUp(t), stderr.String())
	}
	var resp cfn.Response
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil || resp.Status != cfn.StatusSuccess || resp.PhysicalResourceID != binding.PhysicalID(poolID) {
		t.Errorf("printed response %s (%v), want SUCCESS with the binding's physical ID", stdout.String(), err)
	}

	if _, err := client.UpdateUserPool(t.Context(), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), LambdaConfig: &types.LambdaConfigType{}}); err != nil {
		t.Fatal(err)
	}
	if code := handleFile(t.Context(), d, "-", strings.NewReader(updateEvent(poolID)), &stderr); code != 0 || preSignUp(t) != fn {
		t.Errorf("-event - with the update's event: status %d, PreSignUp %q; stderr %s", code, preSignUp(t), stderr.String())
	}

	stderr.Reset()
	if code := handleFile(t.Context(), d, "-", strings.NewReader(`{"hello": "world"}`), &stderr); code != 1 || !strings.HasPrefix(stderr.String(), "userpoolbinding: unknown event") {
		t.Errorf("-event with an unknown event: status %d, stderr %q; want 1 and the error", code, stderr.String())
	}
}
