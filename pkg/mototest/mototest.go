// Package mototest starts moto_server, the local AWS emulator, for tests
// that use the real AWS SDK clients: SES v2, SNS, KMS, DynamoDB and
// cognito-idp. Point a client at the endpoint Start returns (BaseEndpoint,
// or AWS_ENDPOINT_URL), with any static credentials.
package mototest

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Start starts a moto_server on a free local port and returns its
// endpoint once it answers. The server is stopped when the test ends,
// whether it passed or not. Without moto_server on PATH the test fails,
// or is skipped under -short.
func Start(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if testing.Short() {
			tb.Skip("moto_server is not on PATH")
		}
		tb.Fatal("moto_server is not on PATH; install it with pip install 'moto[server]'")
	}
	port, err := freePort()
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	logPath := filepath.Join(tb.TempDir(), "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		tb.Fatalf("create the moto_server log: %v", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd.Stdout, cmd.Stderr = logFile, logFile
	out := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start moto_server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return endpoint
		}
		select {
		case <-exited:
			tb.Fatalf("moto_server exited before answering:\n%s", out())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("moto_server did not answer on %s within 30s:\n%s", endpoint, out())
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
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
