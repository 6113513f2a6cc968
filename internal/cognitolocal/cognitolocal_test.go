package cognitolocal_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/cognitolocal"
	"github.com/cognitrig/cognitrig/internal/cognitolocal/cognitolocaltest"
	"github.com/cognitrig/cognitrig/internal/mototest"
)

const sender = "no-reply@example.com"

// start runs cognito-local with cfg (Tools and Home filled in) and returns
// a client of it and a pool, with an app client, whose users verify their
// email address.
func start(t *testing.T, cfg cognitolocal.Config) (idp *cip.Client, clientID string) {
	t.Helper()
	cfg.Tools, cfg.Home = cognitolocaltest.Tools(t), t.TempDir()
	srv, err := cognitolocal.Start(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	awscfg := mototest.Config(srv.URL)
	awscfg.RetryMaxAttempts = 1
	idp = cip.NewFromConfig(awscfg)
	pool, err := idp.CreateUserPool(t.Context(), &cip.CreateUserPoolInput{
		PoolName: aws.String("test"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	if err != nil {
		t.Fatal(err)
	}
	client, err := idp.CreateUserPoolClient(t.Context(), &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	return idp, aws.ToString(client.UserPoolClient.ClientId)
}

func signUp(t *testing.T, idp *cip.Client, clientID, email string) error {
	t.Helper()
	_, err := idp.SignUp(t.Context(), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
	})
	return err
}

// The messages cognito-local delivers land in moto_server's SES, with
// Cognito's default text where no custom message trigger wrote one.
func TestMessagesReachTheMailbox(t *testing.T) {
	moto := mototest.Start(t)
	if _, err := sesv2.NewFromConfig(mototest.Config(moto)).CreateEmailIdentity(t.Context(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(sender)}); err != nil {
		t.Fatal(err)
	}
	idp, client := start(t, cognitolocal.Config{Mailbox: moto, Sender: sender, Code: "424242"})
	if err := signUp(t, idp, client, "jane@example.com"); err != nil {
		t.Fatal(err)
	}
	sent := mototest.Sent(t, moto)
	if len(sent.Emails) != 1 {
		t.Fatalf("moto holds %d emails, want 1", len(sent.Emails))
	}
	e := sent.Emails[0]
	if e.Source != sender || len(e.Destinations.ToAddresses) != 1 || e.Destinations.ToAddresses[0] != "jane@example.com" ||
		e.Subject != "Your verification code" || e.Body != "Your verification code is 424242." {
		t.Errorf("email = %+v, want Cognito's default verification message with the code, from %s to the user", e, sender)
	}
}

// lambdaEndpoint is a stand-in for the Lambda Invoke API whose functions
// behave as the test sets: "ok" echoes the event, "fail" throws, "hang"
// answers too late, "hang-once" too late the first time only, "down" is
// an endpoint error.
type lambdaEndpoint struct {
	mu       sync.Mutex
	behavior map[string]string // function name -> behavior
	calls    map[string]int    // function name -> invocations since set
}

func (l *lambdaEndpoint) set(b map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.behavior, l.calls = b, map[string]int{}
}

func (l *lambdaEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions/"), "/invocations")
	l.mu.Lock()
	b := l.behavior[name]
	l.calls[name]++
	if b == "hang-once" && l.calls[name] > 1 {
		b = "ok"
	}
	l.mu.Unlock()
	switch b {
	case "fail":
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		_ = json.NewEncoder(w).Encode(map[string]string{"errorMessage": name + " is broken", "errorType": "errorString"})
	case "hang", "hang-once":
		time.Sleep(3 * time.Second)
	case "down":
		w.Header().Set("X-Amzn-ErrorType", "ServiceException")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"Type":"Service","message":"the endpoint failed"}`))
	default:
		_, _ = io.Copy(w, r.Body)
	}
}

// A function that fails surfaces as Cognito surfaces it: the call fails
// with Cognito's error, never with a silent fallback such as a message
// with the default text.
func TestTriggerFailures(t *testing.T) {
	lambda := &lambdaEndpoint{calls: map[string]int{}}
	ls := httptest.NewServer(lambda)
	t.Cleanup(ls.Close)
	moto := mototest.Start(t)
	if _, err := sesv2.NewFromConfig(mototest.Config(moto)).CreateEmailIdentity(t.Context(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(sender)}); err != nil {
		t.Fatal(err)
	}
	const code = "424242"
	idp, client := start(t, cognitolocal.Config{
		LambdaURL: ls.URL, LambdaTimeout: time.Second, Mailbox: moto, Sender: sender, Code: code,
		Triggers: map[string]string{"PreSignUp": "PreSignUp", "CustomMessage": "CustomMessage", "PostConfirmation": "PostConfirmation"},
	})
	confirm := func(email string) error {
		_, err := idp.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(client), Username: aws.String(email), ConfirmationCode: aws.String(code)})
		return err
	}
	tests := []struct {
		name          string
		behavior      map[string]string
		confirm       bool // the call is ConfirmSignUp after a sign-up that works
		code, message string
		attempts      int // invocations of PreSignUp, when not 0
	}{
		{name: "pre sign-up throws", behavior: map[string]string{"PreSignUp": "fail"},
			code: "UserLambdaValidationException", message: "PreSignUp failed with error PreSignUp is broken."},
		{name: "pre sign-up answers late", behavior: map[string]string{"PreSignUp": "hang"},
			code: "UnexpectedLambdaException", message: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.", attempts: 3},
		{name: "pre sign-up answers late once: tried again", behavior: map[string]string{"PreSignUp": "hang-once"}, attempts: 2},
		{name: "the Lambda endpoint fails", behavior: map[string]string{"PreSignUp": "down"},
			code: "UnexpectedLambdaException", message: "PreSignUp invocation failed due to error ServiceException."},
		{name: "custom message throws", behavior: map[string]string{"CustomMessage": "fail"},
			code: "UserLambdaValidationException", message: "CustomMessage failed with error CustomMessage is broken."},
		{name: "custom message answers late", behavior: map[string]string{"CustomMessage": "hang"},
			code: "UnexpectedLambdaException", message: "CustomMessage invocation failed due to error Socket timeout while invoking Lambda function."},
		{name: "post confirmation throws", behavior: map[string]string{"PostConfirmation": "fail"}, confirm: true,
			code: "UserLambdaValidationException", message: "PostConfirmation failed with error PostConfirmation is broken."},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email := fmt.Sprintf("user%d@example.com", i)
			var err error
			if tt.confirm {
				if err := signUp(t, idp, client, email); err != nil {
					t.Fatal(err)
				}
				lambda.set(tt.behavior)
				err = confirm(email)
			} else {
				lambda.set(tt.behavior)
				err = signUp(t, idp, client, email)
			}
			lambda.mu.Lock()
			attempts := lambda.calls["PreSignUp"]
			lambda.mu.Unlock()
			lambda.set(nil)
			if tt.attempts != 0 && attempts != tt.attempts {
				t.Errorf("PreSignUp was invoked %d times, want %d", attempts, tt.attempts)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tt.code || api.ErrorMessage() != tt.message {
				t.Fatalf("got %v, want %s: %s", err, tt.code, tt.message)
			}
			if tt.confirm {
				return
			}
			for _, e := range mototest.Sent(t, moto).Emails {
				if e.Destinations.ToAddresses[0] == email {
					t.Errorf("an email went to %s (%q) although the call failed", email, e.Subject)
				}
			}
		})
	}
}
