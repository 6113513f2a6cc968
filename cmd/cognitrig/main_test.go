package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/cognitrig/cognitrig/pkg/mototest"
	"github.com/cognitrig/cognitrig/pkg/userpool"
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
		{name: "bind help", args: []string{"bind", "-h"}, wantCode: exitOK, wantStderr: []string{"-kms-key-id"}},
		{name: "no pool", args: []string{"bind", "--trigger", "PreSignUp=" + fn}, wantCode: exitUsage, wantStderr: []string{"missing --user-pool-id"}},
		{name: "no trigger", args: []string{"bind", "--user-pool-id", "p"}, wantCode: exitUsage, wantStderr: []string{"missing --trigger"}},
		{name: "unknown flag", args: []string{"show", "--user-pool-id", "p", "--trigger", "x"}, wantCode: exitUsage, wantStderr: []string{"flag provided but not defined: -trigger"}},
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

func TestMoto(t *testing.T) {
	endpoint := mototest.Start(t)
	useEndpoint(t, endpoint)
	cfg := mototest.Config(endpoint)
	cognito, lambdaClient := cip.NewFromConfig(cfg), lambda.NewFromConfig(cfg)
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
		userpooltest.Unchanged(t, original, pool)
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
