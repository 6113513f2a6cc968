package userpool_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// stubPool is the DescribeUserPool response of the stub tests, with the
// LambdaConfig left open.
const stubPool = `{"UserPool": {"Id": "us-east-1_Stub", "Name": "stub",
	"Arn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Stub",
	"UserPoolTags": {"team": "identity"}, "DeletionProtection": "ACTIVE",
	"LambdaConfig": %s}}`

// stubCognito is a Cognito endpoint that answers each operation with the
// function of that name and records the requests.
type stubCognito struct {
	mu       sync.Mutex
	answer   map[string]func(n int) (status int, body string)
	requests map[string][]string // operation → request bodies
}

func (s *stubCognito) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests[op] = append(s.requests[op], string(body))
	n := len(s.requests[op])
	s.mu.Unlock()
	status, out := http.StatusBadRequest, `{"__type": "InvalidParameterException", "message": "unexpected operation"}`
	if f := s.answer[op]; f != nil {
		status, out = f(n)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	io.WriteString(w, out)
}

func (s *stubCognito) calls(op string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// newStub starts a stub Cognito and returns a real client pointed at it.
func newStub(t *testing.T, answer map[string]func(n int) (int, string)) (*stubCognito, *cip.Client) {
	t.Helper()
	s := &stubCognito{answer: answer, requests: map[string][]string{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, cip.NewFromConfig(mototest.Config(srv.URL))
}

func ok(body string) func(int) (int, string) {
	return func(int) (int, string) { return http.StatusOK, body }
}

func TestBindRefusesUnknownMembers(t *testing.T) {
	tests := []struct {
		name        string
		lambda      string
		wantMembers []string
	}{
		{
			name:        "top level",
			lambda:      `{"PreSignUp": "` + fnA + `", "PreFutureTrigger": "` + fnB + `"}`,
			wantMembers: []string{"LambdaConfig.PreFutureTrigger"},
		},
		{
			name:        "nested and top level",
			lambda:      `{"PreTokenGenerationConfig": {"LambdaArn": "` + fnA + `", "LambdaVersion": "V2_0", "Timeout": "3"}, "ZTrigger": {"LambdaArn": "x"}}`,
			wantMembers: []string{"LambdaConfig.PreTokenGenerationConfig.Timeout", "LambdaConfig.ZTrigger"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub, client := newStub(t, map[string]func(int) (int, string){
				"DescribeUserPool": ok(strings.Replace(stubPool, "%s", tt.lambda, 1)),
				"UpdateUserPool":   ok("{}"),
			})
			for _, opts := range [][]userpool.Option{nil, {userpool.DryRun()}} {
				_, err := userpool.Bind(t.Context(), client, "us-east-1_Stub",
					[]userpool.Binding{{Slot: userpool.CustomMessage, ARN: fnA}}, nil, opts...)
				unknown, isUnknown := errors.AsType[*userpool.UnknownMembersError](err)
				if !isUnknown {
					t.Fatalf("Bind (%d options) = %v, want an *UnknownMembersError", len(opts), err)
				}
				if !slices.Equal(unknown.Members, tt.wantMembers) {
					t.Errorf("Members = %q, want %q", unknown.Members, tt.wantMembers)
				}
				for _, m := range tt.wantMembers {
					if !strings.Contains(err.Error(), m) || !strings.Contains(err.Error(), "nothing was changed") {
						t.Errorf("error %q does not name %s or say nothing was changed", err, m)
					}
				}
			}
			if n := len(stub.calls("UpdateUserPool")); n != 0 {
				t.Errorf("UpdateUserPool was called %d times, want none", n)
			}
			if _, err := userpool.Show(t.Context(), client, "us-east-1_Stub"); !isType[*userpool.UnknownMembersError](err) {
				t.Errorf("Show = %v, want an *UnknownMembersError", err)
			}
		})
	}
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

func TestBindRefusesUnknownSettings(t *testing.T) {
	// pool is a DescribeUserPool response with extra members.
	pool := func(extra string) string {
		return `{"UserPool": {"Id": "us-east-1_Stub", "Name": "stub",
			"Arn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Stub",
			"UserPoolTags": {"team": "identity", "FutureTagLooksLikeAMember": "x"}, "LambdaConfig": {}` + extra + `}}`
	}
	tests := []struct {
		name        string
		body        string
		wantMembers []string // nil: Bind writes
	}{
		{
			name: "top level and nested",
			body: pool(`, "FutureSetting": {"Mode": "ON"},
				"EmailConfiguration": {"EmailSendingAccount": "DEVELOPER", "FutureOption": "x"}`),
			wantMembers: []string{"EmailConfiguration.FutureOption", "FutureSetting"},
		},
		{
			name: "in the elements of a list, once",
			body: pool(`, "SchemaAttributes": [{"Name": "sub", "FutureFlag": true}, {"Name": "email", "FutureFlag": false}],
				"AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1, "Weight": 2}]}`),
			wantMembers: []string{"AccountRecoverySetting.RecoveryMechanisms[].Weight", "SchemaAttributes[].FutureFlag"},
		},
		{
			name:        "deep in a nested object",
			body:        pool(`, "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true, "InviteMessageTemplate": {"EmailMessage": "{####}", "WebMessage": "x"}}`),
			wantMembers: []string{"AdminCreateUserConfig.InviteMessageTemplate.WebMessage"},
		},
		{
			// Members of UpdateUserPool's request, not of the pool.
			name:        "UserPoolId and PoolName",
			body:        pool(`, "UserPoolId": "us-east-1_Stub", "PoolName": "stub"`),
			wantMembers: []string{"PoolName", "UserPoolId"},
		},
		{
			name: "known members, timestamps and nulls",
			body: pool(`, "CreationDate": 1.7e9, "SmsConfiguration": null, "SchemaAttributes": [{"Name": "sub", "StringAttributeConstraints": {"MinLength": "1"}}]`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub, client := newStub(t, map[string]func(int) (int, string){
				"DescribeUserPool": ok(tt.body),
				"UpdateUserPool":   ok("{}"),
			})
			_, err := userpool.Bind(t.Context(), client, "us-east-1_Stub", []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}}, nil)
			if tt.wantMembers == nil {
				if err != nil || len(stub.calls("UpdateUserPool")) != 1 {
					t.Errorf("Bind = %v with %d updates, want one update", err, len(stub.calls("UpdateUserPool")))
				}
				return
			}
			unknown, isUnknown := errors.AsType[*userpool.UnknownMembersError](err)
			if !isUnknown {
				t.Fatalf("Bind = %v, want an *UnknownMembersError", err)
			}
			if !slices.Equal(unknown.Members, tt.wantMembers) {
				t.Errorf("Members = %q, want %q", unknown.Members, tt.wantMembers)
			}
			for _, want := range append(tt.wantMembers, "nothing was changed", "upgrade cognitrig") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if n := len(stub.calls("UpdateUserPool")); n != 0 {
				t.Errorf("UpdateUserPool was called %d times, want none", n)
			}
		})
	}
}

func TestBindWritesNothingWithoutAChange(t *testing.T) {
	// A member the SDK cannot represent does not matter when nothing is
	// written.
	stub, client := newStub(t, map[string]func(int) (int, string){
		"DescribeUserPool": ok(strings.Replace(stubPool, "%s", `{"PreSignUp": "`+fnA+`", "PreFutureTrigger": "x"}`, 1)),
	})
	ch, err := userpool.Bind(t.Context(), client, "us-east-1_Stub", []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}}, nil)
	if err != nil || ch.Changed || ch.Written {
		t.Errorf("Bind = %+v, %v; want no change, no error", ch, err)
	}
	if n := len(stub.calls("UpdateUserPool")); n != 0 {
		t.Errorf("UpdateUserPool was called %d times, want none", n)
	}
}

