// Package runtimeapi serves the AWS Lambda Runtime API: the HTTP API that a
// "provided" runtime bootstrap (a Go binary built with
// github.com/aws/aws-lambda-go, for instance) finds through
// AWS_LAMBDA_RUNTIME_API, asks for its next event and posts its response or
// error to. It stands in for Lambda around one bootstrap process, with
// nothing between them, so that a harness can measure the bootstrap itself:
// [Server] records when the first next request arrived and when each
// response was posted.
//
// [Start] listens on a free port of 127.0.0.1. Give the bootstrap
// [Server.Env] (AWS_LAMBDA_RUNTIME_API=host:port) and start it; queue events
// with [Server.Enqueue] (before the start, so that the first next finds one
// waiting) and collect each [Response] with [Pending.Wait].
// [Server.WaitReady] returns when the bootstrap has finished its
// initialization, that is when it first asks for an event. When the process
// exits, call [Server.Exited]: as Lambda does, the server then fails the
// initialization (when no next came yet) and every invocation not answered
// with a Runtime.ExitError.
//
// The server implements these routes of the 2018-06-01 API:
//
//	GET  /2018-06-01/runtime/invocation/next            the next event, when one is queued
//	POST /2018-06-01/runtime/invocation/{id}/response   the response of an invocation
//	POST /2018-06-01/runtime/invocation/{id}/error      the error of an invocation
//	POST /2018-06-01/runtime/init/error                 an initialization error
//
// An event comes with the headers Lambda-Runtime-Aws-Request-Id,
// Lambda-Runtime-Deadline-Ms (the dispatch time plus [Options.Timeout]),
// Lambda-Runtime-Invoked-Function-Arn and Lambda-Runtime-Trace-Id. Posts are
// answered 202; a post for a request ID that is not in flight gets 400, a
// payload over [MaxPayload] 413 (and fails the invocation), as from Lambda.
// The server does not enforce the deadline: the caller's [Pending.Wait]
// context bounds each wait.
package runtimeapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// DefaultTimeout is the function timeout used when Options.Timeout is
	// zero: Lambda's default.
	DefaultTimeout = 3 * time.Second
	// DefaultFunctionARN is the invoked function ARN used when
	// Options.FunctionARN is empty.
	DefaultFunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:function"
	// MaxPayload is the largest response or error body the server accepts,
	// Lambda's limit for a synchronous invocation.
	MaxPayload = 6 << 20
	// QueueSize is how many events may wait for a next request at once.
	QueueSize = 4096
)

// Header names of the Runtime API.
const (
	HeaderRequestID   = "Lambda-Runtime-Aws-Request-Id"
	HeaderDeadlineMs  = "Lambda-Runtime-Deadline-Ms"
	HeaderFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	HeaderTraceID     = "Lambda-Runtime-Trace-Id"
	// HeaderErrorType is the header, or trailer, in which a runtime names
	// the type of a function or initialization error.
	HeaderErrorType = "Lambda-Runtime-Function-Error-Type"
	// trailerErrorBody is the trailer in which aws-lambda-go sends, base64
	// encoded, the error document of a response whose body failed midway.
	trailerErrorBody = "Lambda-Runtime-Function-Error-Body"
)

// ExitErrorType is the error type of an initialization or an invocation
// that ended because the runtime process exited.
const ExitErrorType = "Runtime.ExitError"

var (
	// ErrClosed is returned by the waits of a closed server.
	ErrClosed = errors.New("runtimeapi: server closed")
	// ErrQueueFull is returned by Enqueue when QueueSize events wait already.
	ErrQueueFull = errors.New("runtimeapi: too many events queued")
)

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// Timeout is the function timeout: each event's deadline is the time
	// it is handed to the bootstrap plus Timeout. Zero means
	// DefaultTimeout.
	Timeout time.Duration
	// FunctionARN is sent as Lambda-Runtime-Invoked-Function-Arn. Empty
	// means DefaultFunctionARN.
	FunctionARN string
}

