package awsenv_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sesv2types "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
)

// secret is the secret access key of lambdaEnv; no error may repeat it.
const secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY"

func getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// lambdaEnv is what Lambda gives every function.
func lambdaEnv() map[string]string {
	return map[string]string{
		"AWS_REGION":            "eu-west-1",
		"AWS_ACCESS_KEY_ID":     "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": secret,
		"AWS_SESSION_TOKEN":     "session",
	}
}

// endpointVariables are the endpoint variables of the process environment
// the tests clear: the clients read them too.
var endpointVariables = []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SESV2", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"}

// unsetenv removes the variables from the process environment for the rest
// of the test.
func unsetenv(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		t.Setenv(k, "") // restores the value when the test ends
		os.Unsetenv(k)
	}
}

func TestLoad(t *testing.T) {
	unsetenv(t, endpointVariables...)
	tests := []struct {
		name    string
		change  map[string]string // "" deletes
		wantErr []string          // each in the error; nil: success
		check   func(t *testing.T, cfg aws.Config)
	}{
		{name: "lambda environment", check: func(t *testing.T, cfg aws.Config) {
			if cfg.Region != "eu-west-1" || cfg.BaseEndpoint != nil || cfg.RetryMaxAttempts != 0 || cfg.RetryMode != "" || cfg.AppID != "" || cfg.Logger == nil {
				t.Errorf("region %q, endpoint %v, attempts %d, mode %q, app %q, logger %v", cfg.Region, cfg.BaseEndpoint, cfg.RetryMaxAttempts, cfg.RetryMode, cfg.AppID, cfg.Logger)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != "AKIDEXAMPLE" || c.SecretAccessKey != secret || c.SessionToken != "session" || c.CanExpire {
				t.Errorf("got credentials %q/%q, can expire %v, %v; want AKIDEXAMPLE with the session token", c.AccessKeyID, c.SessionToken, c.CanExpire, err)
			}
		}},
		{name: "key pair without a session token", change: map[string]string{"AWS_SESSION_TOKEN": ""}, check: func(t *testing.T, cfg aws.Config) {
			c, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != "AKIDEXAMPLE" || c.SessionToken != "" {
				t.Errorf("got credentials %q/%q, %v", c.AccessKeyID, c.SessionToken, err)
			}
		}},
		{name: "default region", change: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.Region != "us-west-2" {
				t.Errorf("got region %q, want us-west-2", cfg.Region)
			}
		}},
		{name: "region wins over default region", change: map[string]string{"AWS_DEFAULT_REGION": "us-west-2"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.Region != "eu-west-1" {
				t.Errorf("got region %q, want eu-west-1", cfg.Region)
			}
		}},
		{name: "endpoint", change: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}, check: func(t *testing.T, cfg aws.Config) {
			if got := aws.ToString(cfg.BaseEndpoint); got != "http://127.0.0.1:4566" {
				t.Errorf("got endpoint %q, want http://127.0.0.1:4566", got)
			}
		}},
		{name: "ignored endpoints", change: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SESV2": "not a URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.BaseEndpoint != nil || cfg.ConfigSources != nil {
				t.Errorf("got endpoint %v and sources %v, want none", cfg.BaseEndpoint, cfg.ConfigSources)
			}
		}},
		{name: "endpoints not ignored", change: map[string]string{"AWS_ENDPOINT_URL": "https://localhost", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.BaseEndpoint == nil || len(cfg.ConfigSources) != 1 {
				t.Errorf("got endpoint %v and sources %v, want both", cfg.BaseEndpoint, cfg.ConfigSources)
			}
		}},
		{name: "retries", change: map[string]string{"AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.RetryMaxAttempts != 5 || cfg.RetryMode != aws.RetryModeAdaptive {
				t.Errorf("got %d attempts in mode %q, want 5 in adaptive", cfg.RetryMaxAttempts, cfg.RetryMode)
			}
		}},
		{name: "standard retry mode", change: map[string]string{"AWS_RETRY_MODE": "standard"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.RetryMode != aws.RetryModeStandard {
				t.Errorf("got mode %q, want standard", cfg.RetryMode)
			}
		}},
		{name: "app id", change: map[string]string{"AWS_SDK_UA_APP_ID": "cognitrig"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.AppID != "cognitrig" {
				t.Errorf("got app id %q, want cognitrig", cfg.AppID)
			}
		}},
		{name: "container credentials, full URI", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"}, check: checkCache},
		{name: "container credentials, relative URI", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"}, check: checkCache},
		{name: "container credentials over https", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x"}, check: checkCache},
		{name: "key pair wins over container", change: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds"}, check: func(t *testing.T, cfg aws.Config) {
			if _, ok := cfg.Credentials.(*aws.CredentialsCache); ok {
				t.Error("got container credentials, want the key pair")
			}
		}},

		{name: "no region", change: map[string]string{"AWS_REGION": ""}, wantErr: []string{"neither AWS_REGION nor AWS_DEFAULT_REGION is set"}},
		{name: "secret key missing", change: map[string]string{"AWS_SECRET_ACCESS_KEY": ""}, wantErr: []string{"AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"}},
		{name: "key id missing", change: map[string]string{"AWS_ACCESS_KEY_ID": ""}, wantErr: []string{"AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"}},
		{name: "no credentials is not an error until a call needs them", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": ""}, check: func(t *testing.T, cfg aws.Config) {
			if _, err := cfg.Credentials.Retrieve(context.Background()); !errors.Is(err, awsenv.ErrNoCredentials) {
				t.Errorf("Retrieve: got error %v, want ErrNoCredentials", err)
			}
		}},
		{name: "container URI not http", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "ftp://127.0.0.1/creds"}, wantErr: []string{`AWS_CONTAINER_CREDENTIALS_FULL_URI="ftp://127.0.0.1/creds" is not an http or https URL`}},
		{name: "container URI to a remote host over http", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.2.3/creds"}, wantErr: []string{`AWS_CONTAINER_CREDENTIALS_FULL_URI="http://10.1.2.3/creds"`, "loopback", "https"}},
		{name: "container URI to a host name over http", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/creds"}, wantErr: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "https"}},
		{name: "bad endpoint", change: map[string]string{"AWS_ENDPOINT_URL": "localhost:4566"}, wantErr: []string{`AWS_ENDPOINT_URL="localhost:4566" is not an http or https URL`}},
		{name: "bad service endpoint", change: map[string]string{"AWS_ENDPOINT_URL_SESV2": "127.0.0.1:5000"}, wantErr: []string{`AWS_ENDPOINT_URL_SESV2="127.0.0.1:5000"`}},
		{name: "bad service endpoint with a space in its ID", change: map[string]string{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://"}, wantErr: []string{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"}},
		{name: "bad ignore flag", change: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "yes"}, wantErr: []string{`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS="yes": set true or false`}},
		{name: "zero attempts", change: map[string]string{"AWS_MAX_ATTEMPTS": "0"}, wantErr: []string{`AWS_MAX_ATTEMPTS="0" is not a positive integer`}},
		{name: "negative attempts", change: map[string]string{"AWS_MAX_ATTEMPTS": "-2"}, wantErr: []string{"AWS_MAX_ATTEMPTS"}},
		{name: "attempts not a number", change: map[string]string{"AWS_MAX_ATTEMPTS": "three"}, wantErr: []string{"AWS_MAX_ATTEMPTS"}},
		{name: "bad retry mode", change: map[string]string{"AWS_RETRY_MODE": "legacy"}, wantErr: []string{`AWS_RETRY_MODE="legacy" is not a retry mode: set standard or adaptive`}},
		{name: "every problem at once",
			change:  map[string]string{"AWS_REGION": "", "AWS_ACCESS_KEY_ID": "", "AWS_ENDPOINT_URL": "x", "AWS_ENDPOINT_URL_DYNAMODB": "y", "AWS_MAX_ATTEMPTS": "x", "AWS_RETRY_MODE": "y"},
			wantErr: []string{"AWS_REGION", "AWS_ACCESS_KEY_ID is not", "AWS_ENDPOINT_URL=", "AWS_ENDPOINT_URL_DYNAMODB=", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := lambdaEnv()
			for k, v := range tt.change {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			cfg, err := awsenv.Load(getenv(env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("Load succeeded, want an error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("got error %q, want it to contain %q", err, w)
					}
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q repeats the secret access key", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, cfg)
		})
	}
}

// checkCache checks that the credentials are container credentials: in a
// cache, not fetched by Load.
func checkCache(t *testing.T, cfg aws.Config) {
	t.Helper()
	if _, ok := cfg.Credentials.(*aws.CredentialsCache); !ok {
		t.Errorf("got credentials %T, want an *aws.CredentialsCache", cfg.Credentials)
	}
}

// TestLoadChecksProcessEndpoints finds a malformed endpoint variable of a
// service Load does not know in the process environment: the client would
// ignore it and go to AWS.
func TestLoadChecksProcessEndpoints(t *testing.T) {
	unsetenv(t, endpointVariables...)
	for k, v := range lambdaEnv() {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "localhost:4566")
	_, err := awsenv.Load(os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "AWS_ENDPOINT_URL_SECRETS_MANAGER") {
		t.Errorf("got error %v, want one naming AWS_ENDPOINT_URL_SECRETS_MANAGER", err)
	}
}

// recorder is a local server that keeps the requests it gets and answers
// each with an error.
type recorder struct {
	URL  string
	mu   sync.Mutex
	reqs []*http.Request
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.reqs = append(r.reqs, req)
		r.mu.Unlock()
		http.Error(w, `{"__type":"AccessDeniedException","message":"test server"}`, http.StatusBadRequest)
	}))
	t.Cleanup(s.Close)
	r.URL = s.URL
	return r
}

// requests returns the requests the server got and forgets them.
func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	reqs := r.reqs
	r.reqs = nil
	return reqs
}

