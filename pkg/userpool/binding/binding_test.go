package binding_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
	"github.com/cognitrig/cognitrig/pkg/userpool/userpooltest"
)

// Function and key ARNs of the tests.
const (
	fnSignUp   = "arn:aws:lambda:us-east-1:123456789012:function:presignup"
	fnMessage  = "arn:aws:lambda:us-east-1:123456789012:function:message"
	fnMessage2 = "arn:aws:lambda:us-east-1:123456789012:function:message-v2:live"
	fnPost     = "arn:aws:lambda:us-east-1:123456789012:function:postconfirmation"
	fnTokens   = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
	fnEmail    = "arn:aws:lambda:us-east-1:123456789012:function:email-sender"
	key        = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

func TestParseProperties(t *testing.T) {
	tests := []struct {
		name         string
		props        string
		want         []userpool.Binding
		wantTakeOver bool
		wantErr      string
	}{
		{
			name: "every shape",
			props: `{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:binding", "UserPoolId": "us-east-1_abc",
				"LambdaConfig": {"PreSignUp": "` + fnSignUp + `", "KMSKeyID": "` + key + `",
				"PreTokenGenerationConfig": {"LambdaArn": "` + fnTokens + `", "LambdaVersion": "V2_0"},
				"CustomEmailSender": {"LambdaArn": "` + fnEmail + `"}}}`,
			want: []userpool.Binding{
				{Slot: userpool.PreSignUp, ARN: fnSignUp},
				{Slot: userpool.PreTokenGeneration, ARN: fnTokens, Version: "V2_0"},
				{Slot: userpool.CustomEmailSender, ARN: fnEmail},
				{Slot: userpool.KMSKeyID, ARN: key},
			},
		},
		{name: "empty LambdaConfig", props: `{"UserPoolId": "us-east-1_abc", "LambdaConfig": {}}`},
		{name: "no pool", props: `{"LambdaConfig": {}}`, wantErr: "UserPoolId property is missing"},
		{name: "no LambdaConfig", props: `{"UserPoolId": "us-east-1_abc"}`, wantErr: "LambdaConfig property is missing"},
		{name: "LambdaConfig a string", props: `{"UserPoolId": "us-east-1_abc", "LambdaConfig": "x"}`, wantErr: "want an object"},
		{name: "unknown member", props: `{"UserPoolId": "p", "LambdaConfig": {"PreSignup": "` + fnSignUp + `"}}`, wantErr: `"PreSignup" is not one this resource manages: use PreSignUp, CustomMessage`},
		{name: "legacy token member", props: `{"UserPoolId": "p", "LambdaConfig": {"PreTokenGeneration": "` + fnTokens + `"}}`, wantErr: "PreTokenGenerationConfig for pre token generation"},
		{name: "object for a plain slot", props: `{"UserPoolId": "p", "LambdaConfig": {"PreSignUp": {"LambdaArn": "` + fnSignUp + `"}}}`, wantErr: "LambdaConfig.PreSignUp must be an ARN string"},
		{name: "string for an object", props: `{"UserPoolId": "p", "LambdaConfig": {"CustomSMSSender": "` + fnEmail + `"}}`, wantErr: "LambdaConfig.CustomSMSSender must be an object"},
		{name: "extra object member", props: `{"UserPoolId": "p", "LambdaConfig": {"InboundFederation": {"LambdaArn": "` + fnEmail + `", "Arn": "x"}}}`, wantErr: `unknown member "Arn"`},
		{name: "bad version", props: `{"UserPoolId": "p", "LambdaConfig": {"PreTokenGenerationConfig": {"LambdaArn": "` + fnTokens + `", "LambdaVersion": "V9"}}}`, wantErr: "takes version V1_0 or V2_0 or V3_0"},
		{name: "bad ARN", props: `{"UserPoolId": "p", "LambdaConfig": {"PreSignUp": "presignup"}}`, wantErr: "not a Lambda function ARN"},
		{name: "take over", props: `{"UserPoolId": "p", "LambdaConfig": {}, "TakeOver": "true"}`, wantTakeOver: true},
		{name: "no take-over", props: `{"UserPoolId": "p", "LambdaConfig": {}, "TakeOver": "false"}`},
		{name: "take-over not a CloudFormation string", props: `{"UserPoolId": "p", "LambdaConfig": {}, "TakeOver": true}`, wantErr: `the TakeOver property is true: give "true" to take over slots`},
		{name: "take-over neither true nor false", props: `{"UserPoolId": "p", "LambdaConfig": {}, "TakeOver": "yes"}`, wantErr: `the TakeOver property is "yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(tt.props), &m); err != nil {
				t.Fatal(err)
			}
			got, err := binding.ParseProperties(m)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ParseProperties error = %v, want one containing %q", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got.Bindings, tt.want) {
				t.Errorf("ParseProperties bindings = %+v, want %+v", got.Bindings, tt.want)
			}
			if err == nil && got.TakeOver != tt.wantTakeOver {
				t.Errorf("ParseProperties TakeOver = %v, want %v", got.TakeOver, tt.wantTakeOver)
			}
		})
	}
}

// responses is a CloudFormation response endpoint: it keeps what the
// handler PUTs.
type responses struct {
	mu  sync.Mutex
	got []cfn.Response
	url string
}

func newResponses(t *testing.T) *responses {
	r := &responses{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var resp cfn.Response
		body, _ := io.ReadAll(req.Body)
		if req.Method != http.MethodPut || json.Unmarshal(body, &resp) != nil {
			t.Errorf("response endpoint got %s %s", req.Method, body)
		}
		r.mu.Lock()
		r.got = append(r.got, resp)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL + "/response"
	return r
}

// send runs the wrapped handler on a request and returns the response it
// PUT.
func (r *responses) send(t *testing.T, h *binding.Handler, e cfn.Event) cfn.Response {
	t.Helper()
	e.ResponseURL, e.ResourceType = r.url, binding.ResourceType
	if e.LogicalResourceID == "" {
		e.LogicalResourceID = "Binding"
	}
	if e.StackID == "" {
		e.StackID = stackID("test")
	}
	if e.RequestID == "" {
		e.RequestID = "request-" + string(e.RequestType)
	}
	if reason, err := cfn.LambdaWrap(h.Handle)(t.Context(), e); err != nil {
		t.Fatalf("the wrapper failed: %s %v", reason, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) == 0 {
		t.Fatal("no response was sent")
	}
	resp := r.got[len(r.got)-1]
	r.got = nil
	return resp
}

// stackID returns the ID of the stack named name.
func stackID(name string) string {
	return "arn:aws:cloudformation:us-east-1:123456789012:stack/" + name + "/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
}

// props returns resource properties for a pool and a LambdaConfig.
func props(poolID string, lc map[string]any) map[string]any {
	return map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:binding", "UserPoolId": poolID, "LambdaConfig": lc}
}

// newHandler returns a handler and the buffer it logs to. The handler logs
// from the goroutine that calls it.
func newHandler(client userpool.API) (*binding.Handler, *bytes.Buffer) {
	logs := &bytes.Buffer{}
	return &binding.Handler{API: client, Region: mototest.Region, Logger: slog.New(slog.NewTextHandler(logs, nil))}, logs
}

// withoutTags returns pool without its tags, for comparisons.
func withoutTags(p types.UserPoolType) types.UserPoolType {
	p.UserPoolTags = nil
	return p
}

func TestMotoLifecycle(t *testing.T) {
	client := cip.NewFromConfig(mototest.Config(mototest.Start(t)))
	poolID := userpooltest.CreateRichPool(t, client, "bound")
	original := userpooltest.Describe(t, client, poolID)
	h, logs := newHandler(client)
	r := newResponses(t)

	managed := map[string]any{
		"PreSignUp":                fnSignUp,
		"CustomMessage":            fnMessage,
		"PostConfirmation":         fnPost, // replaces the pool's own
		"PreTokenGenerationConfig": map[string]any{"LambdaArn": fnTokens, "LambdaVersion": "V2_0"},
		"CustomEmailSender":        map[string]any{"LambdaArn": fnEmail, "LambdaVersion": "V1_0"},
		"KMSKeyID":                 key,
	}
	bound := map[userpool.Slot]string{
		userpool.PreSignUp: fnSignUp, userpool.CustomMessage: fnMessage, userpool.PostConfirmation: fnPost,
		userpool.PreAuthentication: userpooltest.PreAuthenticationARN, userpool.UserMigration: userpooltest.UserMigrationARN,
		userpool.PreTokenGeneration: fnTokens + " V2_0", userpool.CustomEmailSender: fnEmail + " V1_0", userpool.KMSKeyID: key,
	}
	wantTags := maps.Clone(original.UserPoolTags)
	maps.Copy(wantTags, map[string]string{
		"cognitrig:before:PreSignUp": "-", "cognitrig:before:CustomMessage": "-",
		"cognitrig:before:PostConfirmation":   userpooltest.PostConfirmationARN,
		"cognitrig:before:PreTokenGeneration": "-", "cognitrig:before:CustomEmailSender": "-", "cognitrig:before:KMSKeyID": "-",
	})
	for _, s := range []string{"PreSignUp", "CustomMessage", "PostConfirmation", "PreTokenGeneration", "CustomEmailSender", "KMSKeyID"} {
		wantTags["cognitrig:holder:"+s] = "stack/test/Binding"
	}
	physicalID := binding.PhysicalID(poolID)

	// check compares the pool with what a step wants.
	check := func(t *testing.T, wantSlots map[userpool.Slot]string, wantTags map[string]string) {
		t.Helper()
		pool := userpooltest.Describe(t, client, poolID)
		userpooltest.Unchanged(t, withoutTags(original), withoutTags(pool))
		if got := slotsOf(*pool.LambdaConfig); !reflect.DeepEqual(got, wantSlots) {
			t.Errorf("triggers =\n%v\nwant\n%v", got, wantSlots)
		}
		if !reflect.DeepEqual(pool.UserPoolTags, wantTags) {
			t.Errorf("tags =\n%v\nwant\n%v", pool.UserPoolTags, wantTags)
		}
		if c := pool.LambdaConfig; c.PreTokenGenerationConfig != nil && aws.ToString(c.PreTokenGeneration) != aws.ToString(c.PreTokenGenerationConfig.LambdaArn) {
			t.Errorf("legacy PreTokenGeneration %s differs from PreTokenGenerationConfig %s", aws.ToString(c.PreTokenGeneration), aws.ToString(c.PreTokenGenerationConfig.LambdaArn))
		}
	}
	success := func(t *testing.T, resp cfn.Response, wantID string) {
		t.Helper()
		if resp.Status != cfn.StatusSuccess || resp.PhysicalResourceID != wantID {
			t.Fatalf("response %s %q (%s), want SUCCESS %q", resp.Status, resp.PhysicalResourceID, resp.Reason, wantID)
		}
	}

	t.Run("create", func(t *testing.T) {
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props(poolID, managed)})
		success(t, resp, physicalID)
		if resp.Data["UserPoolArn"] != aws.ToString(original.Arn) {
			t.Errorf("Data = %v, want UserPoolArn %s", resp.Data, aws.ToString(original.Arn))
		}
		check(t, bound, wantTags)
	})

	t.Run("update repairs what another writer removed", func(t *testing.T) {
		if _, err := userpool.Bind(t.Context(), client, poolID, nil, []userpool.Slot{userpool.PreSignUp, userpool.CustomMessage}); err != nil {
			t.Fatal(err)
		}
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestUpdate, PhysicalResourceID: physicalID,
			ResourceProperties: props(poolID, managed), OldResourceProperties: props(poolID, managed)})
		success(t, resp, physicalID)
		check(t, bound, wantTags)
	})

	t.Run("update restores a slot no longer managed", func(t *testing.T) {
		next := maps.Clone(managed)
		delete(next, "PostConfirmation")
		next["CustomMessage"] = fnMessage2
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestUpdate, PhysicalResourceID: physicalID,
			ResourceProperties: props(poolID, next), OldResourceProperties: props(poolID, managed)})
		success(t, resp, physicalID)
		want := maps.Clone(bound)
		want[userpool.PostConfirmation] = userpooltest.PostConfirmationARN
		want[userpool.CustomMessage] = fnMessage2
		tags := maps.Clone(wantTags)
		delete(tags, "cognitrig:before:PostConfirmation")
		delete(tags, "cognitrig:holder:PostConfirmation")
		check(t, want, tags)
		managed = next
	})

	t.Run("delete restores exactly", func(t *testing.T) {
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: physicalID, ResourceProperties: props(poolID, managed)})
		success(t, resp, physicalID)
		pool := userpooltest.Describe(t, client, poolID)
		userpooltest.Unchanged(t, original, pool)
		if !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Errorf("LambdaConfig = %v, want %v", slotsOf(*pool.LambdaConfig), slotsOf(*original.LambdaConfig))
		}
	})

	t.Run("delete again changes nothing", func(t *testing.T) {
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: physicalID, ResourceProperties: props(poolID, managed)})
		success(t, resp, physicalID)
		pool := userpooltest.Describe(t, client, poolID)
		if !reflect.DeepEqual(withoutDate(pool), withoutDate(original)) {
			t.Errorf("the pool changed: %v", userpooltest.Differences(original, pool))
		}
	})

	t.Run("delete leaves a slot another writer changed", func(t *testing.T) {
		small := map[string]any{"PreSignUp": fnSignUp, "CustomMessage": fnMessage}
		success(t, r.send(t, h, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props(poolID, small)}), physicalID)
		if _, err := userpool.Bind(t.Context(), client, poolID, []userpool.Binding{{Slot: userpool.CustomMessage, ARN: fnMessage2}}, nil); err != nil {
			t.Fatal(err)
		}
		success(t, r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: physicalID, ResourceProperties: props(poolID, small)}), physicalID)
		want := slotsOf(*original.LambdaConfig)
		want[userpool.CustomMessage] = fnMessage2
		check(t, want, original.UserPoolTags)
		if !strings.Contains(logs.String(), "slot changed by another writer") || !strings.Contains(logs.String(), "slot=CustomMessage") {
			t.Errorf("the log does not say CustomMessage was left alone:\n%s", logs.String())
		}
		if _, err := userpool.Bind(t.Context(), client, poolID, nil, []userpool.Slot{userpool.CustomMessage}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("new pool on update", func(t *testing.T) {
		other := userpooltest.CreateRichPool(t, client, "other")
		otherOriginal := userpooltest.Describe(t, client, other)
		small := map[string]any{"PreSignUp": fnSignUp}
		success(t, r.send(t, h, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props(poolID, small)}), physicalID)
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestUpdate, PhysicalResourceID: physicalID,
			ResourceProperties: props(other, small), OldResourceProperties: props(poolID, small)})
		success(t, resp, binding.PhysicalID(other))
		if got := slotsOf(*userpooltest.Describe(t, client, other).LambdaConfig)[userpool.PreSignUp]; got != fnSignUp {
			t.Errorf("new pool PreSignUp = %q, want %s", got, fnSignUp)
		}
		// CloudFormation then deletes the old resource.
		success(t, r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: physicalID, ResourceProperties: props(poolID, small)}), physicalID)
		if pool := userpooltest.Describe(t, client, poolID); !reflect.DeepEqual(withoutDate(pool), withoutDate(original)) {
			t.Errorf("the old pool was not restored: %v, triggers %v", userpooltest.Differences(original, pool), slotsOf(*pool.LambdaConfig))
		}
		success(t, r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: binding.PhysicalID(other), ResourceProperties: props(other, small)}), binding.PhysicalID(other))
		if pool := userpooltest.Describe(t, client, other); !reflect.DeepEqual(withoutDate(pool), withoutDate(otherOriginal)) {
			t.Errorf("the new pool was not restored: %v", userpooltest.Differences(otherOriginal, pool))
		}
	})

	t.Run("missing pool", func(t *testing.T) {
		const missing = "us-east-1_Missing"
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestCreate, RequestID: "req-1", ResourceProperties: props(missing, map[string]any{"PreSignUp": fnSignUp})})
		if resp.Status != cfn.StatusFailed || resp.Reason != "user pool us-east-1_Missing not found in region us-east-1: check UserPoolId and the stack's region" {
			t.Errorf("response %s %q, want FAILED saying the pool is not found in the region", resp.Status, resp.Reason)
		}
		if resp.PhysicalResourceID != "req-1" {
			t.Errorf("PhysicalResourceId = %q, want the request ID", resp.PhysicalResourceID)
		}
		// The rollback deletes what the failed Create returned, and an
		// existing binding's physical ID for a deleted pool.
		for _, id := range []string{"req-1", binding.PhysicalID(missing)} {
			resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, PhysicalResourceID: id, ResourceProperties: props(missing, map[string]any{"PreSignUp": fnSignUp})})
			success(t, resp, id)
		}
	})

	t.Run("invalid properties", func(t *testing.T) {
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props(poolID, map[string]any{"PreSignup": fnSignUp})})
		if resp.Status != cfn.StatusFailed || !strings.Contains(resp.Reason, `"PreSignup" is not one this resource manages`) {
			t.Errorf("response %s %q, want FAILED naming the member", resp.Status, resp.Reason)
		}
	})
}

// withoutDate returns p without LastModifiedDate.
func withoutDate(p types.UserPoolType) types.UserPoolType {
	p.LastModifiedDate = nil
	return p
}

func TestUnknownMembersFail(t *testing.T) {
	stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if !strings.HasSuffix(req.Header.Get("X-Amz-Target"), ".DescribeUserPool") {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type": "InvalidParameterException", "message": "not expected"}`)
			return
		}
		io.WriteString(w, `{"UserPool": {"Id": "us-east-1_Stub", "Arn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Stub",
			"LambdaConfig": {"PostConfirmation": "`+fnPost+`", "PreFutureTrigger": "`+fnPost+`"}}}`)
	}))
	defer stub.Close()
	h, _ := newHandler(cip.NewFromConfig(mototest.Config(stub.URL)))
	resp := newResponses(t).send(t, h, cfn.Event{RequestType: cfn.RequestCreate, ResourceProperties: props("us-east-1_Stub", map[string]any{"PreSignUp": fnSignUp})})
	if resp.Status != cfn.StatusFailed || !strings.Contains(resp.Reason, "(LambdaConfig.PreFutureTrigger)") || !strings.Contains(resp.Reason, "nothing was changed") {
		t.Errorf("response %s %q, want FAILED naming PreFutureTrigger", resp.Status, resp.Reason)
	}
}