func TestBindRetriesConcurrentModification(t *testing.T) {
	const conflict = `{"__type": "ConcurrentModificationException", "message": "the pool was modified"}`
	tests := []struct {
		name         string
		conflicts    int // UpdateUserPool answers conflict this many times first
		wantErr      string
		wantUpdates  int
		wantDescribe int
	}{
		{name: "once", conflicts: 1, wantUpdates: 2, wantDescribe: 2},
		{name: "every time", conflicts: 100, wantErr: "other writers kept changing the pool (3 attempts)", wantUpdates: 3, wantDescribe: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub, client := newStub(t, map[string]func(int) (int, string){
				// Each read returns a different pool, as another writer would leave it.
				"DescribeUserPool": func(n int) (int, string) {
					return http.StatusOK, strings.Replace(stubPool, "%s", `{"UserMigration": "`+fnA+`-`+string(rune('a'+n))+`"}`, 1)
				},
				"UpdateUserPool": func(n int) (int, string) {
					if n <= tt.conflicts {
						return http.StatusBadRequest, conflict
					}
					return http.StatusOK, "{}"
				},
			})
			ch, err := userpool.Bind(t.Context(), client, "us-east-1_Stub",
				[]userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnB}}, nil, userpool.WithRetries(3, time.Millisecond))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Bind error = %v, want one containing %q", err, tt.wantErr)
			}
			if got := len(stub.calls("UpdateUserPool")); got != tt.wantUpdates {
				t.Errorf("UpdateUserPool called %d times, want %d", got, tt.wantUpdates)
			}
			if got := len(stub.calls("DescribeUserPool")); got != tt.wantDescribe {
				t.Errorf("DescribeUserPool called %d times, want %d", got, tt.wantDescribe)
			}
			if err != nil {
				return
			}
			// The last write carries what the last read returned.
			updates := stub.calls("UpdateUserPool")
			var last struct{ LambdaConfig map[string]any }
			if err := json.Unmarshal([]byte(updates[len(updates)-1]), &last); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"UserMigration": fnA + "-c", "PreSignUp": fnB}
			if !reflect.DeepEqual(last.LambdaConfig, want) {
				t.Errorf("last UpdateUserPool LambdaConfig = %v, want %v", last.LambdaConfig, want)
			}
			if !ch.Written || ch.Attempts != 2 {
				t.Errorf("Change = %+v, want written on attempt 2", ch)
			}
		})
	}
}

