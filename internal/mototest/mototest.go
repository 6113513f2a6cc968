// Package mototest starts moto_server, the local AWS emulator, for tests
// that use the real AWS SDK clients: SES v2, SNS, KMS, DynamoDB and
// cognito-idp. Point a client at the endpoint Start returns (BaseEndpoint,
// or AWS_ENDPOINT_URL), with any static credentials.
package mototest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cognitrig/cognitrig/internal/moto"
)

// Start starts a moto_server on a free local port and returns its
// endpoint once it answers. The server is stopped when the test ends,
// whether it passed or not. Without moto_server on PATH the test fails,
// or is skipped under -short.
func Start(tb testing.TB) string {
	tb.Helper()
	if _, err := exec.LookPath(moto.Binary); err != nil {
		if testing.Short() {
			tb.Skip("moto_server is not on PATH")
		}
		tb.Fatal("moto_server is not on PATH; install it with pip install 'moto[server]'")
	}
	logPath := filepath.Join(tb.TempDir(), "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		tb.Fatalf("create the moto_server log: %v", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	srv, err := moto.Start(context.Background(), 0, logFile)
	if err != nil {
		out, _ := os.ReadFile(logPath)
		tb.Fatalf("%v\n%s", err, out)
	}
	tb.Cleanup(func() { srv.Close() })
	return srv.Endpoint
}

// Region is the region of the configurations [Config] returns.
const Region = "us-east-1"

// Config returns an AWS SDK configuration that sends every client built
// from it to endpoint (a moto_server, or a test's own HTTP server) with
// fake static credentials, in [Region].
func Config(endpoint string) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// Messages, Email and SMS are what moto_server holds of the messages it
// was asked to send; see package moto.
type (
	Messages = moto.Messages
	Email    = moto.Email
	SMS      = moto.SMS
)

// Sent returns the messages the moto_server at endpoint holds. It fails
// the test when it cannot read them.
func Sent(tb testing.TB, endpoint string) Messages {
	tb.Helper()
	m, err := moto.Sent(context.Background(), endpoint)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Setenv points the AWS SDK of this process at endpoint for the rest of
// the test, through the standard AWS_* variables, with fake credentials
// in Region, and keeps it from looking anywhere else: no shared config or
// credentials file, no profile, no EC2 instance metadata. Code that loads
// its AWS configuration from the environment (awsenv.Load, as a trigger's
// main does, or the SDK's default loader) then talks to moto_server only.
func Setenv(t *testing.T, endpoint string) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": Region,
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull, "AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
}