// slotsOf returns the slots lc holds, each with its ARN and version.
func slotsOf(lc types.LambdaConfigType) map[userpool.Slot]string {
	m := map[userpool.Slot]string{}
	for _, s := range userpool.Slots() {
		if arn, v := userpool.Get(lc, s); arn != "" {
			m[s] = strings.TrimSpace(arn + " " + v)
		}
	}
	return m
}

// records returns the pool's cognitrig tags.
func records(t *testing.T, client *cip.Client, poolID string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for k, v := range userpooltest.Describe(t, client, poolID).UserPoolTags {
		if strings.HasPrefix(k, "cognitrig:") {
			m[k] = v
		}
	}
	return m
}

// stack sends a binding resource's requests: the resource Binding of the
// stack named name.
type stack struct {
	name string
	r    *responses
	h    *binding.Handler
}

func (s stack) send(t *testing.T, kind cfn.RequestType, p map[string]any) cfn.Response {
	t.Helper()
	e := cfn.Event{RequestType: kind, StackID: stackID(s.name), ResourceProperties: p}
	if kind != cfn.RequestCreate {
		e.PhysicalResourceID = binding.PhysicalID(p["UserPoolId"].(string))
		e.OldResourceProperties = p
	}
	return s.r.send(t, s.h, e)
}

