package authfront_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/authfront"
	"github.com/cognitrig/cognitrig/internal/cognitolocal"
	"github.com/cognitrig/cognitrig/internal/cognitolocal/cognitolocaltest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The answer the test's create auth challenge expects.
const secret = "s3cret-answer"

// failing is a function that fails every invocation.
type failing struct{ msg string }

func (f failing) Invoke(context.Context, []byte) ([]byte, error) { return nil, errors.New(f.msg) }

// functions returns the test's custom-auth functions: one challenge a
// round, the answer secret, three rounds at most; and a pre token
// generation function adding a claim.
func functions() map[trigger.Kind]lambda.Handler {
	quiet := trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelError))
	return map[trigger.Kind]lambda.Handler{
		trigger.KindDefineAuthChallenge: trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error {
			s := ev.Request.Session
			switch {
			case len(s) > 0 && s[len(s)-1].ChallengeResult:
				ev.Response.Issue()
			case len(s) >= 3:
				ev.Response.Fail()
			default:
				ev.Response.Challenge(trigger.ChallengeCustom)
			}
			return nil
		}, quiet),
		trigger.KindCreateAuthChallenge: trigger.CreateAuthChallenge(func(_ context.Context, ev *trigger.CreateAuthChallengeEvent) error {
			ev.Response.PublicChallengeParameters = map[string]string{"hint": "the secret"}
			ev.Response.PrivateChallengeParameters = map[string]string{"answer": secret}
			return nil
		}, quiet),
		trigger.KindVerifyAuthChallenge: trigger.VerifyAuthChallenge(func(_ context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
			ev.Response.SetAnswerCorrect(!ev.Request.UserNotFound && ev.Request.ChallengeAnswer == ev.Request.PrivateChallengeParameters["answer"])
			return nil
		}, quiet),
		trigger.KindPreTokenGeneration: trigger.PreTokenGeneration(func(_ context.Context, ev *trigger.PreTokenGenerationEvent) error {
			ev.Response.ClaimsOverrideDetails = &trigger.ClaimsOverrideDetails{ClaimsToAddOrOverride: map[string]string{"plan": "gold"}}
			return nil
		}, quiet),
	}
}

// env is a front before a cognito-local of its own, with a pool, an app
// client (PreventUserExistenceErrors on, sessions of 3 minutes) and a
// confirmed user.
type env struct {
	url                string
	idp                *cip.Client
	pool, client, user string // user: the email address the user signs in with
	legacyClient       string // PreventUserExistenceErrors off
	clock              *triggertest.Clock
	mu                 sync.Mutex
	fns                map[trigger.Kind]lambda.Handler
	frontStateFile     string
}

func (e *env) setFunction(k trigger.Kind, h lambda.Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fns[k] = h
}

func start(t *testing.T) *env {
	t.Helper()
	tools := cognitolocaltest.Tools(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{url: "http://" + l.Addr().String(), clock: triggertest.NewClock(time.Now()), fns: functions()}
	dir := t.TempDir()
	cl, err := cognitolocal.Start(t.Context(), cognitolocal.Config{Tools: tools, Home: dir, IssuerDomain: e.url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	key, err := authfront.ReadKeyFile(cognitolocal.KeyFile(tools))
	if err != nil {
		t.Fatal(err)
	}
	e.frontStateFile = filepath.Join(dir, "front.json")
	front, err := authfront.New(authfront.Config{
		Upstream: cl.URL, Issuer: e.url, KeyPEM: key, StateFile: e.frontStateFile, Now: e.clock.Now,
		Function: func(_ context.Context, _ string, k trigger.Kind) (lambda.Handler, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.fns[k], nil
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: front}}
	srv.Start()
	t.Cleanup(srv.Close)

	e.idp = cip.NewFromConfig(aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(e.url), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	})
	ctx := t.Context()
	pool, err := e.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("front-test"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	e.pool = aws.ToString(pool.UserPool.Id)
	for _, c := range []struct {
		id      *string
		prevent types.PreventUserExistenceErrorTypes
	}{{&e.client, types.PreventUserExistenceErrorTypesEnabled}, {&e.legacyClient, types.PreventUserExistenceErrorTypesLegacy}} {
		out, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
				types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			},
			PreventUserExistenceErrors: c.prevent, AuthSessionValidity: aws.Int32(3),
		})
		if err != nil {
			t.Fatal(err)
		}
		*c.id = aws.ToString(out.UserPoolClient.ClientId)
	}
	e.user = "jane@example.com"
	if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool.UserPool.Id, Username: aws.String(e.user), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(e.user)}, {Name: aws.String("email_verified"), Value: aws.String("true")}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: pool.UserPool.Id, Username: aws.String(e.user), Password: aws.String("Unused-Passw0rd!"), Permanent: true,
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) initiate(t *testing.T, client, username string) (*cip.InitiateAuthOutput, error) {
	t.Helper()
	return e.idp.InitiateAuth(t.Context(), &cip.InitiateAuthInput{
		ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": username},
	})
}

