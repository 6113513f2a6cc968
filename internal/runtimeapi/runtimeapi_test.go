package runtimeapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/rie/rietest"
	"github.com/cognitrig/cognitrig/internal/runtimeapi"
)

// wait bounds every wait of these tests, so that a broken server fails a
// test instead of hanging it. It is no measurement.
const wait = 30 * time.Second

// echofn is the path of the echofn test bootstrap, built by TestMain.
var echofn string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "runtimeapi-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	echofn = filepath.Join(dir, "bootstrap")
	if err := rietest.Build(echofn, "../rie/testdata/echofn"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// start starts a server for the test, closed at its end.
func start(t *testing.T, opts runtimeapi.Options) *runtimeapi.Server {
	t.Helper()
	s, err := runtimeapi.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// launch starts the echofn bootstrap with env, tells s when it exits, and
// kills it at the end of the test.
func launch(t *testing.T, s *runtimeapi.Server, env ...string) {
	t.Helper()
	cmd := exec.Command(echofn)
	cmd.Env = env
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		s.Exited(cmd.Wait())
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
}

func context30s(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

func TestBootstrapInvocations(t *testing.T) {
	tests := []struct {
		name  string
		event string
		// check inspects the response; the error of Wait must be nil.
		check func(t *testing.T, r runtimeapi.Response)
	}{
		{"the event comes back as the response", `{"hello":"world"}`, func(t *testing.T, r runtimeapi.Response) {
			if r.Err != nil || string(r.Payload) != `{"hello":"world"}` {
				t.Errorf("got %s, error %v; want the event back", r.Payload, r.Err)
			}
		}},
		{"a returned error is a function error", `{"fail":true}`, func(t *testing.T, r runtimeapi.Response) {
			if r.Err == nil || r.Err.Type != "errorString" || r.Err.Message != "echofn was asked to fail" {
				t.Errorf("got error %v; want errorString: echofn was asked to fail", r.Err)
			}
		}},
		{"a panic is a function error", `{"panic":true}`, func(t *testing.T, r runtimeapi.Response) {
			if r.Err == nil || !strings.Contains(r.Err.Message, "asked to panic") {
				t.Errorf("got error %v; want the panic", r.Err)
			}
		}},
		{"an exit fails the invocation in flight", `{"exit":3}`, func(t *testing.T, r runtimeapi.Response) {
			if r.Err == nil || r.Err.Type != runtimeapi.ExitErrorType || !strings.Contains(r.Err.Message, "exit status 3") {
				t.Errorf("got error %v; want %s with exit status 3", r.Err, runtimeapi.ExitErrorType)
			}
		}},
		{"the trace ID header reaches the function", `{"getenv":["_X_AMZN_TRACE_ID"]}`, func(t *testing.T, r runtimeapi.Response) {
			var got struct{ Env map[string]*string }
			if err := json.Unmarshal(r.Payload, &got); err != nil || r.Err != nil {
				t.Fatalf("got %s, error %v, %v", r.Payload, r.Err, err)
			}
			if v := got.Env["_X_AMZN_TRACE_ID"]; v == nil || !strings.HasPrefix(*v, "Root=1-") {
				t.Errorf("got _X_AMZN_TRACE_ID %v; want a trace ID", v)
			}
		}},
		{"a large response arrives whole", `{"size":1000000}`, func(t *testing.T, r runtimeapi.Response) {
			if r.Err != nil || len(r.Payload) != len(`{"data":""}`)+1000000 {
				t.Errorf("got %d bytes, error %v; want 1000011 bytes", len(r.Payload), r.Err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context30s(t)
			s := start(t, runtimeapi.Options{})
			// Queue the event before the start: the first next finds it.
			p, err := s.Enqueue([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			launch(t, s, s.Env())
			ready, err := s.WaitReady(ctx)
			if err != nil {
				t.Fatalf("got %v; want the bootstrap to ask for an event", err)
			}
			r, err := p.Wait(ctx)
			if err != nil {
				t.Fatalf("got %v; want a response", err)
			}
			if r.RequestID != p.RequestID() {
				t.Errorf("got request ID %q; want %q", r.RequestID, p.RequestID())
			}
			if r.Dispatched.Before(ready) || r.Posted.Before(r.Dispatched) {
				t.Errorf("got first next %v, dispatch %v, post %v; want them in this order", ready, r.Dispatched, r.Posted)
			}
			tt.check(t, r)
		})
	}
}

func TestBootstrapServesManyEvents(t *testing.T) {
	ctx := context30s(t)
	s := start(t, runtimeapi.Options{})
	launch(t, s, s.Env())
	for i := range 200 {
		event := fmt.Sprintf(`{"i":%d}`, i)
		r, err := s.Invoke(ctx, []byte(event))
		if err != nil {
			t.Fatalf("invocation %d: %v", i, err)
		}
		if r.Err != nil || string(r.Payload) != event {
			t.Fatalf("invocation %d: got %s, error %v; want %s", i, r.Payload, r.Err, event)
		}
	}
}

func TestBootstrapExitsAtStart(t *testing.T) {
	ctx := context30s(t)
	s := start(t, runtimeapi.Options{})
	p, err := s.Enqueue([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	// Without AWS_LAMBDA_RUNTIME_API, aws-lambda-go exits at once.
	launch(t, s)
	_, err = s.WaitReady(ctx)
	var ie *runtimeapi.InitError
	if !errors.As(err, &ie) || ie.Type != runtimeapi.ExitErrorType || !strings.Contains(ie.Message, "exit status 1") {
		t.Fatalf("got %v; want an init error %s with exit status 1", err, runtimeapi.ExitErrorType)
	}
	if _, err := p.Wait(ctx); !errors.As(err, &ie) {
		t.Errorf("got %v from the queued event; want the init error", err)
	}
	if _, ok := s.FirstNext(); ok {
		t.Error("got a first next; want none")
	}
}

func TestWaitsEnd(t *testing.T) {
	tests := []struct {
		name string
		end  func(s *runtimeapi.Server, cancel context.CancelCauseFunc)
		want error
	}{
		{"when the context ends", func(_ *runtimeapi.Server, cancel context.CancelCauseFunc) { cancel(errCancelled) }, errCancelled},
		{"when the server closes", func(s *runtimeapi.Server, _ context.CancelCauseFunc) { s.Close() }, runtimeapi.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context30s(t))
			s := start(t, runtimeapi.Options{})
			p, err := s.Enqueue([]byte(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			tt.end(s, cancel)
			if _, err := s.WaitReady(ctx); !errors.Is(err, tt.want) {
				t.Errorf("WaitReady: got %v; want %v", err, tt.want)
			}
			if _, err := p.Wait(ctx); !errors.Is(err, tt.want) {
				t.Errorf("Wait: got %v; want %v", err, tt.want)
			}
		})
	}
}

var errCancelled = errors.New("cancelled by the test")

// client speaks the Runtime API the way a bootstrap does, by hand.
type client struct {
	t    *testing.T
	base string
}

func (c client) do(method, path string, header http.Header, body io.Reader, trailer http.Header) (int, http.Header, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Trailer = trailer
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// next asks for the next event and returns its request ID.
func (c client) next() string {
	c.t.Helper()
	code, h, _ := c.do("GET", "/2018-06-01/runtime/invocation/next", nil, nil, nil)
	if code != http.StatusOK {
		c.t.Fatalf("next: got status %d; want 200", code)
	}
	return h.Get(runtimeapi.HeaderRequestID)
}

// trailingReader reads body, then sets the error trailers, as
// aws-lambda-go does when a response fails while it is sent.
type trailingReader struct {
	body    io.Reader
	trailer http.Header
	doc     string
}

func (r *trailingReader) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	if err == io.EOF {
		r.trailer.Set(runtimeapi.HeaderErrorType, "ReadError")
		r.trailer.Set("Lambda-Runtime-Function-Error-Body", base64.StdEncoding.EncodeToString([]byte(r.doc)))
	}
	return n, err
}

func TestProtocol(t *testing.T) {
	const arn = "arn:aws:lambda:eu-west-1:123456789012:function:probe"
	tests := []struct {
		name string
		run  func(t *testing.T, s *runtimeapi.Server, c client)
	}{
		{"next answers with the event and the Lambda headers", func(t *testing.T, s *runtimeapi.Server, c client) {
			before := time.Now()
			p, _ := s.Enqueue([]byte(`{"a":1}`))
			code, h, body := c.do("GET", "/2018-06-01/runtime/invocation/next", nil, nil, nil)
			if code != http.StatusOK || body != `{"a":1}` {
				t.Fatalf("got %d %s; want 200 and the event", code, body)
			}
			if got := h.Get(runtimeapi.HeaderRequestID); got != p.RequestID() {
				t.Errorf("got request ID %q; want %q", got, p.RequestID())
			}
			if got := h.Get(runtimeapi.HeaderFunctionARN); got != arn {
				t.Errorf("got function ARN %q; want %q", got, arn)
			}
			if got := h.Get(runtimeapi.HeaderTraceID); !strings.HasPrefix(got, "Root=1-") {
				t.Errorf("got trace ID %q; want Root=1-…", got)
			}
			ms, err := strconv.ParseInt(h.Get(runtimeapi.HeaderDeadlineMs), 10, 64)
			if err != nil || time.UnixMilli(ms).Before(before.Add(time.Minute).Truncate(time.Millisecond)) { // the header has whole milliseconds
				t.Errorf("got deadline %q; want at least the 1-minute timeout after the dispatch", h.Get(runtimeapi.HeaderDeadlineMs))
			}
		}},
		{"a response is accepted once", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			id := c.next()
			if code, _, body := c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/response", nil, strings.NewReader(`"ok"`), nil); code != http.StatusAccepted {
				t.Fatalf("got %d %s; want 202", code, body)
			}
			if r, err := p.Wait(context30s(t)); err != nil || string(r.Payload) != `"ok"` || r.Err != nil {
				t.Errorf("got %s, %v, %v; want \"ok\"", r.Payload, r.Err, err)
			}
			code, _, body := c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/response", nil, strings.NewReader(`"again"`), nil)
			if code != http.StatusBadRequest || !strings.Contains(body, "InvalidRequestID") {
				t.Errorf("got %d %s for a second response; want 400 InvalidRequestID", code, body)
			}
		}},
		{"an unknown request ID is refused", func(t *testing.T, s *runtimeapi.Server, c client) {
			code, _, body := c.do("POST", "/2018-06-01/runtime/invocation/nobody/error", nil, strings.NewReader(`{}`), nil)
			if code != http.StatusBadRequest || !strings.Contains(body, "InvalidRequestID") {
				t.Errorf("got %d %s; want 400 InvalidRequestID", code, body)
			}
		}},
		{"an error takes its type from the header before the document", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			id := c.next()
			h := http.Header{runtimeapi.HeaderErrorType: {"Custom.Header"}}
			if code, _, body := c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/error", h, strings.NewReader(`{"errorType":"Doc","errorMessage":"it broke"}`), nil); code != http.StatusAccepted {
				t.Fatalf("got %d %s; want 202", code, body)
			}
			r, err := p.Wait(context30s(t))
			if err != nil || r.Err == nil || r.Err.Type != "Custom.Header" || r.Err.Message != "it broke" {
				t.Errorf("got %v, %v; want Custom.Header: it broke", r.Err, err)
			}
		}},
		{"an error without a header takes the document's type", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			id := c.next()
			c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/error", nil, strings.NewReader(`{"errorType":"Doc","errorMessage":"it broke"}`), nil)
			r, err := p.Wait(context30s(t))
			if err != nil || r.Err == nil || r.Err.Type != "Doc" {
				t.Errorf("got %v, %v; want Doc: it broke", r.Err, err)
			}
		}},
		{"a response ended by error trailers is a function error", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			id := c.next()
			trailer := http.Header{runtimeapi.HeaderErrorType: nil, "Lambda-Runtime-Function-Error-Body": nil}
			body := &trailingReader{body: strings.NewReader(`{"partial":`), trailer: trailer, doc: `{"errorType":"ReadError","errorMessage":"stream broke"}`}
			if code, _, b := c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/response", nil, body, trailer); code != http.StatusAccepted {
				t.Fatalf("got %d %s; want 202", code, b)
			}
			r, err := p.Wait(context30s(t))
			if err != nil || r.Err == nil || r.Err.Type != "ReadError" || r.Err.Message != "stream broke" {
				t.Errorf("got %v, %v; want ReadError: stream broke", r.Err, err)
			}
		}},
		{"a response over the limit is refused and fails the invocation", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			id := c.next()
			code, _, _ := c.do("POST", "/2018-06-01/runtime/invocation/"+id+"/response", nil, strings.NewReader(strings.Repeat("x", runtimeapi.MaxPayload+1)), nil)
			if code != http.StatusRequestEntityTooLarge {
				t.Errorf("got %d; want 413", code)
			}
			r, err := p.Wait(context30s(t))
			if err != nil || r.Err == nil || r.Err.Type != "Function.ResponseSizeTooLarge" {
				t.Errorf("got %v, %v; want Function.ResponseSizeTooLarge", r.Err, err)
			}
		}},
		{"an init error ends the waits", func(t *testing.T, s *runtimeapi.Server, c client) {
			p, _ := s.Enqueue([]byte(`{}`))
			h := http.Header{runtimeapi.HeaderErrorType: {"Runtime.ConfigError"}}
			if code, _, body := c.do("POST", "/2018-06-01/runtime/init/error", h, strings.NewReader(`{"errorMessage":"APP_NAME is required","errorType":"ConfigError"}`), nil); code != http.StatusAccepted {
				t.Fatalf("got %d %s; want 202", code, body)
			}
			_, err := s.WaitReady(context30s(t))
			var ie *runtimeapi.InitError
			if !errors.As(err, &ie) || ie.Type != "Runtime.ConfigError" || ie.Message != "APP_NAME is required" {
				t.Errorf("WaitReady: got %v; want Runtime.ConfigError: APP_NAME is required", err)
			}
			if _, err := p.Wait(context30s(t)); !errors.As(err, &ie) {
				t.Errorf("Wait: got %v; want the init error", err)
			}
		}},
		{"the first next is recorded once", func(t *testing.T, s *runtimeapi.Server, c client) {
			s.Enqueue([]byte(`{}`))
			s.Enqueue([]byte(`{}`))
			c.next()
			first, ok := s.FirstNext()
			c.next()
			again, _ := s.FirstNext()
			if !ok || !first.Equal(again) {
				t.Errorf("got %v then %v (recorded %v); want one time, kept", first, again, ok)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, runtimeapi.Options{FunctionARN: arn, Timeout: time.Minute})
			tt.run(t, s, client{t: t, base: "http://" + s.Addr()})
		})
	}
}