// Server is a Runtime API for one runtime process. Its methods are safe for
// concurrent use.
type Server struct {
	timeout     time.Duration
	functionARN string
	prefix      string // random part of the request and trace IDs
	seq         atomic.Uint64

	ln    net.Listener
	http  *http.Server
	queue chan *Pending

	ready   chan struct{} // closed at the first next request
	failed  chan struct{} // closed at the first init error
	gone    chan struct{} // closed by Exited
	closed  chan struct{} // closed by Close
	served  chan struct{} // closed when Serve has returned
	readyAt time.Time     // set before ready is closed

	mu        sync.Mutex
	inflight  map[string]*Pending
	initErr   *InitError // set before failed is closed
	exitErr   error      // set before gone is closed
	closeOnce sync.Once
}

// Start returns a Server listening on a free port of 127.0.0.1.
func Start(opts Options) (*Server, error) {
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("runtimeapi: negative timeout %v", opts.Timeout)
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.FunctionARN == "" {
		opts.FunctionARN = DefaultFunctionARN
	}
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtimeapi: %w", err)
	}
	s := &Server{
		timeout:     opts.Timeout,
		functionARN: opts.FunctionARN,
		prefix:      hex.EncodeToString(r[:]),
		ln:          ln,
		queue:       make(chan *Pending, QueueSize),
		ready:       make(chan struct{}),
		failed:      make(chan struct{}),
		gone:        make(chan struct{}),
		closed:      make(chan struct{}),
		served:      make(chan struct{}),
		inflight:    map[string]*Pending{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", s.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", s.result(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", s.result(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", s.initError)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		s.http.Serve(ln)
	}()
	return s, nil
}

// Addr returns the host:port the server listens on, the value of
// AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Env returns the environment variable that points a bootstrap at the
// server, as KEY=value.
func (s *Server) Env() string { return "AWS_LAMBDA_RUNTIME_API=" + s.Addr() }

// Close stops the server. Requests in progress are cut off, and every wait
// returns ErrClosed. Close does not stop the runtime process.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closed)
		err = s.http.Close()
		<-s.served
	})
	return err
}

// Pending is one queued or running invocation.
type Pending struct {
	s       *Server
	id      string
	trace   string
	payload []byte
	done    chan struct{}
	res     Response // set before done is closed
	once    sync.Once
}

// Response is what the bootstrap posted for one invocation.
type Response struct {
	// RequestID is the invocation's Lambda-Runtime-Aws-Request-Id.
	RequestID string
	// Payload is the body of the response, or the error document of a
	// function error.
	Payload []byte
	// Err is set when the invocation failed: the bootstrap posted an
	// error, its response failed midway, was too large, or the process
	// exited.
	Err *FunctionError
	// Dispatched is when the server handed the event to the bootstrap.
	Dispatched time.Time
	// Posted is when the server had received the whole response or error.
	Posted time.Time
}

// FunctionError is a failed invocation, as the bootstrap or the server
// described it.
type FunctionError struct {
	// Type is the error type: the Lambda-Runtime-Function-Error-Type
	// header, else the document's errorType, such as "errorString",
	// "Runtime.Panic" or ExitErrorType.
	Type string
	// Message is the document's errorMessage.
	Message string
}