func (e *env) respond(t *testing.T, client, session, username, answer string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	return e.idp.RespondToAuthChallenge(t.Context(), &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(client), ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: aws.String(session),
		ChallengeResponses: map[string]string{"USERNAME": username, "ANSWER": answer},
	})
}

// wantAPIError checks that err is the modelled error code: message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("err = %v, want %s: %s", err, code, message)
	}
	if api.ErrorCode() != code || api.ErrorMessage() != message {
		t.Errorf("error = %s: %s, want %s: %s", api.ErrorCode(), api.ErrorMessage(), code, message)
	}
}

// claims decodes the payload of a JWT.
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("a token has %d parts, want 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCustomAuth(t *testing.T) {
	e := start(t)

	t.Run("right answer after a wrong one", func(t *testing.T) {
		out, err := e.initiate(t, e.client, e.user)
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeCustomChallenge || out.ChallengeParameters["hint"] != "the secret" {
			t.Fatalf("InitiateAuth = %s %v, want CUSTOM_CHALLENGE with the public parameters", out.ChallengeName, out.ChallengeParameters)
		}
		if _, ok := out.ChallengeParameters["answer"]; ok {
			t.Fatal("a private challenge parameter reached the client")
		}
		username := out.ChallengeParameters["USERNAME"]
		if username == "" || username == e.user {
			t.Errorf("USERNAME = %q, want the user's username (a UUID in an email-alias pool)", username)
		}
		wrong, err := e.respond(t, e.client, aws.ToString(out.Session), e.user, "wrong")
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(wrong.Session) == aws.ToString(out.Session) {
			t.Error("the session did not change after an answer")
		}
		// The used session is good for nothing now.
		_, err = e.respond(t, e.client, aws.ToString(out.Session), e.user, secret)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")

		ok, err := e.respond(t, e.client, aws.ToString(wrong.Session), username, secret)
		if err != nil {
			t.Fatal(err)
		}
		r := ok.AuthenticationResult
		if r == nil || r.RefreshToken == nil || r.TokenType == nil || *r.TokenType != "Bearer" || r.ExpiresIn != 3600 {
			t.Fatalf("AuthenticationResult = %+v, want tokens of an hour and a refresh token", r)
		}
		id := claims(t, aws.ToString(r.IdToken))
		if id["iss"] != e.url+"/"+e.pool || id["aud"] != e.client || id["email"] != e.user || id["email_verified"] != true || id["plan"] != "gold" || id["token_use"] != "id" {
			t.Errorf("ID token claims = %v, want the pool's issuer, the client, the user's attributes and pre token generation's claim", id)
		}
		// cognito-local accepts the access token as its own.
		u, err := e.idp.GetUser(t.Context(), &cip.GetUserInput{AccessToken: r.AccessToken})
		if err != nil {
			t.Fatalf("GetUser with the front's access token: %v", err)
		}
		if aws.ToString(u.Username) != username {
			t.Errorf("GetUser = %s, want %s", aws.ToString(u.Username), username)
		}

		e.clock.Advance(time.Minute)
		ref, err := e.idp.InitiateAuth(t.Context(), &cip.InitiateAuthInput{
			ClientId: aws.String(e.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(r.RefreshToken)},
		})
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		again := claims(t, aws.ToString(ref.AuthenticationResult.IdToken))
		if again["auth_time"] != id["auth_time"] || again["iat"] == id["iat"] || ref.AuthenticationResult.RefreshToken != nil {
			t.Errorf("refreshed ID token auth_time %v iat %v (sign-in %v %v), refresh token %v: want the sign-in's auth_time, a new iat, no new refresh token",
				again["auth_time"], again["iat"], id["auth_time"], id["iat"], ref.AuthenticationResult.RefreshToken != nil)
		}
	})

	t.Run("three wrong answers", func(t *testing.T) {
		out, err := e.initiate(t, e.client, e.user)
		if err != nil {
			t.Fatal(err)
		}
		session := aws.ToString(out.Session)
		for i := range 3 {
			r, err := e.respond(t, e.client, session, e.user, "wrong")
			if i < 2 {
				if err != nil {
					t.Fatalf("wrong answer %d: %v", i+1, err)
				}
				session = aws.ToString(r.Session)
				continue
			}
			wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		}
	})

	t.Run("session expires", func(t *testing.T) {
		out, err := e.initiate(t, e.client, e.user)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(3*time.Minute + time.Second)
		_, err = e.respond(t, e.client, aws.ToString(out.Session), e.user, secret)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})

	t.Run("unknown user gets a challenge", func(t *testing.T) {
		out, err := e.initiate(t, e.client, "nobody@example.com")
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.initiate(t, e.client, "nobody@example.com")
		if err != nil {
			t.Fatal(err)
		}
		name := out.ChallengeParameters["USERNAME"]
		if name == "nobody@example.com" || name != again.ChallengeParameters["USERNAME"] {
			t.Errorf("USERNAME = %q then %q, want the same UUID, as a user's would be", name, again.ChallengeParameters["USERNAME"])
		}
		_, err = e.respond(t, e.client, aws.ToString(out.Session), name, secret)
		if err != nil {
			t.Fatalf("the decoy's first answer: %v", err)
		}
	})

	t.Run("session bound to its client", func(t *testing.T) {
		out, err := e.initiate(t, e.client, e.user)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.respond(t, e.legacyClient, aws.ToString(out.Session), e.user, secret)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user.")
	})

	t.Run("admin calls", func(t *testing.T) {
		out, err := e.idp.AdminInitiateAuth(t.Context(), &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(e.pool), ClientId: aws.String(e.client), AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": e.user},
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.idp.AdminRespondToAuthChallenge(t.Context(), &cip.AdminRespondToAuthChallengeInput{
			UserPoolId: aws.String(e.pool), ClientId: aws.String(e.client), ChallengeName: types.ChallengeNameTypeCustomChallenge,
			Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": e.user, "ANSWER": secret},
		})
		if err != nil || r.AuthenticationResult == nil {
			t.Fatalf("AdminRespondToAuthChallenge = %v, %v; want tokens", r, err)
		}
	})
}

// Every error of the flow reaches the client as Cognito's: its code and
// message, with HTTP 400 (the client below does not retry, so a 500 would
// show as another error).
func TestCustomAuthErrors(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	disabled := "off@example.com"
	if _, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(e.pool), Username: aws.String(disabled), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(disabled)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(e.pool), Username: aws.String(disabled)}); err != nil {
		t.Fatal(err)
	}
	fns := functions()
	tests := []struct {
		name          string
		client, user  string
		replace       trigger.Kind
		with          lambda.Handler
		answer        bool // answer the first challenge, and expect the error then
		code, message string
	}{
		{name: "unknown user, existence errors on", client: e.legacyClient, user: "nobody@example.com",
			code: "UserNotFoundException", message: "User does not exist."},
		{name: "unknown client", client: "nosuchclient0000000000000", user: e.user,
			code: "ResourceNotFoundException", message: "User pool client nosuchclient0000000000000 does not exist."},
		{name: "no username", client: e.client, user: "",
			code: "InvalidParameterException", message: "Missing required parameter USERNAME"},
		{name: "disabled user", client: e.client, user: disabled,
			code: "NotAuthorizedException", message: "User is disabled."},
		{name: "define fails", client: e.client, user: e.user, replace: trigger.KindDefineAuthChallenge, with: failing{"no sign-in today"},
			code: "UserLambdaValidationException", message: "DefineAuthChallenge failed with error no sign-in today."},
		{name: "create fails", client: e.client, user: e.user, replace: trigger.KindCreateAuthChallenge, with: failing{"mail is down"},
			code: "UserLambdaValidationException", message: "CreateAuthChallenge failed with error mail is down."},
		{name: "verify fails", client: e.client, user: e.user, replace: trigger.KindVerifyAuthChallenge, with: failing{"store is down"}, answer: true,
			code: "UserLambdaValidationException", message: "VerifyAuthChallengeResponse failed with error store is down."},
		{name: "pre token generation fails", client: e.client, user: e.user, replace: trigger.KindPreTokenGeneration, with: failing{"no claims"}, answer: true,
			code: "UserLambdaValidationException", message: "PreTokenGeneration failed with error no claims."},
		{name: "pre authentication refuses", client: e.client, user: e.user, replace: trigger.KindPreAuthentication, with: failing{"not from there"},
			code: "UserLambdaValidationException", message: "PreAuthentication failed with error not from there."},
		{name: "post authentication fails", client: e.client, user: e.user, replace: trigger.KindPostAuthentication, with: failing{"audit is down"}, answer: true,
			code: "UserLambdaValidationException", message: "PostAuthentication failed with error audit is down."},
		{name: "define refuses", client: e.client, user: e.user, replace: trigger.KindDefineAuthChallenge,
			with: trigger.DefineAuthChallenge(func(_ context.Context, ev *trigger.DefineAuthChallengeEvent) error { ev.Response.Fail(); return nil }),
			code: "NotAuthorizedException", message: "Incorrect username or password."},
		{name: "no private parameters", client: e.client, user: e.user, replace: trigger.KindCreateAuthChallenge,
			with: trigger.CreateAuthChallenge(func(context.Context, *trigger.CreateAuthChallengeEvent) error { return nil }),
			code: "NotAuthorizedException", message: "Incorrect username or password."},
		{name: "custom auth not bound", client: e.client, user: e.user, replace: trigger.KindDefineAuthChallenge, with: nil,
			code: "InvalidParameterException", message: "Custom auth lambda trigger is not configured for the user pool."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.replace != "" {
				e.setFunction(tt.replace, tt.with)
				t.Cleanup(func() { e.setFunction(tt.replace, fns[tt.replace]) })
			}
			out, err := e.initiate(t, tt.client, tt.user)
			if tt.answer {
				if err != nil {
					t.Fatal(err)
				}
				_, err = e.respond(t, tt.client, aws.ToString(out.Session), tt.user, secret)
			}
			wantAPIError(t, err, tt.code, tt.message)
		})
	}
}

