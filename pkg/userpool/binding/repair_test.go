package binding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
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

func TestParseRepairEnv(t *testing.T) {
	const (
		props = `{"UserPoolId": "us-east-1_abc", "LambdaConfig": {"PreSignUp": "` + fnSignUp + `"}, "TakeOver": "false"}`
		stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/0a1b2c3d"
	)
	tests := []struct {
		name       string
		env        map[string]string
		wantHolder userpool.Holder
		wantErr    string
	}{
		{
			name:       "the three variables",
			env:        map[string]string{binding.EnvRepairProperties: props, binding.EnvRepairStackID: stack, binding.EnvRepairLogicalID: "Binding"},
			wantHolder: "stack/app/Binding",
		},
		{name: "none: not configured", env: nil, wantErr: binding.ErrRepairNotConfigured.Error()},
		{
			name:    "one missing",
			env:     map[string]string{binding.EnvRepairProperties: props, binding.EnvRepairStackID: stack},
			wantErr: "REPAIR_LOGICAL_ID is not set: the repair function needs REPAIR_PROPERTIES, REPAIR_STACK_ID and REPAIR_LOGICAL_ID together",
		},
		{
			name:    "properties not JSON",
			env:     map[string]string{binding.EnvRepairProperties: "UserPoolId=x", binding.EnvRepairStackID: stack, binding.EnvRepairLogicalID: "Binding"},
			wantErr: "REPAIR_PROPERTIES is not a JSON object of the binding resource's properties",
		},
		{
			name:    "invalid properties",
			env:     map[string]string{binding.EnvRepairProperties: `{"UserPoolId": "p", "LambdaConfig": {"PreSignup": "x"}}`, binding.EnvRepairStackID: stack, binding.EnvRepairLogicalID: "Binding"},
			wantErr: `REPAIR_PROPERTIES: LambdaConfig member "PreSignup" is not one this resource manages`,
		},
		{
			name:    "stack ID not an ARN",
			env:     map[string]string{binding.EnvRepairProperties: props, binding.EnvRepairStackID: "app", binding.EnvRepairLogicalID: "Binding"},
			wantErr: `REPAIR_STACK_ID or REPAIR_LOGICAL_ID: the request's StackId "app" is not a CloudFormation stack ARN`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := binding.ParseRepairEnv(func(k string) string { return tt.env[k] })
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ParseRepairEnv error = %v, want one containing %q", err, tt.wantErr)
			}
			if err == nil && (got.Holder != tt.wantHolder || got.Properties.UserPoolID != "us-east-1_abc" || len(got.Properties.Bindings) != 1) {
				t.Errorf("ParseRepairEnv = %+v, want holder %s of us-east-1_abc's PreSignUp", got, tt.wantHolder)
			}
		})
	}
}

// counting passes calls to a Cognito client and counts them.
type counting struct {
	userpool.API
	describes, updates atomic.Int32
}

func (c *counting) DescribeUserPool(ctx context.Context, in *cip.DescribeUserPoolInput, opts ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	c.describes.Add(1)
	return c.API.DescribeUserPool(ctx, in, opts...)
}

func (c *counting) UpdateUserPool(ctx context.Context, in *cip.UpdateUserPoolInput, opts ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error) {
	c.updates.Add(1)
	return c.API.UpdateUserPool(ctx, in, opts...)
}