func TestBindPoolNotFound(t *testing.T) {
	_, client := newStub(t, map[string]func(int) (int, string){
		"DescribeUserPool": func(int) (int, string) {
			return http.StatusBadRequest, `{"__type": "ResourceNotFoundException", "message": "User pool us-east-1_Gone does not exist."}`
		},
	})
	_, err := userpool.Bind(t.Context(), client, "us-east-1_Gone", []userpool.Binding{{Slot: userpool.PreSignUp, ARN: fnA}}, nil)
	if !errors.Is(err, userpool.ErrPoolNotFound) || !strings.Contains(err.Error(), "us-east-1_Gone") {
		t.Errorf("Bind = %v, want ErrPoolNotFound naming the pool", err)
	}
}

// TestWireNamesAreFieldNames checks what the check for unknown members
// relies on: the SDK sends each LambdaConfig member under its Go field name.
func TestWireNamesAreFieldNames(t *testing.T) {
	stub, client := newStub(t, map[string]func(int) (int, string){
		"DescribeUserPool": ok(strings.Replace(stubPool, "%s", "{}", 1)),
		"UpdateUserPool":   ok("{}"),
	})
	if _, err := userpool.Bind(t.Context(), client, "us-east-1_Stub", everySlot(), nil); err != nil {
		t.Fatal(err)
	}
	var req struct {
		LambdaConfig map[string]json.RawMessage
		UserPoolTags map[string]string
	}
	if err := json.Unmarshal([]byte(stub.calls("UpdateUserPool")[0]), &req); err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[types.LambdaConfigType]()
	var fields []string
	for i := range typ.NumField() {
		if typ.Field(i).IsExported() {
			fields = append(fields, typ.Field(i).Name)
		}
	}
	var keys []string
	for k := range req.LambdaConfig {
		keys = append(keys, k)
	}
	slices.Sort(fields)
	slices.Sort(keys)
	if !slices.Equal(keys, fields) {
		t.Errorf("UpdateUserPool sent LambdaConfig members %q, want the field names %q", keys, fields)
	}
	if req.UserPoolTags["team"] != "identity" {
		t.Errorf("UpdateUserPool sent tags %v, want the pool's", req.UserPoolTags)
	}
}