func (e *FunctionError) Error() string {
	if e.Message == "" {
		return "function error " + e.Type
	}
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// InitError is a failed initialization: the bootstrap posted to
// /runtime/init/error, or exited before asking for an event.
type InitError struct {
	// Type is the error type, such as "Runtime.ExitError".
	Type string
	// Message is the errorMessage of the posted document, or says how the
	// process exited.
	Message string
	// Payload is the posted document; empty for an exit.
	Payload []byte
	// Posted is when the server learned of the error.
	Posted time.Time
}

func (e *InitError) Error() string {
	if e.Message == "" {
		return "init error " + e.Type
	}
	return fmt.Sprintf("init error %s: %s", e.Type, e.Message)
}

// Enqueue queues an event for the bootstrap's next request and returns its
// invocation. The payload must not change until the invocation is done.
func (s *Server) Enqueue(payload []byte) (*Pending, error) {
	n := s.seq.Add(1)
	p := &Pending{
		s:       s,
		id:      fmt.Sprintf("%s-%012x", s.prefix, n),
		trace:   fmt.Sprintf("Root=1-%08x-%s%08x;Parent=%016x;Sampled=0", time.Now().Unix(), s.prefix, n, n),
		payload: payload,
		done:    make(chan struct{}),
	}
	select {
	case <-s.closed:
		return nil, ErrClosed
	case s.queue <- p:
		return p, nil
	default:
		return nil, ErrQueueFull
	}
}

// Invoke queues payload and waits for its response, like Enqueue and Wait.
func (s *Server) Invoke(ctx context.Context, payload []byte) (Response, error) {
	p, err := s.Enqueue(payload)
	if err != nil {
		return Response{}, err
	}
	return p.Wait(ctx)
}

// RequestID returns the invocation's Lambda-Runtime-Aws-Request-Id.
func (p *Pending) RequestID() string { return p.id }

// Wait waits for the invocation's response. A function error is not an
// error of Wait: it is in Response.Err. Wait returns an error when the
// initialization failed (an *InitError), the process exited before the
// event was handed to it (a *FunctionError of type ExitErrorType), ctx
// ended (its cause) or the server was closed (ErrClosed).
func (p *Pending) Wait(ctx context.Context) (Response, error) {
	s := p.s
	select {
	case <-p.done:
	case <-s.failed:
	case <-s.gone:
	case <-ctx.Done():
		return Response{RequestID: p.id}, context.Cause(ctx)
	case <-s.closed:
		return Response{RequestID: p.id}, ErrClosed
	}
	// Exited fails the init, then finishes the invocations in flight,
	// before it closes gone: the outcome comes first, then the init error.
	select {
	case <-p.done:
		return p.res, nil
	default:
	}
	select {
	case <-s.failed:
		return Response{RequestID: p.id}, s.initErr
	default:
	}
	return Response{RequestID: p.id}, &FunctionError{Type: ExitErrorType, Message: s.exitErr.Error()}
}

// finish records the invocation's outcome once.
func (p *Pending) finish(r Response) {
	p.once.Do(func() {
		r.RequestID = p.id
		p.res = r
		close(p.done)
	})
}

// FirstNext returns when the first next request arrived, and whether one
// did.
func (s *Server) FirstNext() (time.Time, bool) {
	select {
	case <-s.ready:
		return s.readyAt, true
	default:
		return time.Time{}, false
	}
}

// WaitReady waits until the bootstrap asks for its first event and returns
// when it did. It returns an *InitError when the initialization failed
// (the bootstrap posted an init error or exited first), the cause of ctx
// when ctx ends, and ErrClosed when the server is closed.
func (s *Server) WaitReady(ctx context.Context) (time.Time, error) {
	select {
	case <-s.ready:
		return s.readyAt, nil
	default:
	}
	select {
	case <-s.ready:
		return s.readyAt, nil
	case <-s.failed:
		return time.Time{}, s.initErr
	case <-ctx.Done():
		return time.Time{}, context.Cause(ctx)
	case <-s.closed:
		return time.Time{}, ErrClosed
	}
}

// Exited tells the server that the runtime process exited, with err as
// returned by exec.Cmd.Wait (nil for a zero status). As Lambda does, the
// server reports a Runtime.ExitError: as the init error when the process
// never asked for an event, and as the function error of the invocation in
// flight. Waits for events that were still queued return that error too.
// Only the first call counts.
func (s *Server) Exited(err error) {
	if err == nil {
		err = errors.New("runtime exited with status 0")
	} else {
		err = fmt.Errorf("runtime exited: %w", err)
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exitErr != nil {
		return
	}
	s.exitErr = err
	if _, ok := s.FirstNext(); !ok {
		s.failInit(&InitError{Type: ExitErrorType, Message: err.Error(), Posted: now})
	}
	for id, p := range s.inflight {
		p.finish(Response{Err: &FunctionError{Type: ExitErrorType, Message: err.Error()}, Dispatched: p.res.Dispatched, Posted: now})
		delete(s.inflight, id)
	}
	close(s.gone)
}

// failInit records the first init error. The caller holds s.mu.
func (s *Server) failInit(e *InitError) {
	if s.initErr != nil {
		return
	}
	s.initErr = e
	close(s.failed)
}

// next hands the bootstrap the next queued event, waiting for one.
func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	if _, ok := s.FirstNext(); !ok {
		s.readyAt = now
		close(s.ready)
	}
	s.mu.Unlock()

	var p *Pending
	select {
	case p = <-s.queue:
	case <-r.Context().Done():
		return
	case <-s.closed:
		writeError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "the runtime API is shutting down")
		return
	}
	dispatched := time.Now()
	s.mu.Lock()
	p.res.Dispatched = dispatched // read by Exited under s.mu
	s.inflight[p.id] = p
	s.mu.Unlock()

	h := w.Header()
	h[HeaderRequestID] = []string{p.id}
	h[HeaderDeadlineMs] = []string{strconv.FormatInt(dispatched.Add(s.timeout).UnixMilli(), 10)}
	h[HeaderFunctionARN] = []string{s.functionARN}
	h[HeaderTraceID] = []string{p.trace}
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(p.payload))}
	w.WriteHeader(http.StatusOK)
	w.Write(p.payload)
}