// call makes one request with each of the five clients built from cfg, in
// the order of their signing names: ses, sns, dynamodb, kms, cognito-idp.
func call(t *testing.T, cfg aws.Config) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _ = sesv2.NewFromConfig(cfg).GetAccount(ctx, &sesv2.GetAccountInput{})
	_, _ = sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})
	_, _ = dynamodb.NewFromConfig(cfg).ListTables(ctx, &dynamodb.ListTablesInput{})
	_, _ = kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
	_, _ = cip.NewFromConfig(cfg).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
}

// service returns the signing name of a request: "ses", "sns", "dynamodb",
// "kms", "cognito-idp".
func service(r *http.Request) string {
	// AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ses/aws4_request, ...
	_, cred, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "unsigned"
	}
	return parts[3]
}

// TestClients builds the functions' five clients from Load's configuration
// and checks what the general loader's configuration gives them too:
// signed requests with the session token, the SDK's user agent with the
// app ID, the configured attempts.
func TestClients(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	unsetenv(t, endpointVariables...)
	srv := newRecorder(t)
	env := lambdaEnv()
	env["AWS_ENDPOINT_URL"] = srv.URL
	env["AWS_MAX_ATTEMPTS"] = "1"
	env["AWS_SDK_UA_APP_ID"] = "cognitrig-test"
	cfg, err := awsenv.Load(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	call(t, cfg)
	var got []string
	for _, r := range srv.requests() {
		name := service(r)
		got = append(got, name)
		if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(a, "/eu-west-1/"+name+"/") {
			t.Errorf("%s: got Authorization %q, want a SigV4 signature by AKIDEXAMPLE in eu-west-1", name, a)
		}
		if tok := r.Header.Get("X-Amz-Security-Token"); tok != "session" {
			t.Errorf("%s: got session token %q, want session", name, tok)
		}
		if ua := r.Header.Get("User-Agent"); !strings.Contains(ua, "aws-sdk-go-v2/") || !strings.Contains(ua, "app/cognitrig-test") {
			t.Errorf("%s: got User-Agent %q, want the SDK's with app/cognitrig-test", name, ua)
		}
		if a := r.Header.Get("Amz-Sdk-Request"); a != "attempt=1; max=1" {
			t.Errorf("%s: got amz-sdk-request %q, want attempt=1; max=1", name, a)
		}
	}
	if want := []string{"ses", "sns", "dynamodb", "kms", "cognito-idp"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got requests to %v, want one to each of %v", got, want)
	}
}

// TestServiceEndpoints sends the clients to three servers: SES v2 and
// DynamoDB to their own (AWS_ENDPOINT_URL_SESV2, AWS_ENDPOINT_URL_DYNAMODB),
// the others to AWS_ENDPOINT_URL; from a getenv of its own, and from the
// process environment, as in Lambda.
func TestServiceEndpoints(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	general, ses, ddb := newRecorder(t), newRecorder(t), newRecorder(t)
	env := lambdaEnv()
	env["AWS_ENDPOINT_URL"] = general.URL
	env["AWS_ENDPOINT_URL_SESV2"] = ses.URL
	env["AWS_ENDPOINT_URL_DYNAMODB"] = ddb.URL
	env["AWS_MAX_ATTEMPTS"] = "1"

	tests := []struct {
		name    string
		process bool // the variables are in the process environment
	}{
		{name: "getenv", process: false},
		{name: "process environment", process: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetenv(t, endpointVariables...)
			get := getenv(env)
			if tt.process {
				for k, v := range env {
					t.Setenv(k, v)
				}
				get = os.Getenv
			}
			cfg, err := awsenv.Load(get)
			if err != nil {
				t.Fatal(err)
			}
			call(t, cfg)
			for _, c := range []struct {
				name string
				srv  *recorder
				want string
			}{
				{"AWS_ENDPOINT_URL", general, "sns kms cognito-idp"},
				{"AWS_ENDPOINT_URL_SESV2", ses, "ses"},
				{"AWS_ENDPOINT_URL_DYNAMODB", ddb, "dynamodb"},
			} {
				var got []string
				for _, r := range c.srv.requests() {
					got = append(got, service(r))
				}
				if strings.Join(got, " ") != c.want {
					t.Errorf("the server of %s got requests to %v, want %s", c.name, got, c.want)
				}
			}
		})
	}
}