// must sends a request and fails the test unless it succeeds.
func (s stack) must(t *testing.T, kind cfn.RequestType, p map[string]any) {
	t.Helper()
	if resp := s.send(t, kind, p); resp.Status != cfn.StatusSuccess {
		t.Fatalf("%s of stack %s: %s %s", kind, s.name, resp.Status, resp.Reason)
	}
}

func TestMotoTwoBindingsOfOneSlot(t *testing.T) {
	client := cip.NewFromConfig(mototest.Config(mototest.Start(t)))
	h, _ := newHandler(client)
	r := newResponses(t)
	one, two, six := stack{"one", r, h}, stack{"two", r, h}, stack{"six", r, h}
	withTakeOver := func(p map[string]any) map[string]any {
		p = maps.Clone(p)
		p["TakeOver"] = "true"
		return p
	}

	// setUp binds PostConfirmation of a new pool with stack one, then
	// takes it over with stack two, and returns the pool.
	setUp := func(t *testing.T) (poolID string, original types.UserPoolType, p1, p2 map[string]any) {
		t.Helper()
		poolID = userpooltest.CreateRichPool(t, client, "shared")
		original = userpooltest.Describe(t, client, poolID)
		p1 = props(poolID, map[string]any{"PostConfirmation": fnPost, "PreSignUp": fnSignUp})
		p2 = withTakeOver(props(poolID, map[string]any{"PostConfirmation": fnMessage}))
		one.must(t, cfn.RequestCreate, p1)
		two.must(t, cfn.RequestCreate, p2)
		if got := slotsOf(*userpooltest.Describe(t, client, poolID).LambdaConfig)[userpool.PostConfirmation]; got != fnMessage {
			t.Fatalf("after the take-over PostConfirmation = %q, want %s", got, fnMessage)
		}
		return poolID, original, p1, p2
	}
	postConfirmation := func(t *testing.T, poolID string) string {
		t.Helper()
		return slotsOf(*userpooltest.Describe(t, client, poolID).LambdaConfig)[userpool.PostConfirmation]
	}
	restored := func(t *testing.T, poolID string, original types.UserPoolType) {
		t.Helper()
		pool := userpooltest.Describe(t, client, poolID)
		userpooltest.Unchanged(t, original, pool)
		if !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Errorf("LambdaConfig = %v, want the original %v", slotsOf(*pool.LambdaConfig), slotsOf(*original.LambdaConfig))
		}
	}

	t.Run("second binding is refused, naming the first", func(t *testing.T) {
		poolID := userpooltest.CreateRichPool(t, client, "refused")
		one.must(t, cfn.RequestCreate, props(poolID, map[string]any{"PostConfirmation": fnPost}))
		before := userpooltest.Describe(t, client, poolID)
		resp := two.send(t, cfn.RequestCreate, props(poolID, map[string]any{"PostConfirmation": fnMessage, "PreSignUp": fnSignUp}))
		for _, want := range []string{"PostConfirmation of user pool " + poolID + " is bound by resource Binding of stack one", `TakeOver to "true"`} {
			if resp.Status != cfn.StatusFailed || !strings.Contains(resp.Reason, want) {
				t.Errorf("response %s %q, want FAILED containing %q", resp.Status, resp.Reason, want)
			}
		}
		if after := userpooltest.Describe(t, client, poolID); !reflect.DeepEqual(withoutDate(after), withoutDate(before)) {
			t.Errorf("the refused binding changed the pool: %v, triggers %v", userpooltest.Differences(before, after), slotsOf(*after.LambdaConfig))
		}
		// Its rollback deletes what the failed Create returned.
		if resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestDelete, StackID: stackID("two"), PhysicalResourceID: resp.PhysicalResourceID,
			ResourceProperties: props(poolID, map[string]any{"PostConfirmation": fnMessage})}); resp.Status != cfn.StatusSuccess {
			t.Errorf("rollback delete: %s %s", resp.Status, resp.Reason)
		}
		if after := userpooltest.Describe(t, client, poolID); !reflect.DeepEqual(withoutDate(after), withoutDate(before)) {
			t.Errorf("the rollback changed the pool: %v", userpooltest.Differences(before, after))
		}
	})

	t.Run("taker deleted first gives the slot back to the first binding", func(t *testing.T) {
		poolID, original, p1, p2 := setUp(t)
		two.must(t, cfn.RequestDelete, p2)
		if got := postConfirmation(t, poolID); got != fnPost {
			t.Errorf("after deleting the taker PostConfirmation = %q, want stack one's %s", got, fnPost)
		}
		one.must(t, cfn.RequestUpdate, p1) // a deploy of stack one finds its slot its own
		one.must(t, cfn.RequestDelete, p1)
		restored(t, poolID, original)
	})

	t.Run("first binding deleted first leaves the taker's function", func(t *testing.T) {
		poolID, original, p1, p2 := setUp(t)
		one.must(t, cfn.RequestDelete, p1)
		if got := postConfirmation(t, poolID); got != fnMessage {
			t.Errorf("after deleting the first binding PostConfirmation = %q, want the taker's %s", got, fnMessage)
		}
		two.must(t, cfn.RequestUpdate, p2)
		two.must(t, cfn.RequestDelete, p2)
		restored(t, poolID, original)
	})

	t.Run("first binding's update leaves the taker's function and changes what comes back", func(t *testing.T) {
		poolID, original, p1, p2 := setUp(t)
		next := withTakeOver(props(poolID, map[string]any{"PostConfirmation": fnTokens, "PreSignUp": fnSignUp}))
		resp := r.send(t, h, cfn.Event{RequestType: cfn.RequestUpdate, StackID: stackID("one"), PhysicalResourceID: binding.PhysicalID(poolID),
			ResourceProperties: next, OldResourceProperties: p1})
		if resp.Status != cfn.StatusSuccess {
			t.Fatalf("update: %s %s", resp.Status, resp.Reason)
		}
		if got := postConfirmation(t, poolID); got != fnMessage {
			t.Errorf("after stack one's update PostConfirmation = %q, want the taker's %s", got, fnMessage)
		}
		two.must(t, cfn.RequestDelete, p2)
		if got := postConfirmation(t, poolID); got != fnTokens {
			t.Errorf("after deleting the taker PostConfirmation = %q, want stack one's new %s", got, fnTokens)
		}
		one.must(t, cfn.RequestDelete, next)
		restored(t, poolID, original)
	})

	t.Run("third take-over is refused", func(t *testing.T) {
		poolID, _, _, _ := setUp(t)
		resp := six.send(t, cfn.RequestCreate, withTakeOver(props(poolID, map[string]any{"PostConfirmation": fnEmail})))
		if resp.Status != cfn.StatusFailed || !strings.Contains(resp.Reason, "was already taken over: resource Binding of stack two holds it, taken over from resource Binding of stack one") {
			t.Errorf("response %s %q, want FAILED naming both bindings", resp.Status, resp.Reason)
		}
	})

	t.Run("records in the tags", func(t *testing.T) {
		poolID, original, p1, _ := setUp(t)
		want := map[string]string{
			"cognitrig:before:PostConfirmation": userpooltest.PostConfirmationARN, "cognitrig:holder:PostConfirmation": "stack/one/Binding",
			"cognitrig:takeover:before:PostConfirmation": fnPost, "cognitrig:takeover:holder:PostConfirmation": "stack/two/Binding",
			"cognitrig:before:PreSignUp": "-", "cognitrig:holder:PreSignUp": "stack/one/Binding",
		}
		if got := records(t, client, poolID); !reflect.DeepEqual(got, want) {
			t.Errorf("records =\n%v\nwant\n%v", got, want)
		}
		one.must(t, cfn.RequestDelete, p1)
		want = map[string]string{"cognitrig:before:PostConfirmation": userpooltest.PostConfirmationARN, "cognitrig:holder:PostConfirmation": "stack/two/Binding"}
		if got := records(t, client, poolID); !reflect.DeepEqual(got, want) {
			t.Errorf("after deleting stack one, records =\n%v\nwant\n%v", got, want)
		}
		if pool := userpooltest.Describe(t, client, poolID); pool.UserPoolTags["team"] != original.UserPoolTags["team"] {
			t.Errorf("the pool's own tags changed: %v", pool.UserPoolTags)
		}
	})
}