// App-client settings that cognito-local drops are kept by the front,
// checked as Cognito checks them, and reset by an update that leaves
// them out.
func TestAuthSessionValidity(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	describe := func() int32 {
		out, err := e.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(e.pool), ClientId: aws.String(e.client)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToInt32(out.UserPoolClient.AuthSessionValidity)
	}
	update := func(v *int32) error {
		_, err := e.idp.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(e.pool), ClientId: aws.String(e.client), AuthSessionValidity: v})
		return err
	}
	if got := describe(); got != 3 {
		t.Errorf("AuthSessionValidity = %d, want 3", got)
	}
	if err := update(aws.Int32(10)); err != nil {
		t.Fatal(err)
	}
	if got := describe(); got != 10 {
		t.Errorf("after an update to 10, AuthSessionValidity = %d", got)
	}
	out, err := e.initiate(t, e.client, e.user)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(9 * time.Minute)
	if _, err := e.respond(t, e.client, aws.ToString(out.Session), e.user, "wrong"); err != nil {
		t.Errorf("an answer after 9 of 10 minutes: %v", err)
	}
	b, err := os.ReadFile(e.frontStateFile)
	if err != nil || !strings.Contains(string(b), `"AuthSessionValidity": 10`) {
		t.Errorf("the state file holds %q (%v), want the kept setting", b, err)
	}
	wantAPIError(t, update(aws.Int32(16)), "InvalidParameterException",
		"1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15")
	if err := update(nil); err != nil {
		t.Fatal(err)
	}
	if got := describe(); got != 3 {
		t.Errorf("after an update without it, AuthSessionValidity = %d, want the default 3", got)
	}
}

