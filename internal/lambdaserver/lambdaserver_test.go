package lambdaserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/cognitrig/cognitrig/internal/lambdaserver"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/internal/rie"
	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

var emulator, echo string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "lambdaserver-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	if emulator, err = rietest.Emulator(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	echo = filepath.Join(dir, "echofn", "bootstrap")
	if err := rietest.Build(echo, "../rie/testdata/echofn"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}

// serve starts a server for two echo functions, "echo" and "other", and
// returns a Lambda client pointed at it.
func serve(t *testing.T) (*lambda.Client, string, *lambdaserver.Server) {
	t.Helper()
	return serveFunctions(t, []rie.Function{
		{Name: "echo", Bootstrap: echo, Emulator: emulator, Timeout: 2 * time.Second},
		{Name: "other", Bootstrap: echo, Emulator: emulator},
	}, lambdaserver.WithAlias("Echo", "echo"))
}

// serveFunctions starts a server for fns and returns a Lambda client
// pointed at it, which does not retry.
func serveFunctions(t *testing.T, fns []rie.Function, opts ...lambdaserver.Option) (*lambda.Client, string, *lambdaserver.Server) {
	t.Helper()
	srv, err := lambdaserver.New(fns, append(opts, lambdaserver.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	client := lambda.NewFromConfig(mototest.Config(hs.URL), func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	return client, hs.URL, srv
}

// The AWS SDK's Lambda client, pointed at the server, sees what it would
// see from Lambda.
func TestInvokeThroughTheSDK(t *testing.T) {
	client, _, _ := serve(t)
	ctx := t.Context()
	tests := []struct {
		name      string
		function  string
		payload   string
		invType   types.InvocationType
		status    int32
		funcError string
		body      string // a part of the response payload
		errType   any    // a pointer to the typed error wanted, or nil
	}{
		{name: "by name", function: "echo", payload: `{"userName":"alice"}`, status: 200, body: `"userName":"alice"`},
		{name: "by name and qualifier", function: "echo:$LATEST", payload: `{"a":1}`, status: 200, body: `"a":1`},
		{name: "by alias", function: "Echo", payload: `{"d":4}`, status: 200, body: `"d":4`},
		{name: "by ARN", function: "arn:aws:lambda:us-east-1:123456789012:function:other", payload: `[1,2]`, status: 200, body: `[1,2]`},
		{name: "function error", function: "echo", payload: `{"fail":true}`, status: 200, funcError: "Unhandled", body: `echofn was asked to fail`},
		{name: "panic", function: "echo", payload: `{"panic":true}`, status: 200, funcError: "Unhandled", body: `errorMessage`},
		{name: "timeout", function: "echo", payload: `{"sleep":"3s"}`, status: 200, funcError: "Unhandled", body: `Task timed out`},
		{name: "works after a timeout", function: "echo", payload: `{"b":2}`, status: 200, body: `"b":2`},
		{name: "event", function: "other", payload: `{"c":3}`, invType: types.InvocationTypeEvent, status: 202},
		{name: "dry run", function: "other", payload: `{}`, invType: types.InvocationTypeDryRun, status: 204},
		{name: "unknown function", function: "nope", payload: `{}`, errType: new(*types.ResourceNotFoundException)},
		{name: "not JSON", function: "echo", payload: `{"a":`, errType: new(*types.InvalidRequestContentException)},
		{name: "too large", function: "echo", payload: `"` + strings.Repeat("x", lambdaserver.MaxPayload) + `"`, errType: new(*types.RequestTooLargeException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := client.Invoke(ctx, &lambda.InvokeInput{
				FunctionName:   aws.String(tt.function),
				Payload:        []byte(tt.payload),
				InvocationType: tt.invType,
			})
			if tt.errType != nil {
				if err == nil || !errors.As(err, tt.errType) {
					t.Fatalf("Invoke error = %v, want %T", err, tt.errType)
				}
				return
			}
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if out.StatusCode != tt.status || aws.ToString(out.FunctionError) != tt.funcError || !strings.Contains(string(out.Payload), tt.body) {
				t.Errorf("got status %d, function error %q, payload %.200s; want %d, %q, a payload with %s",
					out.StatusCode, aws.ToString(out.FunctionError), out.Payload, tt.status, tt.funcError, tt.body)
			}
		})
	}
}

// Concurrent invocations of one function all succeed: the server runs
// them one at a time (the emulator crashes when given two).
func TestConcurrentInvocations(t *testing.T) {
	client, _, _ := serve(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		for _, fn := range []string{"echo", "other"} {
			wg.Go(func() {
				payload := fmt.Sprintf(`{"n":%d}`, i)
				out, err := client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: []byte(payload)})
				switch {
				case err != nil:
					errs <- err
				case out.FunctionError != nil || !bytes.Contains(out.Payload, []byte(payload[1:len(payload)-1])):
					errs <- fmt.Errorf("%s %s: function error %v, payload %s", fn, payload, aws.ToString(out.FunctionError), out.Payload)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Requests that are not invocations get Lambda-shaped errors.
func TestOtherRequests(t *testing.T) {
	_, url, _ := serve(t)
	tests := []struct {
		method, path string
		status       int
		errType      string
	}{
		{"GET", "/2015-03-31/functions/echo/invocations", http.StatusMethodNotAllowed, "InvalidRequestContentException"},
		{"POST", "/2015-03-31/functions/echo", http.StatusNotFound, "UnknownOperationException"},
		{"POST", "/", http.StatusNotFound, "UnknownOperationException"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, url+tt.path, strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ Message string }
		if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-ErrorType") != tt.errType || json.Unmarshal(body, &e) != nil || e.Message == "" {
			t.Errorf("%s %s: %d %s %s; want %d %s with a message", tt.method, tt.path, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, tt.status, tt.errType)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name string
		fns  []rie.Function
		want string
	}{
		{"no name", []rie.Function{{Bootstrap: echo}}, "no name"},
		{"two of a name", []rie.Function{{Name: "a"}, {Name: "a"}}, `"a"`},
		{"alias of nothing", []rie.Function{{Name: "a"}}, `"b"`},
		{"alias taken", []rie.Function{{Name: "a"}, {Name: "c"}}, `"c"`},
	}
	aliases := map[string]lambdaserver.Option{"alias of nothing": lambdaserver.WithAlias("x", "b"), "alias taken": lambdaserver.WithAlias("c", "a")}
	for _, tt := range tests {
		var opts []lambdaserver.Option
		if o, ok := aliases[tt.name]; ok {
			opts = append(opts, o)
		}
		if _, err := lambdaserver.New(tt.fns, opts...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New = %v, want an error with %s", tt.name, err, tt.want)
		}
	}
}

// After Close, invocations fail and no emulator is left running.
func TestClose(t *testing.T) {
	client, _, srv := serve(t)
	if _, err := client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var svc *types.ServiceException
	if _, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{}`)}); !errors.As(err, &svc) {
		t.Errorf("Invoke after Close = %v, want a ServiceException", err)
	}
}
