package devstack_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/cognitolocal/cognitolocaltest"
	"github.com/cognitrig/cognitrig/internal/devstack"
	"github.com/cognitrig/cognitrig/internal/moto"
)

// apiError is a modelled error of the user-pool API as a client shows
// it.
type apiError struct{ Code, Message string }

// poolClient makes calls of the user-pool API the way one real client
// does: params and the result are the call's JSON members.
type poolClient struct {
	call func(t *testing.T, op string, params map[string]any) (map[string]any, *apiError)
}

// goSDK calls through aws-sdk-go-v2's cognito-idp client.
func goSDK(st *devstack.Stack) poolClient {
	cfg := devstack.AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	cfg.RetryMaxAttempts = 1
	idp := cip.NewFromConfig(cfg)
	return poolClient{call: func(t *testing.T, op string, params map[string]any) (map[string]any, *apiError) {
		t.Helper()
		b, err := json.Marshal(params)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		switch op {
		case "InitiateAuth":
			var in cip.InitiateAuthInput
			if err = json.Unmarshal(b, &in); err == nil {
				out, err = idp.InitiateAuth(t.Context(), &in)
			}
		case "RespondToAuthChallenge":
			var in cip.RespondToAuthChallengeInput
			if err = json.Unmarshal(b, &in); err == nil {
				out, err = idp.RespondToAuthChallenge(t.Context(), &in)
			}
		default:
			t.Fatalf("the Go client of the test does not make %s", op)
		}
		var api smithy.APIError
		if errors.As(err, &api) {
			return nil, &apiError{api.ErrorCode(), api.ErrorMessage()}
		}
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return asMap(t, out), nil
	}}
}

// awsCLI calls through the AWS CLI, as a user pastes the commands.
func awsCLI(t *testing.T, st *devstack.Stack) poolClient {
	path, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed (pip install awscli)")
	}
	errRE := regexp.MustCompile(`An error occurred \((\w+)\) when calling the \w+ operation: (.*)`)
	return poolClient{call: func(t *testing.T, op string, params map[string]any) (map[string]any, *apiError) {
		t.Helper()
		in, err := json.Marshal(params)
		if err != nil {
			t.Fatal(err)
		}
		kebab := strings.ToLower(regexp.MustCompile(`([a-z])([A-Z])`).ReplaceAllString(op, "$1-$2"))
		cmd := exec.CommandContext(t.Context(), path, "--endpoint-url", st.CognitoURL, "--region", devstack.Region, "--no-sign-request", "--output", "json",
			"cognito-idp", kebab, "--cli-input-json", string(in))
		cmd.Env = clientEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if m := errRE.FindStringSubmatch(stderr.String()); m != nil {
				return nil, &apiError{m[1], strings.TrimSpace(m[2])}
			}
			t.Fatalf("aws cognito-idp %s: %v\n%s", kebab, err, stderr.Bytes())
		}
		var out map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("aws cognito-idp %s printed %q: %v", kebab, stdout.Bytes(), err)
		}
		return out, nil
	}}
}

// boto3 calls through boto3 (testdata/boto3call.py).
func boto3(t *testing.T, st *devstack.Stack) poolClient {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed (pip install boto3)")
	}
	return poolClient{call: func(t *testing.T, op string, params map[string]any) (map[string]any, *apiError) {
		t.Helper()
		in, err := json.Marshal(params)
		if err != nil {
			t.Fatal(err)
		}
		snake := strings.ToLower(regexp.MustCompile(`([a-z])([A-Z])`).ReplaceAllString(op, "${1}_$2"))
		cmd := exec.CommandContext(t.Context(), python, "testdata/boto3call.py", st.CognitoURL, snake, string(in))
		cmd.Env = clientEnv()
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("boto3 %s: %v", snake, err)
		}
		var r struct {
			Result map[string]any
			Error  *apiError
		}
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("boto3 %s printed %q: %v", snake, out, err)
		}
		return r.Result, r.Error
	}}
}

// clientEnv is the environment of the Python clients: dummy credentials,
// no configuration files, no retries.
func clientEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1"}
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	codeRE = regexp.MustCompile(`\b[0-9]{6}\b`)
	linkRE = regexp.MustCompile(regexp.QuoteMeta(devstack.SignInPath) + `#([A-Za-z0-9_-]{32})`)
)