// cognito-local's HTTP 500 for what it does not support becomes a 400,
// which SDKs do not retry.
func TestUnsupportedIsModelled(t *testing.T) {
	e := start(t)
	idp := cip.NewFromConfig(aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(e.url), Retryer: func() aws.Retryer { return retry.NewStandard() },
	})
	_, err := idp.InitiateAuth(t.Context(), &cip.InitiateAuthInput{
		ClientId: aws.String(e.client), AuthFlow: types.AuthFlowTypeUserSrpAuth, AuthParameters: map[string]string{"USERNAME": e.user, "SRP_A": "abc"},
	})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidParameterException" {
		t.Fatalf("USER_SRP_AUTH: %v, want InvalidParameterException", err)
	}
	var re *retry.MaxAttemptsError
	if errors.As(err, &re) {
		t.Errorf("the SDK retried: %v", err)
	}
}

// The errors cognito-local words its own way reach the client in
// Cognito's words.
func TestErrorsInCognitosWords(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	passwordAuth := func(client, username, password string) error {
		_, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
		})
		return err
	}
	signUpWith := func(email, password string) error {
		_, err := e.idp.SignUp(ctx, &cip.SignUpInput{
			ClientId: aws.String(e.client), Username: aws.String(email), Password: aws.String(password),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
		})
		return err
	}
	signUp := func(email string) error { return signUpWith(email, "Local-Passw0rd!") }
	if err := signUp("unconfirmed@example.com"); err != nil {
		t.Fatal(err)
	}
	// An app client created without ExplicitAuthFlows: SRP, custom and
	// refresh, as in Cognito.
	plain, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.pool), ClientName: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	srpOnly, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.pool), ClientName: aws.String("srp"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		call          func() error
		code, message string
	}{
		{"wrong password", func() error { return passwordAuth(e.client, e.user, "Wrong-Passw0rd!") },
			"NotAuthorizedException", "Incorrect username or password."},
		{"unknown user, existence errors off", func() error { return passwordAuth(e.legacyClient, "nobody@example.com", "Local-Passw0rd!") },
			"UserNotFoundException", "User does not exist."},
		{"unknown user, existence errors on", func() error { return passwordAuth(e.client, "nobody@example.com", "Local-Passw0rd!") },
			"NotAuthorizedException", "Incorrect username or password."},
		{"password sign-in on a client without the flow", func() error {
			return passwordAuth(aws.ToString(plain.UserPoolClient.ClientId), e.user, "Unused-Passw0rd!")
		},
			"InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"passwordless sign-in on a client without the flow", func() error {
			_, err := e.initiate(t, aws.ToString(srpOnly.UserPoolClient.ClientId), e.user)
			return err
		}, "InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client"},
		{"unknown app client", func() error { return passwordAuth("nosuchclient0000000000000", e.user, "Local-Passw0rd!") },
			"ResourceNotFoundException", "User pool client nosuchclient0000000000000 does not exist."},
		{"unknown refresh token", func() error {
			_, err := e.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
				ClientId: aws.String(e.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": "not-a-token"},
			})
			return err
		}, "NotAuthorizedException", "Invalid Refresh Token"},
		{"wrong confirmation code", func() error {
			_, err := e.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.client), Username: aws.String("unconfirmed@example.com"), ConfirmationCode: aws.String("000000")})
			return err
		}, "CodeMismatchException", "Invalid verification code provided, please try again."},
		{"duplicate sign-up", func() error { return signUp(e.user) },
			"UsernameExistsException", "An account with the given email already exists."},
		{"duplicate user by an admin", func() error {
			_, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(e.pool), Username: aws.String(e.user), MessageAction: types.MessageActionTypeSuppress})
			return err
		}, "UsernameExistsException", "An account with the given email already exists."},
		{"password too short", func() error { return signUpWith("short@example.com", "Sh0rt!") },
			"InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"password without an uppercase letter", func() error { return signUpWith("upper@example.com", "lower-passw0rd!") },
			"InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters"},
		{"password without a symbol", func() error { return signUpWith("symbol@example.com", "NoSymbolPassw0rd") },
			"InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"},
		{"an admin's password without a number", func() error {
			_, err := e.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(e.pool), Username: aws.String(e.user), Password: aws.String("No-Numbers-Here!"), Permanent: true})
			return err
		}, "InvalidPasswordException", "Password did not conform with policy: Password must have numeric characters"},
		{"unknown user by an admin", func() error {
			_, err := e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.pool), Username: aws.String("nobody@example.com")})
			return err
		}, "UserNotFoundException", "User does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, tt.call(), tt.code, tt.message)
		})
	}
}