// TestContainerCredentials fetches credentials, on first use only, from a
// container credentials endpoint that checks the authorization token.
func TestContainerCredentials(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("token-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		env         map[string]string
		wantToken   string        // the Authorization header the server wants
		expiresIn   time.Duration // of the credentials the server gives
		wantFetches int32         // after two Retrieve calls
		wantErr     string
	}{
		{name: "token", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": "token-from-env"}, wantToken: "token-from-env", expiresIn: time.Hour, wantFetches: 1},
		{name: "token file wins", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": "token-from-env", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile}, wantToken: "token-from-file", expiresIn: time.Hour, wantFetches: 1},
		{name: "no token", env: map[string]string{}, wantToken: "", expiresIn: time.Hour, wantFetches: 1},
		{name: "refreshed five minutes before expiry", env: map[string]string{}, wantToken: "", expiresIn: 4 * time.Minute, wantFetches: 2},
		{name: "token file missing", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": filepath.Join(dir, "missing")}, wantErr: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fetches atomic.Int32
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fetches.Add(1)
				if got := r.Header.Get("Authorization"); got != tt.wantToken {
					http.Error(w, "got token "+got, http.StatusUnauthorized)
					return
				}
				_ = json.NewEncoder(w).Encode(map[string]string{
					"AccessKeyId": "AKIDCONTAINER", "SecretAccessKey": "s", "Token": "t",
					"Expiration": time.Now().Add(tt.expiresIn).UTC().Format(time.RFC3339),
				})
			}))
			defer s.Close()
			env := map[string]string{"AWS_REGION": "us-east-1", "AWS_CONTAINER_CREDENTIALS_FULL_URI": s.URL + "/creds"}
			for k, v := range tt.env {
				env[k] = v
			}
			cfg, err := awsenv.Load(getenv(env))
			if err != nil {
				t.Fatal(err)
			}
			if n := fetches.Load(); n != 0 {
				t.Fatalf("Load fetched credentials %d times, want none before use", n)
			}
			for range 2 {
				c, err := cfg.Credentials.Retrieve(context.Background())
				if tt.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("got error %v, want one naming %s", err, tt.wantErr)
					}
					return
				}
				if err != nil || c.AccessKeyID != "AKIDCONTAINER" || c.SessionToken != "t" {
					t.Fatalf("got credentials %q/%q, %v; want AKIDCONTAINER", c.AccessKeyID, c.SessionToken, err)
				}
			}
			if n := fetches.Load(); n != tt.wantFetches {
				t.Errorf("fetched %d times, want %d", n, tt.wantFetches)
			}
		})
	}
}

