package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
	"github.com/cognitrig/cognitrig/pkg/userpool/userpooltest"
)

const (
	fn  = "arn:aws:lambda:us-east-1:123456789012:function:f"
	key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// useEndpoint points the SDK's default configuration at endpoint, with
// fake credentials and no shared configuration files.
func useEndpoint(t *testing.T, endpoint string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            endpoint,
		"AWS_REGION":                  mototest.Region,
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
}

// result is what one run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func (r result) check(t *testing.T, wantCode int, wantStdout, wantStderr []string) {
	t.Helper()
	if r.code != wantCode {
		t.Errorf("exit status %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, wantCode, r.stdout, r.stderr)
	}
	for _, w := range wantStdout {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout does not contain %q:\n%s", w, r.stdout)
		}
	}
	for _, w := range wantStderr {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not contain %q:\n%s", w, r.stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	// No request may leave: the endpoint answers nothing.
	useEndpoint(t, "http://127.0.0.1:1")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string
	}{
		{name: "no command", args: nil, wantCode: exitUsage, wantStderr: []string{"usage:"}},
		{name: "unknown command", args: []string{"attach"}, wantCode: exitUsage, wantStderr: []string{`unknown command "attach"`}},
		{name: "help", args: []string{"help"}, wantCode: exitOK},
		{name: "bind help", args: []string{"bind", "-h"}, wantCode: exitOK, wantStderr: []string{"-kms-key-id", "-take-over"}},
		{name: "unbind help", args: []string{"unbind", "-h"}, wantCode: exitOK, wantStderr: []string{"-force"}},
		{name: "take-over on unbind", args: []string{"unbind", "--user-pool-id", "p", "--trigger", "PreSignUp", "--take-over"}, wantCode: exitUsage, wantStderr: []string{"flag provided but not defined: -take-over"}},
		{name: "no pool", args: []string{"bind", "--trigger", "PreSignUp=" + fn}, wantCode: exitUsage, wantStderr: []string{"missing --user-pool-id"}},
		{name: "no trigger", args: []string{"bind", "--user-pool-id", "p"}, wantCode: exitUsage, wantStderr: []string{"missing --trigger"}},
		{name: "unknown flag", args: []string{"show", "--user-pool-id", "p", "--take-over"}, wantCode: exitUsage, wantStderr: []string{"flag provided but not defined: -take-over"}},
		{name: "show help", args: []string{"show", "-h"}, wantCode: exitOK, wantStderr: []string{"-check", "with --check, SLOT=ARN[:VERSION] that was bound"}},
		{name: "trigger without check", args: []string{"show", "--user-pool-id", "p", "--trigger", "PreSignUp=" + fn}, wantCode: exitUsage, wantStderr: []string{"--trigger and --kms-key-id of show need --check"}},
		{name: "key without check", args: []string{"show", "--user-pool-id", "p", "--kms-key-id", key}, wantCode: exitUsage, wantStderr: []string{"need --check"}},
		{name: "check with a slot name only", args: []string{"show", "--user-pool-id", "p", "--check", "--trigger", "PreSignUp"}, wantCode: exitUsage, wantStderr: []string{"--trigger PreSignUp: want SLOT=ARN"}},
		{name: "check with a bad version", args: []string{"show", "--user-pool-id", "p", "--check", "--trigger", "PreSignUp=" + fn + ":V2_0"}, wantCode: exitUsage, wantStderr: []string{"PreSignUp takes no version"}},
		{name: "extra argument", args: []string{"show", "--user-pool-id", "p", "PreSignUp"}, wantCode: exitUsage, wantStderr: []string{"unexpected arguments"}},
		{
			name: "unknown trigger", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignIn=" + fn}, wantCode: exitUsage,
			wantStderr: []string{`unknown trigger "PreSignIn": valid names are PreSignUp, CustomMessage, PostConfirmation`},
		},
		{name: "no ARN", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignUp"}, wantCode: exitUsage, wantStderr: []string{"want SLOT=ARN"}},
		{name: "bad ARN", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignUp=presignup"}, wantCode: exitUsage, wantStderr: []string{`"presignup" is not a Lambda function ARN`}},
		{name: "function version", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignUp=" + fn + ":3"}, wantCode: exitUsage, wantStderr: []string{"use the unqualified ARN or an alias"}},
		{name: "bad token version", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreTokenGeneration=" + fn + ":V9_0"}, wantCode: exitUsage, wantStderr: []string{"PreTokenGeneration takes version V1_0 or V2_0 or V3_0"}},
		{name: "sender version", args: []string{"bind", "--user-pool-id", "p", "--trigger", "CustomSMSSender=" + fn + ":V2_0", "--kms-key-id", key}, wantCode: exitUsage, wantStderr: []string{"CustomSMSSender takes version V1_0"}},
		{name: "version on a plain slot", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignUp=" + fn + ":V1_0"}, wantCode: exitUsage, wantStderr: []string{"PreSignUp takes no version"}},
		{name: "bad key", args: []string{"bind", "--user-pool-id", "p", "--trigger", "CustomEmailSender=" + fn, "--kms-key-id", "alias"}, wantCode: exitUsage, wantStderr: []string{"not a KMS key ARN"}},
		{name: "twice", args: []string{"bind", "--user-pool-id", "p", "--trigger", "PreSignUp=" + fn, "--trigger", "presignup=" + fn}, wantCode: exitUsage, wantStderr: []string{"PreSignUp is given twice"}},
		{name: "unbind with ARN", args: []string{"unbind", "--user-pool-id", "p", "--trigger", "PreSignUp=" + fn}, wantCode: exitUsage, wantStderr: []string{"unbind takes slot names only"}},
		{name: "unbind unknown", args: []string{"unbind", "--user-pool-id", "p", "--trigger", "Nope"}, wantCode: exitUsage, wantStderr: []string{`unknown trigger "Nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runArgs(t, tt.args...)
			r.check(t, tt.wantCode, nil, tt.wantStderr)
			if tt.wantCode == exitUsage && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing on a usage error", r.stdout)
			}
		})
	}
	t.Run("no region", func(t *testing.T) {
		t.Setenv("AWS_REGION", "")
		runArgs(t, "show", "--user-pool-id", "p").check(t, exitUsage, nil, []string{"no AWS region: set AWS_REGION"})
	})
}

func TestParseBinding(t *testing.T) {
	tests := []struct {
		in   string
		want userpool.Binding
	}{
		{"PreSignUp=" + fn, userpool.Binding{Slot: userpool.PreSignUp, ARN: fn}},
		{"PreSignUp=" + fn + ":live", userpool.Binding{Slot: userpool.PreSignUp, ARN: fn + ":live"}},
		{"PreTokenGeneration=" + fn + ":V2_0", userpool.Binding{Slot: userpool.PreTokenGeneration, ARN: fn, Version: "V2_0"}},
		{"PreTokenGenerationConfig=" + fn + ":live:V3_0", userpool.Binding{Slot: userpool.PreTokenGeneration, ARN: fn + ":live", Version: "V3_0"}},
		{"CustomEmailSender=" + fn + ":V1_0", userpool.Binding{Slot: userpool.CustomEmailSender, ARN: fn, Version: "V1_0"}},
		// Validate then says that PreSignUp takes no version.
		{"PreSignUp=" + fn + ":V2_0", userpool.Binding{Slot: userpool.PreSignUp, ARN: fn, Version: "V2_0"}},
	}
	for _, tt := range tests {
		got, err := parseBinding(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseBinding(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// createRole creates an IAM role in moto, which checks that a function's
// role exists. The module has no IAM client, so the request is signed here.
func createRole(t *testing.T, endpoint string) string {
	t.Helper()
	body := url.Values{
		"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"cognitrig-test"},
		"AssumeRolePolicyDocument": {`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`},
	}.Encode()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), "iam", mototest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK {
		t.Fatalf("CreateRole: %s: %s", resp.Status, b)
	}
	return "arn:aws:iam::123456789012:role/cognitrig-test"
}

// createFunction creates a function in moto and returns its ARN. moto
// stores the code without running it.
func createFunction(t *testing.T, client *lambda.Client, role, name string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("bootstrap")
	io.WriteString(w, "#!/bin/sh\n")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := client.CreateFunction(t.Context(), &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Role: aws.String(role), Runtime: lambdatypes.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &lambdatypes.FunctionCode{ZipFile: buf.Bytes()},
	})
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", name, err)
	}
	return aws.ToString(out.FunctionArn)
}

// startMoto starts moto_server, points the command at it, and returns its
// endpoint and clients for it.
func startMoto(t *testing.T) (string, *cip.Client, *lambda.Client) {
	t.Helper()
	endpoint := mototest.Start(t)
	useEndpoint(t, endpoint)
	cfg := mototest.Config(endpoint)
	return endpoint, cip.NewFromConfig(cfg), lambda.NewFromConfig(cfg)
}

func TestMoto(t *testing.T) {
	endpoint, cognito, lambdaClient := startMoto(t)
	poolID := userpooltest.CreateRichPool(t, cognito, "cli")
	original := userpooltest.Describe(t, cognito, poolID)
	poolARN := aws.ToString(original.Arn)
	role := createRole(t, endpoint)
	presignup := createFunction(t, lambdaClient, role, "presignup")
	tokens := createFunction(t, lambdaClient, role, "tokens")
	// custommessage already lets Cognito invoke it for this pool.
	message := createFunction(t, lambdaClient, role, "custommessage")
	if err := userpool.PermitInvoke(t.Context(), lambdaClient, poolARN, message); err != nil {
		t.Fatal(err)
	}

	permitted := func(t *testing.T, fn string) bool {
		t.Helper()
		ok, err := userpool.InvokePermitted(t.Context(), lambdaClient, poolARN, fn)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	bindArgs := []string{"bind", "--user-pool-id", poolID,
		"--trigger", "PreSignUp=" + presignup, "--trigger", "CustomMessage=" + message,
		"--trigger", "PreTokenGeneration=" + tokens + ":V2_0"}

	t.Run("dry run", func(t *testing.T) {
		r := runArgs(t, append(bindArgs, "--dry-run")...)
		want := "" +
			"user pool " + poolID + " (" + poolARN + ")\n" +
			"+ PreSignUp          " + presignup + "\n" +
			"+ CustomMessage      " + message + "\n" +
			"  PostConfirmation   " + userpooltest.PostConfirmationARN + "\n" +
			"  PreAuthentication  " + userpooltest.PreAuthenticationARN + "\n" +
			"+ PreTokenGeneration " + tokens + " V2_0\n" +
			"  UserMigration      " + userpooltest.UserMigrationARN + "\n" +
			"would let Cognito invoke " + presignup + " (policy statement cognitrig-" + poolID + ")\n" +
			"would let Cognito invoke " + tokens + " (policy statement cognitrig-" + poolID + ")\n" +
			"dry run: nothing was changed\n"
		r.check(t, exitOK, nil, nil)
		if r.stdout != want {
			t.Errorf("stdout =\n%s\nwant\n%s", r.stdout, want)
		}
		t.Logf("$ cognitrig %s --dry-run\n%s", strings.Join(bindArgs, " "), r.stdout)
		if pool := userpooltest.Describe(t, cognito, poolID); !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Error("a dry run changed the pool's triggers")
		}
		if permitted(t, presignup) || permitted(t, tokens) {
			t.Error("a dry run added a permission")
		}
	})

	t.Run("bind", func(t *testing.T) {
		r := runArgs(t, bindArgs...)
		r.check(t, exitOK, []string{
			"+ PreSignUp          " + presignup,
			"let Cognito invoke " + presignup + " (policy statement cognitrig-" + poolID + ")",
			"let Cognito invoke " + tokens,
			"updated user pool " + poolID,
		}, nil)
		if strings.Contains(r.stdout, "invoke "+message) {
			t.Errorf("bind added a permission custommessage has:\n%s", r.stdout)
		}
		pool := userpooltest.Describe(t, cognito, poolID)
		withRecords := original
		withRecords.UserPoolTags = maps.Clone(original.UserPoolTags)
		for _, s := range []string{"PreSignUp", "CustomMessage", "PreTokenGeneration"} {
			withRecords.UserPoolTags["cognitrig:before:"+s] = "-"
			withRecords.UserPoolTags["cognitrig:holder:"+s] = "cli"
		}
		userpooltest.Unchanged(t, withRecords, pool)
		lc := *pool.LambdaConfig
		if a, _ := userpool.Get(lc, userpool.PreSignUp); a != presignup {
			t.Errorf("PreSignUp = %q", a)
		}
		if a, v := userpool.Get(lc, userpool.PreTokenGeneration); a != tokens || v != "V2_0" || aws.ToString(lc.PreTokenGeneration) != tokens {
			t.Errorf("PreTokenGeneration = %q %q (legacy %q)", a, v, aws.ToString(lc.PreTokenGeneration))
		}
		if !permitted(t, presignup) || !permitted(t, tokens) {
			t.Error("bind did not let Cognito invoke the functions")
		}
	})

	t.Run("bind again", func(t *testing.T) {
		r := runArgs(t, bindArgs...)
		r.check(t, exitOK, []string{"no change: the pool already has these triggers"}, nil)
		if strings.Contains(r.stdout, "let Cognito invoke") || strings.Contains(r.stdout, "+ ") {
			t.Errorf("bind again changed something:\n%s", r.stdout)
		}
	})

	t.Run("show", func(t *testing.T) {
		r := runArgs(t, "show", "--user-pool-id", poolID)
		r.check(t, exitOK, []string{"user pool " + poolID + "\n", "  PreSignUp          " + presignup, "  PreTokenGeneration " + tokens + " V2_0"}, nil)
	})

	t.Run("unbind", func(t *testing.T) {
		r := runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp", "--trigger", "CustomMessage", "--trigger", "PreTokenGeneration")
		r.check(t, exitOK, []string{"- PreSignUp          " + presignup, "updated user pool " + poolID}, nil)
		pool := userpooltest.Describe(t, cognito, poolID)
		userpooltest.Unchanged(t, original, pool)
		if !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Error("unbind did not restore the pool's triggers")
		}
	})

	t.Run("failures", func(t *testing.T) {
		tests := []struct {
			name       string
			args       []string
			wantStderr string
		}{
			{"missing pool", []string{"show", "--user-pool-id", "us-east-1_Missing"}, "cognitrig: user pool us-east-1_Missing not found in region us-east-1"},
			{"missing pool on bind", []string{"bind", "--user-pool-id", "us-east-1_Missing", "--trigger", "PreSignUp=" + presignup}, "user pool us-east-1_Missing not found in region us-east-1"},
			{"missing function", []string{"bind", "--user-pool-id", poolID, "--trigger", "PreSignUp=" + fn}, "function " + fn + " not found"},
			{"sender without key", []string{"bind", "--user-pool-id", poolID, "--trigger", "CustomSMSSender=" + presignup}, "CustomSMSSender needs a KMS key"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				runArgs(t, tt.args...).check(t, exitFailure, nil, []string{tt.wantStderr})
			})
		}
		if pool := userpooltest.Describe(t, cognito, poolID); !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Error("a failed bind changed the pool's triggers")
		}
	})
}

func TestAccessDenied(t *testing.T) {
	denied := func(op string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			target := r.Header.Get("X-Amz-Target")
			switch {
			case strings.HasSuffix(target, "."+op), op == "GetPolicy" && strings.Contains(r.URL.Path, "/policy"):
				w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"__type": "AccessDeniedException", "message": "User is not authorized to perform `+op+`"}`)
			case strings.HasSuffix(target, ".DescribeUserPool"):
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				io.WriteString(w, `{"UserPool": {"Id": "us-east-1_Stub", "Arn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Stub", "LambdaConfig": {}}}`)
			default:
				w.WriteHeader(http.StatusNotImplemented)
			}
		}
	}
	tests := []struct {
		op   string
		args []string
		want string
	}{
		{"DescribeUserPool", []string{"show", "--user-pool-id", "us-east-1_Stub"}, "access denied: the caller needs permission cognito-idp:DescribeUserPool"},
		{"GetPolicy", []string{"bind", "--user-pool-id", "us-east-1_Stub", "--trigger", "PreSignUp=" + fn}, "access denied: the caller needs permission lambda:GetPolicy"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			srv := httptest.NewServer(denied(tt.op))
			defer srv.Close()
			useEndpoint(t, srv.URL)
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, tt.args, &stdout, &stderr)
			result{code, stdout.String(), stderr.String()}.check(t, exitFailure, nil, []string{tt.want})
		})
	}
}

// stackBinding sends the requests of the binding resource Binding of stack
// app, straight to the custom resource's handler.
type stackBinding struct {
	h      *binding.Handler
	poolID string
}

func (s stackBinding) send(t *testing.T, kind cfn.RequestType, lc map[string]any, takeOver bool) error {
	t.Helper()
	p := map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:binding", "UserPoolId": s.poolID, "LambdaConfig": lc}
	if takeOver {
		p["TakeOver"] = "true"
	}
	e := cfn.Event{RequestType: kind, RequestID: "r", ResourceType: binding.ResourceType, LogicalResourceID: "Binding",
		StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/app/0a1b2c3d", ResourceProperties: p}
	if kind != cfn.RequestCreate {
		e.PhysicalResourceID, e.OldResourceProperties = binding.PhysicalID(s.poolID), p
	}
	_, _, err := s.h.Handle(t.Context(), e)
	return err
}

func (s stackBinding) must(t *testing.T, kind cfn.RequestType, lc map[string]any, takeOver bool) {
	t.Helper()
	if err := s.send(t, kind, lc, takeOver); err != nil {
		t.Fatalf("%s of the stack's binding: %v", kind, err)
	}
}

func TestMotoStackAndCLI(t *testing.T) {
	endpoint, cognito, lambdaClient := startMoto(t)
	role := createRole(t, endpoint)
	mine := createFunction(t, lambdaClient, role, "mine")
	stackFn := "arn:aws:lambda:us-east-1:123456789012:function:stack-presignup"
	logs := &bytes.Buffer{}
	h := &binding.Handler{API: cognito, Region: mototest.Region, Logger: slog.New(slog.NewTextHandler(logs, nil))}

	// newPool returns a pool, as created, and its stack binding.
	newPool := func(t *testing.T) (string, types.UserPoolType, stackBinding) {
		poolID := userpooltest.CreateRichPool(t, cognito, "shared")
		return poolID, userpooltest.Describe(t, cognito, poolID), stackBinding{h, poolID}
	}
	preSignUp := func(t *testing.T, poolID string) string {
		t.Helper()
		a, _ := userpool.Get(*userpooltest.Describe(t, cognito, poolID).LambdaConfig, userpool.PreSignUp)
		return a
	}
	restored := func(t *testing.T, poolID string, original types.UserPoolType) {
		t.Helper()
		pool := userpooltest.Describe(t, cognito, poolID)
		userpooltest.Unchanged(t, original, pool)
		if !reflect.DeepEqual(pool.LambdaConfig, original.LambdaConfig) {
			t.Errorf("LambdaConfig = %+v, want the original", pool.LambdaConfig)
		}
	}
	stackSlot := map[string]any{"PreSignUp": stackFn}

	t.Run("bind refuses a slot a stack holds, then takes it over; unbind gives it back", func(t *testing.T) {
		poolID, original, stack := newPool(t)
		stack.must(t, cfn.RequestCreate, stackSlot, false)
		held := "PreSignUp of user pool " + poolID + " is bound by resource Binding of stack app"
		runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PreSignUp="+mine).
			check(t, exitFailure, nil, []string{held + ": pass --take-over to take the slot over"})
		runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp").
			check(t, exitFailure, nil, []string{held + ": remove it from that binding instead, or pass --force"})
		if got := preSignUp(t, poolID); got != stackFn {
			t.Fatalf("a refused command changed PreSignUp to %q", got)
		}
		runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PreSignUp="+mine, "--take-over").
			check(t, exitOK, []string{"note: PreSignUp: took the slot over from resource Binding of stack app", "updated user pool"}, nil)
		if got := preSignUp(t, poolID); got != mine {
			t.Fatalf("after bind --take-over PreSignUp = %q, want %s", got, mine)
		}
		stack.must(t, cfn.RequestUpdate, stackSlot, false) // a deploy leaves the taker's function
		if got := preSignUp(t, poolID); got != mine {
			t.Errorf("after the stack's update PreSignUp = %q, want %s", got, mine)
		}
		runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp").
			check(t, exitOK, []string{"- PreSignUp         " + mine, "+ PreSignUp         " + stackFn}, nil)
		stack.must(t, cfn.RequestDelete, stackSlot, false)
		restored(t, poolID, original)
	})

	t.Run("a stack refuses a slot the CLI holds, then takes it over", func(t *testing.T) {
		poolID, original, stack := newPool(t)
		runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PreSignUp="+mine).check(t, exitOK, nil, nil)
		err := stack.send(t, cfn.RequestCreate, stackSlot, false)
		if err == nil || !strings.Contains(err.Error(), "PreSignUp of user pool "+poolID+" is bound by `cognitrig bind`") || !strings.Contains(err.Error(), `TakeOver to "true"`) {
			t.Fatalf("the stack's create = %v, want a refusal naming cognitrig bind and TakeOver", err)
		}
		stack.must(t, cfn.RequestCreate, stackSlot, true)
		if got := preSignUp(t, poolID); got != stackFn {
			t.Fatalf("after the stack's take-over PreSignUp = %q, want %s", got, stackFn)
		}
		// Unbinding what the stack took over leaves the stack's function.
		runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp").
			check(t, exitOK, []string{"note: PreSignUp: left bound to resource Binding of stack app, which took the slot over"}, nil)
		if got := preSignUp(t, poolID); got != stackFn {
			t.Errorf("after unbind PreSignUp = %q, want the stack's %s", got, stackFn)
		}
		stack.must(t, cfn.RequestDelete, stackSlot, true)
		restored(t, poolID, original)
	})

	// Either binding may take the slot over from the other, and either be
	// let go of first.
	type actor struct {
		name string
		fn   string
		bind func(t *testing.T, poolID string, stack stackBinding, takeOver bool)
		let  func(t *testing.T, poolID string, stack stackBinding)
	}
	cli := actor{"cognitrig bind", mine,
		func(t *testing.T, poolID string, _ stackBinding, takeOver bool) {
			args := []string{"bind", "--user-pool-id", poolID, "--trigger", "PreSignUp=" + mine}
			if takeOver {
				args = append(args, "--take-over")
			}
			runArgs(t, args...).check(t, exitOK, nil, nil)
		},
		func(t *testing.T, poolID string, _ stackBinding) {
			runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp").check(t, exitOK, nil, nil)
		},
	}
	app := actor{"the stack", stackFn,
		func(t *testing.T, _ string, stack stackBinding, takeOver bool) {
			stack.must(t, cfn.RequestCreate, stackSlot, takeOver)
		},
		func(t *testing.T, _ string, stack stackBinding) { stack.must(t, cfn.RequestDelete, stackSlot, false) },
	}
	for _, tt := range []struct {
		first, taker actor
		takerFirst   bool // the taker lets go first
	}{
		{first: app, taker: cli, takerFirst: true},
		{first: app, taker: cli},
		{first: cli, taker: app, takerFirst: true},
		{first: cli, taker: app},
	} {
		order, want := "the first binding", tt.taker.fn
		if tt.takerFirst {
			order, want = "the taker", tt.first.fn
		}
		t.Run(tt.taker.name+" takes over from "+tt.first.name+", "+order+" released first", func(t *testing.T) {
			poolID, original, stack := newPool(t)
			tt.first.bind(t, poolID, stack, false)
			tt.taker.bind(t, poolID, stack, true)
			if tt.takerFirst {
				tt.taker.let(t, poolID, stack)
			} else {
				tt.first.let(t, poolID, stack)
			}
			if got := preSignUp(t, poolID); got != want {
				t.Errorf("after releasing %s PreSignUp = %q, want %s", order, got, want)
			}
			if tt.takerFirst {
				tt.first.let(t, poolID, stack)
			} else {
				tt.taker.let(t, poolID, stack)
			}
			restored(t, poolID, original)
		})
	}

	t.Run("unbind --force releases the stack's slot until its next deploy", func(t *testing.T) {
		poolID, original, stack := newPool(t)
		stack.must(t, cfn.RequestCreate, stackSlot, false)
		runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PreSignUp", "--force").
			check(t, exitOK, []string{"note: PreSignUp: released for resource Binding of stack app"}, nil)
		restored(t, poolID, original)
		stack.must(t, cfn.RequestUpdate, stackSlot, false)
		if got := preSignUp(t, poolID); got != stackFn {
			t.Errorf("after the stack's next deploy PreSignUp = %q, want %s", got, stackFn)
		}
		stack.must(t, cfn.RequestDelete, stackSlot, false)
		restored(t, poolID, original)
	})

	t.Run("unbind gives back the pool's own trigger", func(t *testing.T) {
		poolID, original, _ := newPool(t)
		runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PostConfirmation="+mine).check(t, exitOK, nil, nil)
		runArgs(t, "unbind", "--user-pool-id", poolID, "--trigger", "PostConfirmation").
			check(t, exitOK, []string{"+ PostConfirmation  " + userpooltest.PostConfirmationARN}, nil)
		restored(t, poolID, original)
	})
}

func TestMotoBindAddsTheScopedPermission(t *testing.T) {
	endpoint, cognito, lambdaClient := startMoto(t)
	poolID := userpooltest.CreateRichPool(t, cognito, "scoped")
	poolARN := aws.ToString(userpooltest.Describe(t, cognito, poolID).Arn)
	role := createRole(t, endpoint)
	open := createFunction(t, lambdaClient, role, "open")
	foreign := createFunction(t, lambdaClient, role, "foreign")
	for _, p := range []*lambda.AddPermissionInput{
		// Any pool, of any account, may have Cognito invoke it.
		{FunctionName: aws.String(open), StatementId: aws.String("cognito-any"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String(userpool.CognitoPrincipal)},
		{FunctionName: aws.String(foreign), StatementId: aws.String("cognito-other"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String(userpool.CognitoPrincipal),
			SourceArn: aws.String("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other")},
	} {
		if _, err := lambdaClient.AddPermission(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	r := runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PreSignUp="+open, "--trigger", "PostAuthentication="+foreign)
	r.check(t, exitOK, []string{
		"let Cognito invoke " + open + " (policy statement cognitrig-" + poolID + ")",
		"let Cognito invoke " + foreign + " (policy statement cognitrig-" + poolID + ")",
	}, []string{
		`warning: the resource policy of ` + open + ` lets Cognito invoke it for any user pool, of any account (statement "cognito-any"`,
		"aws lambda remove-permission --function-name " + open + " --statement-id cognito-any",
	})
	if strings.Contains(r.stderr, foreign) {
		t.Errorf("bind warned about the statement scoped to another pool:\n%s", r.stderr)
	}
	for _, fn := range []string{open, foreign} {
		if ok, err := userpool.InvokePermitted(t.Context(), lambdaClient, poolARN, fn); err != nil || !ok {
			t.Errorf("InvokePermitted(%s) = %v, %v after bind; want true", fn, ok, err)
		}
	}
}

// countingCognito passes calls to a Cognito client and counts the
// updates.
type countingCognito struct {
	userpool.API
	updates atomic.Int32
}

func (c *countingCognito) UpdateUserPool(ctx context.Context, in *cip.UpdateUserPoolInput, opts ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error) {
	c.updates.Add(1)
	return c.API.UpdateUserPool(ctx, in, opts...)
}

// updateEvent is EventBridge's event of CloudTrail's record of an
// UpdateUserPool of poolID.
func updateEvent(t *testing.T, poolID string) events.EventBridgeEvent {
	t.Helper()
	var e events.EventBridgeEvent
	err := json.Unmarshal([]byte(`{"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.cognito-idp", "region": "us-east-1",
		"detail": {"eventSource": "cognito-idp.amazonaws.com", "eventName": "UpdateUserPool", "awsRegion": "us-east-1",
		"requestParameters": {"userPoolId": "`+poolID+`"}}}`), &e)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestMotoDriftCheckAndRepair(t *testing.T) {
	endpoint, cognito, lambdaClient := startMoto(t)
	mine := createFunction(t, lambdaClient, createRole(t, endpoint), "mine")
	const (
		stackFn   = "arn:aws:lambda:us-east-1:123456789012:function:stack-presignup"
		messageFn = "arn:aws:lambda:us-east-1:123456789012:function:stack-message"
		consoleFn = "arn:aws:lambda:us-east-1:123456789012:function:console-edit"
	)
	poolID := userpooltest.CreateRichPool(t, cognito, "drift")
	logs := &bytes.Buffer{}
	stack := stackBinding{&binding.Handler{API: cognito, Region: mototest.Region, Logger: slog.New(slog.NewTextHandler(logs, nil))}, poolID}
	lc := map[string]any{"PreSignUp": stackFn, "CustomMessage": messageFn}
	stack.must(t, cfn.RequestCreate, lc, false)

	// The repair function of the stack's binding, as its environment
	// configures it.
	env := map[string]string{
		binding.EnvRepairProperties: `{"UserPoolId": "` + poolID + `", "LambdaConfig": {"PreSignUp": "` + stackFn + `", "CustomMessage": "` + messageFn + `"}, "TakeOver": "false"}`,
		binding.EnvRepairStackID:    "arn:aws:cloudformation:us-east-1:123456789012:stack/app/0a1b2c3d",
		binding.EnvRepairLogicalID:  "Binding",
	}
	target, err := binding.ParseRepairEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	api := &countingCognito{API: cognito}
	repairLogs := &bytes.Buffer{}
	repairer := &binding.Repairer{API: api, Target: target, Logger: slog.New(slog.NewJSONHandler(repairLogs, nil))}
	repair := func(t *testing.T) []binding.Restored {
		t.Helper()
		api.updates.Store(0)
		restored, err := repairer.Repair(t.Context(), updateEvent(t, poolID))
		if err != nil {
			t.Fatalf("Repair: %v", err)
		}
		return restored
	}

	check := []string{"show", "--user-pool-id", poolID, "--check"}
	asBound := append(slices.Clip(check), "--trigger", "PreSignUp="+stackFn, "--trigger", "CustomMessage="+messageFn)
	const drift = `no longer hold what was bound ("-" in the pool, "+" as bound); to restore, bind again`

	t.Run("in place", func(t *testing.T) {
		runArgs(t, check...).check(t, exitOK, []string{"  PreSignUp         " + stackFn, "in place: the records prove no drift"}, nil)
		runArgs(t, asBound...).check(t, exitOK, []string{"in place: PreSignUp, CustomMessage hold what was bound\n"}, nil)
	})

	t.Run("a missing pool fails, on stderr", func(t *testing.T) {
		r := runArgs(t, "show", "--user-pool-id", "us-east-1_Missing", "--check")
		r.check(t, exitFailure, nil, []string{"cognitrig: user pool us-east-1_Missing not found in region us-east-1"})
		if r.stdout != "" {
			t.Errorf("stdout = %q, want nothing", r.stdout)
		}
	})

	t.Run("a slot emptied by a writer that keeps the tags: the records prove it", func(t *testing.T) {
		if _, err := userpool.Bind(t.Context(), cognito, poolID, nil, []userpool.Slot{userpool.CustomMessage}); err != nil {
			t.Fatal(err)
		}
		runArgs(t, check...).check(t, exitDrift, []string{
			"+ CustomMessage     (the function of resource Binding of stack app)\n",
			"note: CustomMessage: held by resource Binding of stack app; the slot is empty, but a binding always sets a function, and the records do not name it: pass --trigger CustomMessage=ARN to compare\n",
			"drift: CustomMessage no longer holds what was bound",
		}, nil)
	})

	t.Run("a raw update: only the flags prove it", func(t *testing.T) {
		// As `aws cognito-idp update-user-pool --lambda-config PreSignUp=...`:
		// every setting the request omits is reset, the tags too.
		if _, err := cognito.UpdateUserPool(t.Context(), &cip.UpdateUserPoolInput{
			UserPoolId: aws.String(poolID), LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(consoleFn)},
		}); err != nil {
			t.Fatal(err)
		}
		runArgs(t, check...).check(t, exitOK, []string{"in place: the records prove no drift"}, nil)
		r := runArgs(t, asBound...)
		want := "user pool " + poolID + "\n" +
			"- PreSignUp     " + consoleFn + "\n" +
			"+ PreSignUp     " + stackFn + "\n" +
			"+ CustomMessage " + messageFn + "\n" +
			"note: PreSignUp: no record of who holds it (no tag cognitrig:holder:PreSignUp: bound by hand, or another writer replaced the pool's tags)\n" +
			"note: CustomMessage: no record of who holds it (no tag cognitrig:holder:CustomMessage: bound by hand, or another writer replaced the pool's tags)\n" +
			"drift: PreSignUp, CustomMessage " + drift
		r.check(t, exitDrift, nil, nil)
		if !strings.HasPrefix(r.stdout, want) || r.stderr != "" {
			t.Errorf("stdout =\n%s\nwant it to start with\n%s\nstderr: %s", r.stdout, want, r.stderr)
		}
		t.Logf("$ cognitrig %s\n%s", strings.Join(asBound, " "), r.stdout)
	})

	t.Run("the repair restores, then writes nothing", func(t *testing.T) {
		restored := repair(t)
		if len(restored) != 2 || api.updates.Load() != 1 {
			t.Errorf("the repair restored %+v with %d updates, want PreSignUp and CustomMessage with 1", restored, api.updates.Load())
		}
		runArgs(t, asBound...).check(t, exitOK, []string{"in place: PreSignUp, CustomMessage hold what was bound\n"}, nil)
		if restored := repair(t); len(restored) != 0 || api.updates.Load() != 0 {
			t.Errorf("the repair of its own update restored %+v with %d updates, want nothing written", restored, api.updates.Load())
		}
		for _, w := range []string{`"slot":"PreSignUp","found":"` + consoleFn + `","set":"` + stackFn + `"`, `"slot":"CustomMessage","found":"","set":"` + messageFn + `"`} {
			if !strings.Contains(repairLogs.String(), w) {
				t.Errorf("the repair's log does not contain %s:\n%s", w, repairLogs.String())
			}
		}
	})

	t.Run("a slot taken over is not restored", func(t *testing.T) {
		runArgs(t, "bind", "--user-pool-id", poolID, "--trigger", "PreSignUp="+mine, "--take-over").check(t, exitOK, nil, nil)
		if restored := repair(t); len(restored) != 0 || api.updates.Load() != 0 {
			t.Errorf("the repair restored %+v with %d updates, want the slot left to its taker", restored, api.updates.Load())
		}
		runArgs(t, asBound...).check(t, exitDrift, []string{
			"- PreSignUp     " + mine, "+ PreSignUp     " + stackFn,
			"note: PreSignUp: held by `cognitrig bind`, which took it over from resource Binding of stack app\n",
			"drift: PreSignUp " + strings.Replace(drift, "hold", "holds", 1),
		}, nil)
	})
}