// AdminCreateUser runs the pool's pre sign-up function, which
// cognito-local does not: its error stops the call.
func TestPreSignUpOnAdminCreateUser(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	var seen []*trigger.PreSignUpEvent
	var mu sync.Mutex
	e.setFunction(trigger.KindPreSignUp, trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
		mu.Lock()
		seen = append(seen, ev)
		mu.Unlock()
		if strings.HasSuffix(ev.Request.UserAttributes["email"], "@blocked.example") {
			return trigger.Deny("that domain is blocked")
		}
		return nil
	}))
	create := func(email string) error {
		_, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(e.pool), Username: aws.String(email), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
			ValidationData: []types.AttributeType{{Name: aws.String("source"), Value: aws.String("admin")}},
		})
		return err
	}
	wantAPIError(t, create("someone@blocked.example"), "UserLambdaValidationException", "PreSignUp failed with error that domain is blocked.")
	if _, err := e.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.pool), Username: aws.String("someone@blocked.example")}); err == nil {
		t.Error("the refused user was created")
	}
	if err := create("someone@example.org"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("pre sign-up ran %d times, want 2", len(seen))
	}
	ev := seen[1]
	if ev.TriggerSource != trigger.SourcePreSignUpAdminCreateUser || ev.CallerContext.ClientID != "CLIENT_ID_NOT_APPLICABLE" ||
		ev.UserPoolID != e.pool || ev.Request.ValidationData["source"] != "admin" || ev.Request.UserAttributes["email"] != "someone@example.org" {
		t.Errorf("event = %+v, want PreSignUp_AdminCreateUser with the attributes and validation data", ev)
	}
}