// TestAgainstMoto sends an email through SES v2 and a text through SNS to
// moto_server, with clients built from Load.
func TestAgainstMoto(t *testing.T) {
	endpoint := mototest.Start(t)
	unsetenv(t, endpointVariables...)
	mototest.Setenv(t, endpoint)
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	// moto_server loads each service on its first request, which can take
	// seconds on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ses := sesv2.NewFromConfig(cfg)
	const from, to = "awsenv@example.com", "jane@example.org"
	if _, err := ses.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(from)}); err != nil {
		t.Fatalf("CreateEmailIdentity through moto_server: %v", err)
	}
	if _, err := ses.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from),
		Destination:      &sesv2types.Destination{ToAddresses: []string{to}},
		Content: &sesv2types.EmailContent{Simple: &sesv2types.Message{
			Subject: &sesv2types.Content{Data: aws.String("awsenv")},
			Body:    &sesv2types.Body{Text: &sesv2types.Content{Data: aws.String("hello")}},
		}},
	}); err != nil {
		t.Fatalf("SendEmail through moto_server: %v", err)
	}
	if _, err := sns.NewFromConfig(cfg).Publish(ctx, &sns.PublishInput{PhoneNumber: aws.String("+15555550123"), Message: aws.String("hello")}); err != nil {
		t.Fatalf("Publish through moto_server: %v", err)
	}
	sent := mototest.Sent(t, endpoint)
	if len(sent.Emails) != 1 || sent.Emails[0].Source != from || len(sent.SMS) != 1 || sent.SMS[0].PhoneNumber != "+15555550123" {
		t.Errorf("moto_server holds %+v, want one email from %s and one text to +15555550123", sent, from)
	}
}