// writeEarlierRecord binds slot to arn and records before in the tag an
// earlier cognitrig release wrote, without a holder.
func writeEarlierRecord(t *testing.T, client *cip.Client, poolID string, slot userpool.Slot, arn, before string) {
	t.Helper()
	_, err := userpool.Modify(t.Context(), client, poolID, func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		in.UserPoolTags[binding.TagPrefix+string(slot)] = before
		_, err := userpool.Apply(in.LambdaConfig, []userpool.Binding{{Slot: slot, ARN: arn}}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMotoBindingsOfAnEarlierRelease(t *testing.T) {
	client := cip.NewFromConfig(mototest.Config(mototest.Start(t)))
	h, _ := newHandler(client)
	r := newResponses(t)
	one, two := stack{"one", r, h}, stack{"two", r, h}

	t.Run("update adopts the record and delete restores", func(t *testing.T) {
		poolID := userpooltest.CreateRichPool(t, client, "earlier")
		original := userpooltest.Describe(t, client, poolID)
		writeEarlierRecord(t, client, poolID, userpool.PostConfirmation, fnPost, userpooltest.PostConfirmationARN)
		p := props(poolID, map[string]any{"PostConfirmation": fnPost})
		one.must(t, cfn.RequestUpdate, p)
		want := map[string]string{"cognitrig:before:PostConfirmation": userpooltest.PostConfirmationARN, "cognitrig:holder:PostConfirmation": "stack/one/Binding"}
		if got := records(t, client, poolID); !reflect.DeepEqual(got, want) {
			t.Errorf("records = %v, want %v", got, want)
		}
		one.must(t, cfn.RequestDelete, p)
		if pool := userpooltest.Describe(t, client, poolID); !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) || !reflect.DeepEqual(pool.UserPoolTags, original.UserPoolTags) {
			t.Errorf("LambdaConfig %v, tags %v; want the original", slotsOf(*pool.LambdaConfig), pool.UserPoolTags)
		}
	})

	t.Run("two earlier bindings deleted in turn restore the pool", func(t *testing.T) {
		// Stack one bound the slot first and recorded the pool's own
		// function; stack two then overwrote the slot and recorded nothing.
		poolID := userpooltest.CreateRichPool(t, client, "earlier-two")
		original := userpooltest.Describe(t, client, poolID)
		writeEarlierRecord(t, client, poolID, userpool.PostConfirmation, fnMessage, userpooltest.PostConfirmationARN)
		one.must(t, cfn.RequestDelete, props(poolID, map[string]any{"PostConfirmation": fnPost}))
		if got := slotsOf(*userpooltest.Describe(t, client, poolID).LambdaConfig)[userpool.PostConfirmation]; got != fnMessage {
			t.Errorf("after deleting stack one PostConfirmation = %q, want stack two's %s", got, fnMessage)
		}
		two.must(t, cfn.RequestDelete, props(poolID, map[string]any{"PostConfirmation": fnMessage}))
		pool := userpooltest.Describe(t, client, poolID)
		if !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) || !reflect.DeepEqual(pool.UserPoolTags, original.UserPoolTags) {
			t.Errorf("LambdaConfig %v, tags %v; want the original", slotsOf(*pool.LambdaConfig), pool.UserPoolTags)
		}
	})

	t.Run("a new binding of the slot is refused, naming the earlier release", func(t *testing.T) {
		poolID := userpooltest.CreateRichPool(t, client, "earlier-new")
		writeEarlierRecord(t, client, poolID, userpool.PostConfirmation, fnPost, userpooltest.PostConfirmationARN)
		resp := two.send(t, cfn.RequestCreate, props(poolID, map[string]any{"PostConfirmation": fnMessage}))
		if resp.Status != cfn.StatusFailed || !strings.Contains(resp.Reason, "is bound by a binding of an earlier cognitrig release") {
			t.Errorf("response %s %q, want FAILED naming the earlier release", resp.Status, resp.Reason)
		}
	})
}
