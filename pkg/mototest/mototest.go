// Package mototest starts moto_server, the local AWS emulator, for tests
// that use the real AWS SDK clients: SES v2, SNS, KMS, DynamoDB and
// cognito-idp. Point a client at the endpoint Start returns (BaseEndpoint,
// or AWS_ENDPOINT_URL), with any static credentials.
package mototest

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cognitrig/cognitrig/pkg/moto"
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

// Messages is what moto_server holds of the messages it was asked to
// send, from its GET /moto-api/data.json.
type Messages struct {
	// Emails are the SES messages, oldest first. Body is the HTML part of
	// a message that has one, else its text part.
	Emails []Email
	// SMS are the SNS text messages published to phone numbers, oldest
	// first.
	SMS []SMS
}

// Email is one message sent through SES.
type Email struct {
	Source       string `json:"source"`
	Subject      string `json:"subject"`
	Body         string `json:"body"`
	Destinations struct {
		ToAddresses []string `json:"ToAddresses"`
	} `json:"destinations"`
}

// SMS is one text message sent through SNS.
type SMS struct {
	PhoneNumber string `json:"phone_number"`
	Message     string `json:"message"`
}

// Sent returns the messages the moto_server at endpoint holds. It fails
// the test when it cannot read them.
func Sent(tb testing.TB, endpoint string) Messages {
	tb.Helper()
	resp, err := http.Get(endpoint + "/moto-api/data.json")
	if err != nil {
		tb.Fatalf("read moto's data: %v", err)
	}
	defer resp.Body.Close()
	var d struct {
		SES struct {
			Message []Email `json:"Message"`
		} `json:"ses"`
		SNS struct {
			SMS []SMS `json:"SMS"`
		} `json:"sns"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		tb.Fatalf("decode moto's data: %v", err)
	}
	return Messages{Emails: d.SES.Message, SMS: d.SNS.SMS}
}