// TestLinksNoLoader keeps the general loader, its credential clients and
// the instance metadata client out of the package.
func TestLinksNoLoader(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const sdk = "github.com/aws/aws-sdk-go-v2/"
	forbidden := []string{"config", "service/sts", "service/sso", "service/ssooidc", "service/signin", "feature/ec2/imds"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == sdk+f || strings.HasPrefix(dep, sdk+f+"/") {
				t.Errorf("awsenv links %s: it must not link the SDK's general loader or its credential clients", dep)
			}
		}
	}
}

// TestNoCredentials checks the error of a call without credentials: it
// names the variables to set and, when the AWS CLI's shared credentials
// file or AWS_PROFILE is there, says that a function does not read them.
func TestNoCredentials(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	homeFile := filepath.Join(home, ".aws", "credentials")
	if err := os.WriteFile(homeFile, []byte("[default]\naws_access_key_id = AKIDFILE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	otherFile := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(otherFile, []byte("[default]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyHome := t.TempDir()
	const variables = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (a Lambda function always has them, from its role): set them, or AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	const export = `eval "$(aws configure export-credentials --format env)"`
	tests := []struct {
		name       string
		env        map[string]string
		want       []string // each in the error
		wantAbsent []string // none in the error
	}{
		{name: "no home: names the variables", env: map[string]string{},
			want: []string{variables}, wantAbsent: []string{"not read"}},
		{name: "home without a credentials file: names the variables only", env: map[string]string{"HOME": emptyHome},
			want: []string{variables}, wantAbsent: []string{"not read"}},
		{name: "credentials file in home: says it is not read", env: map[string]string{"HOME": home},
			want: []string{variables, "the shared credentials file " + homeFile + " is not read", "environment only", "cold start", export}},
		{name: "AWS_SHARED_CREDENTIALS_FILE wins over home", env: map[string]string{"HOME": home, "AWS_SHARED_CREDENTIALS_FILE": otherFile},
			want: []string{"the shared credentials file " + otherFile + " is not read"}, wantAbsent: []string{homeFile}},
		{name: "AWS_SHARED_CREDENTIALS_FILE missing: not mentioned", env: map[string]string{"HOME": home, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(emptyHome, "missing")},
			want: []string{variables}, wantAbsent: []string{"not read"}},
		{name: "a directory is no credentials file", env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": emptyHome},
			want: []string{variables}, wantAbsent: []string{"not read"}},
		{name: "/dev/null, the way to turn the file off, is no credentials file", env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": os.DevNull},
			want: []string{variables}, wantAbsent: []string{"not read"}},
		{name: "AWS_PROFILE: says it is not read", env: map[string]string{"HOME": emptyHome, "AWS_PROFILE": "dev"},
			want: []string{variables, `AWS_PROFILE="dev" is not read`, export}},
		{name: "file and profile", env: map[string]string{"HOME": home, "AWS_PROFILE": "dev"},
			want: []string{"the shared credentials file " + homeFile + ` and AWS_PROFILE="dev" are not read`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"AWS_REGION": "eu-west-1"}
			for k, v := range tt.env {
				env[k] = v
			}
			cfg, err := awsenv.Load(getenv(env))
			if err != nil {
				t.Fatalf("Load without credentials: %v; want success (only the calls need credentials)", err)
			}
			_, err = cfg.Credentials.Retrieve(context.Background())
			if !errors.Is(err, awsenv.ErrNoCredentials) {
				t.Fatalf("Retrieve: got error %v, want ErrNoCredentials", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
			for _, w := range tt.wantAbsent {
				if strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it without %q", err, w)
				}
			}
		})
	}
}

// TestCallWithoutCredentials makes a call with a client built without
// credentials: it fails before sending anything, with the error naming the
// variables to set.
func TestCallWithoutCredentials(t *testing.T) {
	unsetenv(t, endpointVariables...)
	srv := newRecorder(t)
	cfg, err := awsenv.Load(getenv(map[string]string{"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": srv.URL}))
	if err != nil {
		t.Fatalf("Load without credentials: %v; want success", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = sesv2.NewFromConfig(cfg).GetAccount(ctx, &sesv2.GetAccountInput{})
	if !errors.Is(err, awsenv.ErrNoCredentials) || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set") {
		t.Errorf("got error %v, want ErrNoCredentials naming AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", err)
	}
	if reqs := srv.requests(); len(reqs) != 0 {
		t.Errorf("the call without credentials sent %d requests, want none", len(reqs))
	}
}