// Pre authentication runs before the first challenge, with the
// InitiateAuth ClientMetadata as validationData, for an unknown user too.
func TestPreAuthenticationEvent(t *testing.T) {
	e := start(t)
	var seen []*trigger.PreAuthenticationEvent
	var mu sync.Mutex
	e.setFunction(trigger.KindPreAuthentication, trigger.PreAuthentication(func(_ context.Context, ev *trigger.PreAuthenticationEvent) error {
		mu.Lock()
		seen = append(seen, ev)
		mu.Unlock()
		return nil
	}))
	for _, username := range []string{e.user, "nobody@example.com"} {
		if _, err := e.idp.InitiateAuth(t.Context(), &cip.InitiateAuthInput{
			ClientId: aws.String(e.client), AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": username}, ClientMetadata: map[string]string{"platform": "web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("pre authentication ran %d times, want 2", len(seen))
	}
	for i, ev := range seen {
		if ev.TriggerSource != trigger.SourcePreAuthentication || ev.Request.ValidationData["platform"] != "web" || ev.Request.UserNotFound != (i == 1) {
			t.Errorf("event %d = %+v, want PreAuthentication_Authentication with the client metadata as validation data, userNotFound %v", i, ev, i == 1)
		}
	}
	if seen[0].Request.UserAttributes["email"] != e.user || len(seen[1].Request.UserAttributes) != 0 {
		t.Errorf("attributes %v and %v, want the user's, then none", seen[0].Request.UserAttributes, seen[1].Request.UserAttributes)
	}
}