// A passwordless sign-in through the local user-pool endpoint, by each
// real client: the code, three wrong answers, an unknown user and the
// magic link, with the shipped functions behind the front.
func TestRealClientsSignIn(t *testing.T) {
	st := startStack(t)
	cfg := devstack.AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	idp := cip.NewFromConfig(cfg)

	// signUp makes a confirmed user (the pre sign-up policy confirms
	// AllowedDomain) with a tenant, for pre token generation's claim.
	signUp := func(t *testing.T, email string) {
		t.Helper()
		if _, err := idp.SignUp(t.Context(), &cip.SignUpInput{
			ClientId: aws.String(st.ClientID), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}, {Name: aws.String("custom:tenant"), Value: aws.String("tenant-a")}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	// mail returns the emails sent to address, oldest first.
	mail := func(t *testing.T, address string) []moto.Email {
		t.Helper()
		sent, err := moto.Sent(t.Context(), st.MotoURL)
		if err != nil {
			t.Fatal(err)
		}
		var to []moto.Email
		for _, m := range sent.Emails {
			if slices.Contains(m.Destinations.ToAddresses, address) {
				to = append(to, m)
			}
		}
		return to
	}
	initiate := func(t *testing.T, c poolClient, email string) (session string) {
		t.Helper()
		out, aerr := c.call(t, "InitiateAuth", map[string]any{"ClientId": st.ClientID, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": map[string]string{"USERNAME": email}})
		if aerr != nil {
			t.Fatalf("InitiateAuth: %s: %s", aerr.Code, aerr.Message)
		}
		if out["ChallengeName"] != "CUSTOM_CHALLENGE" {
			t.Fatalf("InitiateAuth = %v, want CUSTOM_CHALLENGE", out["ChallengeName"])
		}
		s, _ := out["Session"].(string)
		return s
	}
	respond := func(t *testing.T, c poolClient, session, email, answer string) (map[string]any, *apiError) {
		t.Helper()
		return c.call(t, "RespondToAuthChallenge", map[string]any{"ClientId": st.ClientID, "ChallengeName": "CUSTOM_CHALLENGE", "Session": session,
			"ChallengeResponses": map[string]string{"USERNAME": email, "ANSWER": answer}})
	}
	// signInEmail starts a sign-in, setting *session, and returns the one
	// email it sent, which holds the code and the link.
	signInEmail := func(t *testing.T, c poolClient, email string, session *string) moto.Email {
		t.Helper()
		before := len(mail(t, email))
		*session = initiate(t, c, email)
		m := mail(t, email)
		if len(m) != before+1 {
			t.Fatalf("%d emails for the sign-in, want 1", len(m)-before)
		}
		e := m[len(m)-1]
		if codeRE.FindString(e.Subject) == "" {
			t.Fatalf("the sign-in email's subject %q shows no code", e.Subject)
		}
		return e
	}
	wantTokens := func(t *testing.T, out map[string]any, aerr *apiError) {
		t.Helper()
		if aerr != nil {
			t.Fatalf("RespondToAuthChallenge: %s: %s", aerr.Code, aerr.Message)
		}
		r, _ := out["AuthenticationResult"].(map[string]any)
		id, _ := r["IdToken"].(string)
		claims := idTokenClaims(t, id)
		if claims[devstack.TenantClaim] != "tenant-a" || claims["iss"] != st.CognitoURL+"/"+st.UserPoolID {
			t.Errorf("ID token claims = %v, want %s from pre token generation and the stack's issuer", claims, devstack.TenantClaim)
		}
	}
	wrongCode := func(code string) string { return string('0'+(code[0]-'0'+1)%10) + code[1:] }

	for _, c := range []struct {
		name   string
		client func(*testing.T) poolClient
	}{
		{"aws-sdk-go-v2", func(*testing.T) poolClient { return goSDK(st) }},
		{"aws-cli", func(t *testing.T) poolClient { return awsCLI(t, st) }},
		{"boto3", func(t *testing.T) poolClient { return boto3(t, st) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := c.client(t)
			user := func(scenario string) string { return c.name + "-" + scenario + "@" + devstack.AllowedDomain }

			t.Run("code", func(t *testing.T) {
				email, session := user("code"), ""
				signUp(t, email)
				code := codeRE.FindString(signInEmail(t, cl, email, &session).Subject)
				out, aerr := respond(t, cl, session, email, wrongCode(code))
				if aerr != nil {
					t.Fatalf("a wrong code: %s: %s, want another try", aerr.Code, aerr.Message)
				}
				session, _ = out["Session"].(string)
				out, aerr = respond(t, cl, session, email, code)
				wantTokens(t, out, aerr)
			})

			t.Run("three wrong answers", func(t *testing.T) {
				email := user("wrong")
				signUp(t, email)
				var session string
				code := codeRE.FindString(signInEmail(t, cl, email, &session).Subject)
				for i := range 3 {
					out, aerr := respond(t, cl, session, email, wrongCode(code))
					if i < 2 {
						if aerr != nil {
							t.Fatalf("wrong answer %d: %s: %s", i+1, aerr.Code, aerr.Message)
						}
						session, _ = out["Session"].(string)
						continue
					}
					if aerr == nil || aerr.Code != "NotAuthorizedException" || aerr.Message != "Incorrect username or password." {
						t.Fatalf("the third wrong answer got %v, %v; want NotAuthorizedException: Incorrect username or password.", out, aerr)
					}
				}
			})

			t.Run("unknown user", func(t *testing.T) {
				email := user("nobody")
				session := initiate(t, cl, email)
				if m := mail(t, email); len(m) != 0 {
					t.Fatalf("%d emails went to an address with no account", len(m))
				}
				if _, aerr := respond(t, cl, session, email, "123456"); aerr != nil {
					t.Fatalf("an answer for an unknown user: %s: %s, want another challenge, as for a user", aerr.Code, aerr.Message)
				}
			})

			t.Run("magic link", func(t *testing.T) {
				email := user("link")
				signUp(t, email)
				var session string
				m := linkRE.FindStringSubmatch(signInEmail(t, cl, email, &session).Body)
				if m == nil {
					t.Fatalf("the email holds no link to %s", devstack.SignInPath)
				}
				out, aerr := respond(t, cl, session, email, m[1])
				wantTokens(t, out, aerr)
			})
		})
	}

	// The browser example: amazon-cognito-identity-js in headless
	// Chromium, driven by tools/browser-sign-in.js.
	t.Run("browser", func(t *testing.T) {
		chromium := os.Getenv("CHROMIUM")
		if chromium == "" {
			chromium = "/usr/bin/chromium"
		}
		if _, err := os.Stat(chromium); err != nil {
			t.Skipf("no browser at %s: install Debian's chromium (apt-get install chromium; .ci/run does), or set CHROMIUM", chromium)
		}
		tools := cognitolocaltest.Tools(t)
		for _, tt := range []struct{ mode, failed string }{{"code", ""}, {"wrong-codes", "NotAuthorizedException"}, {"link", ""}} {
			t.Run(tt.mode, func(t *testing.T) {
				email := "browser-" + tt.mode + "@" + devstack.AllowedDomain
				signUp(t, email)
				cmd := exec.CommandContext(t.Context(), "node", filepath.Join(tools, "browser-sign-in.js"), st.CognitoURL, email, tt.mode)
				cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("browser-sign-in.js: %v\n%s", err, stderr.Bytes())
				}
				var r struct{ SignedIn, Failed, Status string }
				if err := json.Unmarshal(out, &r); err != nil {
					t.Fatalf("browser-sign-in.js printed %q: %v", out, err)
				}
				switch {
				case tt.failed != "" && (r.Failed != tt.failed || r.SignedIn != ""):
					t.Errorf("the page says %q (failed %q), want %s", r.Status, r.Failed, tt.failed)
				case tt.failed == "" && r.SignedIn == "":
					t.Errorf("not signed in; the page says %q", r.Status)
				}
			})
		}
	})

	// Every message of the stack, cognito-local's sign-up code and the
	// functions' sign-in codes alike, is in the mailbox.
	t.Run("mailbox", func(t *testing.T) {
		email := "aws-sdk-go-v2-code@" + devstack.AllowedDomain
		resp, err := http.Get(st.CognitoURL + devstack.MailboxPath + "?to=" + url.QueryEscape(strings.ToUpper(email)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var msgs []devstack.Message
		if err := json.NewDecoder(resp.Body).Decode(&msgs); err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || !strings.Contains(msgs[0].Subject, "sign-in code") || !strings.Contains(msgs[1].Subject, devstack.AppName) {
			t.Fatalf("mailbox of %s = %+v, want the sign-in email, then the sign-up email the custom message trigger wrote", email, msgs)
		}
		resp, err = http.Get(st.CognitoURL + devstack.MailboxPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("mailbox without an address: %s, want 400", resp.Status)
		}
	})
}
