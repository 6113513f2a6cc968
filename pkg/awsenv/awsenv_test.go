package awsenv_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/mototest"
)

func getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// lambdaEnv is what Lambda gives every function.
func lambdaEnv() map[string]string {
	return map[string]string{
		"AWS_REGION":            "eu-west-1",
		"AWS_ACCESS_KEY_ID":     "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_SESSION_TOKEN":     "session",
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		change  map[string]string // "" deletes
		wantErr []string          // in the error; nil: success
		check   func(t *testing.T, cfg aws.Config)
	}{
		{name: "lambda", check: func(t *testing.T, cfg aws.Config) {
			if cfg.Region != "eu-west-1" || cfg.BaseEndpoint != nil || cfg.RetryMaxAttempts != 0 {
				t.Errorf("region %q, endpoint %v, attempts %d", cfg.Region, cfg.BaseEndpoint, cfg.RetryMaxAttempts)
			}
			c, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != "AKIDEXAMPLE" || c.SessionToken != "session" {
				t.Errorf("credentials %+v, %v", c, err)
			}
		}},
		{name: "default region", change: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.Region != "us-west-2" {
				t.Errorf("region %q", cfg.Region)
			}
		}},
		{name: "endpoint and retries", change: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive"}, check: func(t *testing.T, cfg aws.Config) {
			if aws.ToString(cfg.BaseEndpoint) != "http://127.0.0.1:4566" || cfg.RetryMaxAttempts != 5 || cfg.RetryMode != aws.RetryModeAdaptive {
				t.Errorf("endpoint %v, attempts %d, mode %q", cfg.BaseEndpoint, cfg.RetryMaxAttempts, cfg.RetryMode)
			}
		}},
		{name: "ignored endpoint", change: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, check: func(t *testing.T, cfg aws.Config) {
			if cfg.BaseEndpoint != nil || cfg.ConfigSources != nil {
				t.Errorf("endpoint %v, sources %v", cfg.BaseEndpoint, cfg.ConfigSources)
			}
		}},
		{name: "no region", change: map[string]string{"AWS_REGION": ""}, wantErr: []string{"AWS_REGION", "AWS_DEFAULT_REGION"}},
		{name: "half a key", change: map[string]string{"AWS_SECRET_ACCESS_KEY": ""}, wantErr: []string{"AWS_SECRET_ACCESS_KEY is not"}},
		{name: "other half", change: map[string]string{"AWS_ACCESS_KEY_ID": ""}, wantErr: []string{"AWS_ACCESS_KEY_ID is not"}},
		{name: "no credentials", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, wantErr: []string{"no credentials", "AWS_ACCESS_KEY_ID"}},
		{name: "bad container URI", change: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "ftp://x"}, wantErr: []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI"}},
		{name: "bad endpoint", change: map[string]string{"AWS_ENDPOINT_URL": "localhost:4566"}, wantErr: []string{"AWS_ENDPOINT_URL="}},
		{name: "bad attempts", change: map[string]string{"AWS_MAX_ATTEMPTS": "0"}, wantErr: []string{"AWS_MAX_ATTEMPTS"}},
		{name: "bad mode", change: map[string]string{"AWS_RETRY_MODE": "legacy"}, wantErr: []string{"AWS_RETRY_MODE"}},
		{name: "every problem at once", change: map[string]string{"AWS_REGION": "", "AWS_MAX_ATTEMPTS": "x", "AWS_RETRY_MODE": "y"}, wantErr: []string{"AWS_REGION", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"}},
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
						t.Errorf("error %q does not name %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q repeats the secret key", err)
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

// TestServiceEndpoints sends two clients to two servers by their
// AWS_ENDPOINT_URL_<SERVICE> variables.
func TestServiceEndpoints(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	hits := map[string]int{}
	server := func(name string) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[name]++
			http.Error(w, "no", http.StatusForbidden)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	env := lambdaEnv()
	env["AWS_ENDPOINT_URL_SESV2"] = server("ses")
	env["AWS_ENDPOINT_URL_SNS"] = server("sns")
	env["AWS_MAX_ATTEMPTS"] = "1"
	// The clients look up these two in the process environment before
	// asking the configuration: set them there too, as Lambda would.
	t.Setenv("AWS_ENDPOINT_URL_SESV2", env["AWS_ENDPOINT_URL_SESV2"])
	t.Setenv("AWS_ENDPOINT_URL_SNS", env["AWS_ENDPOINT_URL_SNS"])
	cfg, err := awsenv.Load(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, _ = sesv2.NewFromConfig(cfg).GetAccount(ctx, &sesv2.GetAccountInput{})
	_, _ = sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})
	if hits["ses"] != 1 || hits["sns"] != 1 {
		t.Errorf("requests per server: %v, want one each", hits)
	}
}

// TestContainerCredentials fetches credentials, on first use only, from a
// container credentials endpoint that checks the token of the token file.
func TestContainerCredentials(t *testing.T) {
	fetches := 0
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches++
		if r.Header.Get("Authorization") != "token-from-file" {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": "AKIDCONTAINER", "SecretAccessKey": "s", "Token": "t", "Expiration": "2100-01-01T00:00:00Z",
		})
	}))
	defer s.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("token-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"AWS_REGION":                             "us-east-1",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     s.URL + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "overridden",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
	}
	cfg, err := awsenv.Load(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	if fetches != 0 {
		t.Fatalf("Load fetched credentials %d times, want none before use", fetches)
	}
	for range 2 {
		c, err := cfg.Credentials.Retrieve(context.Background())
		if err != nil || c.AccessKeyID != "AKIDCONTAINER" {
			t.Fatalf("credentials %+v, %v", c, err)
		}
	}
	if fetches != 1 {
		t.Errorf("fetched %d times, want once (cached)", fetches)
	}
}

// TestAgainstMoto makes a real call with a client built from Load.
func TestAgainstMoto(t *testing.T) {
	endpoint := mototest.Start(t)
	mototest.Setenv(t, endpoint)
	cfg, err := awsenv.Load(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := sesv2.NewFromConfig(cfg).CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String("awsenv@example.com")}); err != nil {
		t.Fatalf("CreateEmailIdentity through moto_server: %v", err)
	}
}

// TestLinksNoLoader keeps the general loader and its credential clients
// out of the package.
func TestLinksNoLoader(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"aws-sdk-go-v2/config", "service/sts", "service/sso", "service/ssooidc", "service/signin", "feature/ec2/imds"} {
			if strings.HasSuffix(dep, bad) {
				t.Errorf("awsenv links %s", dep)
			}
		}
	}
}