// result returns the handler of POST /runtime/invocation/{id}/response,
// or of …/{id}/error when failed is true: it records the outcome of the
// invocation.
func (s *Server) result(failed bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, tooLarge, err := readPayload(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "InvalidRequest", "cannot read the body: "+err.Error())
			return
		}
		posted := time.Now()
		p := s.take(r.PathValue("id"))
		if p == nil {
			writeError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation in flight has this request ID")
			return
		}
		res := Response{Payload: body, Dispatched: p.res.Dispatched, Posted: posted}
		switch {
		case tooLarge:
			res.Err = &FunctionError{Type: "Function.ResponseSizeTooLarge", Message: fmt.Sprintf("payload size exceeded maximum allowed payload size (%d bytes)", MaxPayload)}
			p.finish(res)
			writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", res.Err.Message)
			return
		case failed:
			res.Err = describe(r.Header.Get(HeaderErrorType), body)
		case r.Trailer.Get(HeaderErrorType) != "":
			// aws-lambda-go streams a response and, when reading it
			// fails, ends the stream with the error in trailers.
			res.Payload, _ = base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrorBody))
			res.Err = describe(r.Trailer.Get(HeaderErrorType), res.Payload)
		}
		p.finish(res)
		writeAccepted(w)
	}
}

// initError records an initialization error.
func (s *Server) initError(w http.ResponseWriter, r *http.Request) {
	body, tooLarge, err := readPayload(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "cannot read the body: "+err.Error())
		return
	}
	fe := describe(r.Header.Get(HeaderErrorType), body)
	s.mu.Lock()
	s.failInit(&InitError{Type: fe.Type, Message: fe.Message, Payload: body, Posted: time.Now()})
	s.mu.Unlock()
	if tooLarge {
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the error document is too large")
		return
	}
	writeAccepted(w)
}

// take removes the invocation id from those in flight and returns it, or
// nil when it is not in flight.
func (s *Server) take(id string) *Pending {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.inflight[id]
	delete(s.inflight, id)
	return p
}

// readPayload reads a request body of at most MaxPayload bytes; tooLarge
// reports a larger one, which it does not keep.
func readPayload(r *http.Request) (body []byte, tooLarge bool, err error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= MaxPayload {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, MaxPayload+1))
	if err != nil {
		return nil, false, err
	}
	if n > MaxPayload {
		io.Copy(io.Discard, r.Body) // Reach the trailers, keep the connection.
		return nil, true, nil
	}
	return buf.Bytes(), false, nil
}

// describe makes the FunctionError of an error document and the error type
// header that came with it.
func describe(typ string, doc []byte) *FunctionError {
	var d struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}
	_ = json.Unmarshal(doc, &d) // A document that is not JSON has no message.
	if typ == "" {
		typ = d.Type
	}
	if typ == "" {
		typ = "Unhandled"
	}
	return &FunctionError{Type: typ, Message: d.Message}
}

func writeAccepted(w http.ResponseWriter) {
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func writeError(w http.ResponseWriter, code int, typ, msg string) {
	b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": msg})
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(code)
	w.Write(b)
}
