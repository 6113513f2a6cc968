package devstack_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/cognitolocal/cognitolocaltest"
	"github.com/cognitrig/cognitrig/internal/devstack"
	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

// code is the code cognito-local puts in every message of the test.
const code = "424242"

// startStack starts the whole local stack on free ports. cognito-local
// comes from tools/node_modules (npm ci in tools, which make test runs first).
func startStack(t *testing.T) *devstack.Stack {
	t.Helper()
	st, _ := startStackIn(t, t.TempDir(), false)
	return st
}

// startStackIn starts the stack with its data in dir, keeping what an
// earlier start left there unless clean. It returns the stack and a stop
// function, which the test's end calls too.
func startStackIn(t *testing.T, dir string, clean bool) (*devstack.Stack, func()) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tools := cognitolocaltest.Tools(t)
	emulator, err := rietest.Emulator(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	st, err := devstack.Start(ctx, devstack.Config{Root: root, Dir: dir, Emulator: emulator, Tools: tools, Code: code, Clean: clean})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			if err := st.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return st, stop
}

// The user-pool API of cognito-local, through the real SDK client, with
// the triggers served by the local Lambda endpoint.
func TestEndToEnd(t *testing.T) {
	st := startStack(t)
	cfg := devstack.AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	idp := cip.NewFromConfig(cfg)
	// The stack's app client allows passwordless sign-in only; the password
	// sign-ins below, cognito-local's own flow, need a client that allows
	// them.
	pc, err := idp.CreateUserPoolClient(t.Context(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(st.UserPoolID), ClientName: aws.String("password"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	passwordClient := pc.UserPoolClient.ClientId
	ctx := t.Context()
	signUp := func(email string) error {
		_, err := idp.SignUp(ctx, &cip.SignUpInput{
			ClientId: aws.String(st.ClientID), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}, {Name: aws.String("given_name"), Value: aws.String("Jane")}},
		})
		return err
	}

	t.Run("sign-up refused by the pre sign-up policy", func(t *testing.T) {
		err := signUp("someone@" + devstack.BlockedDomain)
		var denied *types.UserLambdaValidationException
		if !errors.As(err, &denied) || !strings.Contains(err.Error(), "PreSignUp failed with error Sign-up with this email address is not allowed.") {
			t.Fatalf("SignUp = %v, want UserLambdaValidationException from PreSignUp", err)
		}
	})

	t.Run("sign-up accepted and confirmed by the policy", func(t *testing.T) {
		email := "jane@" + devstack.AllowedDomain
		if err := signUp(email); err != nil {
			t.Fatal(err)
		}
		u, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(st.UserPoolID), Username: aws.String(email)})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("user status %s, want CONFIRMED", u.UserStatus)
		}
		out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: passwordClient,
			AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": "Local-Passw0rd!"},
		})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("InitiateAuth = %v, want tokens", err)
		}
	})

	t.Run("custom message, then confirm, default group, tenant claim", func(t *testing.T) {
		email := "juan@other.example"
		_, err := idp.SignUp(ctx, &cip.SignUpInput{
			ClientId: aws.String(st.ClientID), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}, {Name: aws.String("custom:tenant"), Value: aws.String("tenant-7")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		logs, err := os.ReadFile(filepath.Join(st.Logs, "cognito-local.log"))
		if err != nil {
			t.Fatal(err)
		}
		clean := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(string(logs), "")
		if !strings.Contains(clean, devstack.AppName) || !strings.Contains(clean, code) {
			t.Errorf("cognito-local's log does not show the custom message with the app name and the code:\n%s", clean)
		}
		if _, err := idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(st.ClientID), Username: aws.String(email), ConfirmationCode: aws.String(code)}); err != nil {
			t.Fatal(err)
		}
		// The code went to the address: it is verified now, as in Cognito.
		got, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(st.UserPoolID), Username: aws.String(email)})
		if err != nil {
			t.Fatal(err)
		}
		verified := false
		for _, a := range got.UserAttributes {
			verified = verified || (aws.ToString(a.Name) == "email_verified" && aws.ToString(a.Value) == "true")
		}
		if !verified {
			t.Errorf("after ConfirmSignUp the attributes are %v, want email_verified true", got.UserAttributes)
		}
		out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: passwordClient,
			AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": "Local-Passw0rd!"},
		})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("InitiateAuth = %v, want tokens", err)
		}
		// cognito-local lists groups by the username itself, not by an
		// alias such as the email address, as Cognito would.
		u, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(st.UserPoolID), Username: aws.String(email)})
		if err != nil {
			t.Fatal(err)
		}
		groups, err := idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(st.UserPoolID), Username: u.Username})
		if err != nil || len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != devstack.DefaultGroup {
			t.Errorf("groups after confirmation: %v, %v; want [%s] (post confirmation)", groups, err, devstack.DefaultGroup)
		}
		if claims := idTokenClaims(t, aws.ToString(out.AuthenticationResult.IdToken)); claims[devstack.TenantClaim] != "tenant-7" {
			t.Errorf("ID token claim %s = %v, want tenant-7 (pre token generation)", devstack.TenantClaim, claims[devstack.TenantClaim])
		}
	})

	// make demo's script, on the same stack. Its output shows the code,
	// so it stays out of the test's output.
	t.Run("each pool's own LambdaConfig", func(t *testing.T) {
		out, err := idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(st.UserPoolID)})
		if err != nil {
			t.Fatal(err)
		}
		lc := out.UserPool.LambdaConfig
		if lc == nil || aws.ToString(lc.PreSignUp) != devstack.FunctionARN("presignup") || aws.ToString(lc.DefineAuthChallenge) != devstack.FunctionARN("defineauth") {
			t.Fatalf("the stack's pool has LambdaConfig %+v, want the stack's functions", lc)
		}
		// A pool that binds nothing runs no trigger: the pre sign-up
		// policy does not refuse the blocked domain there.
		other, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("no-triggers"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
		if err != nil {
			t.Fatal(err)
		}
		client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: other.UserPool.Id, ClientName: aws.String("app")})
		if err != nil {
			t.Fatal(err)
		}
		email := "someone@" + devstack.BlockedDomain
		if _, err := idp.SignUp(ctx, &cip.SignUpInput{
			ClientId: client.UserPoolClient.ClientId, Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
		}); err != nil {
			t.Errorf("SignUp on a pool without triggers: %v", err)
		}
		if _, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: client.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": email},
		}); err == nil || !strings.Contains(err.Error(), "Custom auth lambda trigger is not configured") {
			t.Errorf("CUSTOM_AUTH on a pool without triggers: %v, want InvalidParameterException", err)
		}
	})

	t.Run("demo", func(t *testing.T) {
		var out bytes.Buffer
		res, err := st.Demo(ctx, &out)
		if err != nil {
			t.Fatalf("Demo: %v", err)
		}
		if !strings.HasPrefix(res.Denial, "UserLambdaValidationException: PreSignUp failed with error ") {
			t.Errorf("denial %q, want Cognito's form", res.Denial)
		}
		if !strings.Contains(res.MessageSubject, devstack.AppName) || !slices.Contains(res.MessageFields, "Email Message") {
			t.Errorf("custom message subject %q, fields %v; want the app's subject and an email body", res.MessageSubject, res.MessageFields)
		}
		if res.Parameters["channel"] != "email" || res.Parameters["destination"] != "j***@e***.org" || res.Parameters["codeLength"] != "6" {
			t.Errorf("public parameters %v", res.Parameters)
		}
		if !res.WrongAnswerRetried || !res.Tokens {
			t.Errorf("wrong answer retried %v, tokens %v; want both", res.WrongAnswerRetried, res.Tokens)
		}
		if !strings.Contains(out.String(), "Summary:") {
			t.Error("the demo printed no summary")
		}
	})
}

// idTokenClaims decodes the payload of a JWT, without checking it.
func idTokenClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatal("the ID token is not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}