// updateEvent returns EventBridge's event of CloudTrail's record of an
// UpdateUserPool of poolID (testdata/cloudtrail-updateuserpool.json).
func updateEvent(t *testing.T, poolID string) events.EventBridgeEvent {
	t.Helper()
	b, err := os.ReadFile("testdata/cloudtrail-updateuserpool.json")
	if err != nil {
		t.Fatal(err)
	}
	var e events.EventBridgeEvent
	if err := json.Unmarshal(bytes.ReplaceAll(b, []byte("USER_POOL_ID"), []byte(poolID)), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// agentEvent returns the event of an update of the pool made with the
// User-Agent agent.
func agentEvent(agent func() string) func(t *testing.T, poolID string) events.EventBridgeEvent {
	return func(t *testing.T, poolID string) events.EventBridgeEvent {
		e := updateEvent(t, poolID)
		e.Detail = bytes.Replace(e.Detail, []byte(`"userAgent": "aws-cli/2.22.0"`), []byte(`"userAgent": "`+agent()+`"`), 1)
		return e
	}
}

// agents is a proxy in front of moto_server that keeps the User-Agent of
// each UpdateUserPool.
type agents struct {
	mu  sync.Mutex
	got []string
	url string
}

func newAgents(t *testing.T, endpoint string) *agents {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	a := &agents{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".UpdateUserPool") {
			a.mu.Lock()
			a.got = append(a.got, r.Header.Get("User-Agent"))
			a.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

// last returns the User-Agent of the last UpdateUserPool.
func (a *agents) last() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.got) == 0 {
		return ""
	}
	return a.got[len(a.got)-1]
}

// repairEnv is the environment of the repair function of stack app's
// resource Binding, whose properties are p.
func repairEnv(t *testing.T, p map[string]any) func(string) string {
	t.Helper()
	withoutToken := map[string]any{}
	for k, v := range p {
		if k != "ServiceToken" {
			withoutToken[k] = v
		}
	}
	b, err := json.Marshal(withoutToken)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{binding.EnvRepairProperties: string(b), binding.EnvRepairStackID: stackID("app"), binding.EnvRepairLogicalID: "Binding"}
	return func(k string) string { return env[k] }
}

func TestMotoRepair(t *testing.T) {
	ua := newAgents(t, mototest.Start(t))
	client := cip.NewFromConfig(mototest.Config(ua.url))
	h, _ := newHandler(client)
	r := newResponses(t)
	const fnOther = "arn:aws:lambda:us-east-1:123456789012:function:console-edit"
	managed := map[string]any{
		"PreSignUp":                fnSignUp,
		"PreTokenGenerationConfig": map[string]any{"LambdaArn": fnTokens, "LambdaVersion": "V2_0"},
	}
	bound := map[userpool.Slot]string{
		userpool.PreSignUp: fnSignUp, userpool.PreTokenGeneration: fnTokens + " V2_0",
		userpool.PostConfirmation: userpooltest.PostConfirmationARN, userpool.PreAuthentication: userpooltest.PreAuthenticationARN,
		userpool.UserMigration: userpooltest.UserMigrationARN,
	}
	// raw writes as the console or the AWS CLI do: a request built by
	// hand, which resets what it omits (the tags, and so the records, too).
	raw := func(lc types.LambdaConfigType) func(t *testing.T, poolID string) {
		return func(t *testing.T, poolID string) {
			t.Helper()
			if _, err := client.UpdateUserPool(t.Context(), &cip.UpdateUserPoolInput{UserPoolId: aws.String(poolID), LambdaConfig: &lc}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// complete writes as a careful tool does: the rest of the pool, tags
	// and records included, stays.
	complete := func(set []userpool.Binding, clear []userpool.Slot) func(t *testing.T, poolID string) {
		return func(t *testing.T, poolID string) {
			t.Helper()
			if _, err := userpool.Bind(t.Context(), client, poolID, set, clear); err != nil {
				t.Fatal(err)
			}
		}
	}
	hold := func(c userpool.Claims) func(t *testing.T, poolID string) {
		return func(t *testing.T, poolID string) {
			t.Helper()
			if _, err := userpool.Hold(t.Context(), client, poolID, c); err != nil {
				t.Fatal(err)
			}
		}
	}

	tests := []struct {
		name         string
		change       func(t *testing.T, poolID string)
		event        func(t *testing.T, poolID string) events.EventBridgeEvent
		wantIgnored  bool     // the event is not for this repair: the pool is not read
		wantRestored []string // slot: found → set
		wantSlots    map[userpool.Slot]string
		wantRecords  map[string]string // the PreSignUp records afterwards; nil: as after the create
		wantLog      string
		wantErr      string
	}{
		{
			name: "a raw update dropped a trigger, and the records with the tags",
			change: raw(types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
				LambdaArn: aws.String(fnTokens), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}),
			wantRestored: []string{"PreSignUp:  → " + fnSignUp},
			wantSlots:    map[userpool.Slot]string{userpool.PreSignUp: fnSignUp, userpool.PreTokenGeneration: fnTokens + " V2_0"},
			// Recorded again, with what the slot held when restored.
			wantRecords: map[string]string{"cognitrig:before:PreSignUp": "-", "cognitrig:holder:PreSignUp": "stack/app/Binding"},
			wantLog:     `"msg":"restored","user_pool_id":"POOL","holder":"stack/app/Binding","slot":"PreSignUp","found":"","set":"` + fnSignUp + `"`,
		},
		{
			name:         "a complete update set another function and another version",
			change:       complete([]userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnOther}, {Slot: userpool.PreTokenGeneration, ARN: fnTokens, Version: "V3_0"}}, nil),
			wantRestored: []string{"PreSignUp: " + fnOther + " → " + fnSignUp, "PreTokenGeneration: " + fnTokens + " V3_0 → " + fnTokens + " V2_0"},
			wantSlots:    bound,
			wantLog:      `"slot":"PreSignUp","found":"` + fnOther + `","set":"` + fnSignUp + `"`,
		},
		{
			name:      "a slot another binding took over is left alone",
			change:    hold(userpool.Claims{Holder: userpool.CLI, Set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnOther}}, TakeOver: true}),
			wantSlots: map[userpool.Slot]string{userpool.PreSignUp: fnOther},
			wantRecords: map[string]string{"cognitrig:before:PreSignUp": "-", "cognitrig:holder:PreSignUp": "stack/app/Binding",
				"cognitrig:takeover:before:PreSignUp": fnSignUp, "cognitrig:takeover:holder:PreSignUp": "cli"},
			wantLog: "not restored: `cognitrig bind` took the slot over from this binding (it holds " + fnOther + ")",
		},
		{
			name: "a slot the records say another binding holds is left alone",
			change: func(t *testing.T, poolID string) {
				t.Helper()
				hold(userpool.Claims{Holder: userpool.CLI, Release: []userpool.Slot{userpool.PreSignUp}, Force: true})(t, poolID)
				hold(userpool.Claims{Holder: userpool.CLI, Set: []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnOther}}})(t, poolID)
			},
			wantSlots:   map[userpool.Slot]string{userpool.PreSignUp: fnOther},
			wantRecords: map[string]string{"cognitrig:before:PreSignUp": "-", "cognitrig:holder:PreSignUp": "cli"},
			wantLog:     "not restored: the records say `cognitrig bind` holds the slot, not this binding (it holds " + fnOther + ")",
		},
		{
			name:        "an event for another pool does nothing",
			change:      complete(nil, []userpool.Slot{userpool.PreSignUp}),
			event:       func(t *testing.T, _ string) events.EventBridgeEvent { return updateEvent(t, "us-east-1_Other") },
			wantIgnored: true,
			wantSlots:   map[userpool.Slot]string{userpool.PreSignUp: ""},
		},
		{
			name: "the resource's own Delete is not undone",
			change: func(t *testing.T, poolID string) {
				t.Helper()
				stack{"app", r, h}.must(t, cfn.RequestDelete, props(poolID, managed))
			},
			event:       agentEvent(ua.last),
			wantIgnored: true,
			wantSlots:   map[userpool.Slot]string{userpool.PreSignUp: ""},
		},
		{
			name:         "an update by another stack's binding is repaired",
			change:       complete(nil, []userpool.Slot{userpool.PreSignUp}),
			event:        agentEvent(func() string { return "aws-sdk-go-v2/1.48.0 ua/2.1 app/" + binding.AppID("stack/two/Binding") }),
			wantRestored: []string{"PreSignUp:  → " + fnSignUp},
			wantSlots:    bound,
		},
		{
			name:   "an event of another kind fails, naming what the rule must match",
			change: complete(nil, []userpool.Slot{userpool.PreSignUp}),
			event: func(t *testing.T, poolID string) events.EventBridgeEvent {
				e := updateEvent(t, poolID)
				e.Detail = bytes.Replace(e.Detail, []byte(`"UpdateUserPool"`), []byte(`"DeleteUserPool"`), 1)
				return e
			},
			wantIgnored: true,
			wantSlots:   map[userpool.Slot]string{userpool.PreSignUp: ""},
			wantErr: `unexpected event (detail-type "AWS API Call via CloudTrail", source "aws.cognito-idp", detail.eventSource "cognito-idp.amazonaws.com", detail.eventName "DeleteUserPool"): ` +
				`the repair function handles CloudTrail's record of UpdateUserPool`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			poolID := userpooltest.CreateRichPool(t, client, "repaired")
			p := props(poolID, managed)
			stack{"app", r, h}.must(t, cfn.RequestCreate, p)
			created := records(t, client, poolID)
			tt.change(t, poolID)

			target, err := binding.ParseRepairEnv(repairEnv(t, p))
			if err != nil {
				t.Fatal(err)
			}
			api := &counting{API: client}
			logs := &bytes.Buffer{}
			rep := &binding.Repairer{API: api, Target: target, Logger: slog.New(slog.NewJSONHandler(logs, nil))}
			event := updateEvent(t, poolID)
			if tt.event != nil {
				event = tt.event(t, poolID)
			}
			restored, err := rep.Repair(t.Context(), event)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Repair error = %v, want one containing %q", err, tt.wantErr)
			}
			var got []string
			for _, x := range restored {
				got = append(got, string(x.Slot)+": "+strings.TrimSpace(x.Found.ARN+" "+x.Found.Version)+" → "+strings.TrimSpace(x.Set.ARN+" "+x.Set.Version))
			}
			if strings.Join(got, "\n") != strings.Join(tt.wantRestored, "\n") {
				t.Errorf("restored\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.wantRestored, "\n"))
			}
			if n := api.updates.Load(); n != int32(min(len(tt.wantRestored), 1)) {
				t.Errorf("the repair called UpdateUserPool %d times, want %d", n, min(len(tt.wantRestored), 1))
			}
			slots := slotsOf(*userpooltest.Describe(t, client, poolID).LambdaConfig)
			for s, want := range tt.wantSlots {
				if slots[s] != want {
					t.Errorf("%s = %q, want %q", s, slots[s], want)
				}
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), strings.ReplaceAll(tt.wantLog, "POOL", poolID)) {
				t.Errorf("the log does not contain %s:\n%s", tt.wantLog, logs.String())
			}
			wantRecords := tt.wantRecords
			if wantRecords == nil {
				wantRecords = created
			}
			for k, v := range records(t, client, poolID) {
				if strings.HasSuffix(k, ":PreSignUp") && wantRecords[k] != v {
					t.Errorf("record %s = %q, want %q", k, v, wantRecords[k])
				}
			}

			if tt.wantIgnored {
				if n := api.describes.Load(); n != 0 {
					t.Errorf("the repair read the pool %d times, want none for this event", n)
				}
				return
			}
			// Its own update is known by its User-Agent and left alone,
			// without reading the pool; the next one finds nothing to
			// repair.
			api.updates.Store(0)
			api.describes.Store(0)
			if len(restored) > 0 {
				own := agentEvent(ua.last)(t, poolID)
				if again, err := rep.Repair(t.Context(), own); err != nil || len(again) != 0 || api.describes.Load() != 0 {
					t.Errorf("the event of the repair's update (User-Agent %s) restored %v (error %v) after %d reads, want it left alone",
						ua.last(), again, err, api.describes.Load())
				}
			}
			if again, err := rep.Repair(t.Context(), updateEvent(t, poolID)); err != nil || len(again) != 0 || api.updates.Load() != 0 {
				t.Errorf("the next event restored %v (error %v) with %d UpdateUserPool calls, want nothing written", again, err, api.updates.Load())
			}
		})
	}
}

// TestAppID pins the application ID: a repair knows its binding's updates
// by it, also when the two functions run different releases.
func TestAppID(t *testing.T) {
	if got, want := binding.AppID("stack/app/Binding"), "cognitrig-binding-21a1e6d70fba"; got != want {
		t.Errorf("AppID(stack/app/Binding) = %q, want %q", got, want)
	}
	if binding.AppID("stack/app/Binding") == binding.AppID("stack/two/Binding") {
		t.Error("two holders share an application ID")
	}
}
