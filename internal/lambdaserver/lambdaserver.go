// Package lambdaserver serves the AWS Lambda Invoke API on a local address
// for functions that run as their real bootstrap under the Runtime
// Interface Emulator (package rie): the role `sam local start-lambda`
// plays, without Docker. A Lambda client such as cognito-local's, or the
// AWS SDK's with its endpoint set to the server, invokes the functions by
// name.
//
// The server answers POST /2015-03-31/functions/{name}/invocations, where
// name is a function's name, its name with a qualifier ("presignup:$LATEST")
// or its ARN, as Lambda does:
//
//   - RequestResponse (the default): 200 with the function's response, and
//     X-Amz-Function-Error: Unhandled when the function failed (returned an
//     error, panicked, crashed or timed out), with the error object as the
//     body;
//   - Event: 202 at once, the function runs in the background, its outcome
//     logged;
//   - DryRun: 204.
//
// An unknown function gets 404 ResourceNotFoundException, a payload that is
// not JSON 400 InvalidRequestContentException, one over 6 MB 413
// RequestTooLargeException, each with Lambda's error shape, which the AWS
// SDKs decode. Invocations of one function run one at a time, in arrival
// order; different functions run in parallel. Each function's emulator
// starts at its first invocation and keeps running until Close; one that
// died or stopped answering is replaced at the next invocation, so a
// crash costs at most the invocation in flight.
package lambdaserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/cognitrig/cognitrig/internal/rie"
)

// MaxPayload is the largest request payload Lambda accepts for a
// synchronous invocation: 6 MB.
const MaxPayload = 6 << 20

// invokePrefix starts the path of the Invoke API.
const invokePrefix = "/2015-03-31/functions/"

// Server is an http.Handler that serves the Invoke API for a fixed set of
// functions. It is safe for concurrent use.
type Server struct {
	log *slog.Logger

	aliases [][2]string

	mu     sync.Mutex
	fns    map[string]*function
	closed bool
	bg     sync.WaitGroup
}

// function is one function and its running emulator, if started.
type function struct {
	def   rie.Function
	start sync.Mutex // held while starting
	in    *rie.Instance
}

// Option configures New.
type Option func(*Server)

// WithAlias lets clients invoke the function name by another name too,
// such as the trigger it serves ("PreSignUp"), which cognito-local shows
// in its errors as Cognito does.
func WithAlias(alias, name string) Option {
	return func(s *Server) { s.aliases = append(s.aliases, [2]string{alias, name}) }
}

// WithLogger logs the server's own events (starts, asynchronous outcomes)
// to l instead of slog.Default().
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// New returns a server for fns, which must have distinct, non-empty names.
// It starts nothing; each function starts at its first invocation.
func New(fns []rie.Function, opts ...Option) (*Server, error) {
	s := &Server{log: slog.Default(), fns: make(map[string]*function, len(fns))}
	for _, o := range opts {
		o(s)
	}
	for _, f := range fns {
		switch {
		case f.Name == "":
			return nil, errors.New("lambdaserver: a function has no name; set rie.Function.Name")
		case s.fns[f.Name] != nil:
			return nil, fmt.Errorf("lambdaserver: two functions are named %q; give each its own name", f.Name)
		}
		s.fns[f.Name] = &function{def: f}
	}
	for _, a := range s.aliases {
		switch {
		case s.fns[a[1]] == nil:
			return nil, fmt.Errorf("lambdaserver: alias %q names no function %q", a[0], a[1])
		case s.fns[a[0]] != nil:
			return nil, fmt.Errorf("lambdaserver: alias %q is already a function's name", a[0])
		}
		s.fns[a[0]] = s.fns[a[1]]
	}
	return s, nil
}

// Names returns the names (and aliases) of the functions served, in no
// order.
func (s *Server) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.fns))
	for n := range s.fns {
		names = append(names, n)
	}
	return names
}

// Close stops every emulator and its bootstrap, after the background
// (Event) invocations have ended. Invocations after Close fail.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.bg.Wait()
	var errs []error
	for name, f := range s.fns {
		if name != f.def.Name {
			continue // an alias
		}
		f.start.Lock()
		if f.in != nil {
			errs = append(errs, f.in.Close())
			f.in = nil
		}
		f.start.Unlock()
	}
	return errors.Join(errs...)
}

// ServeHTTP serves the Invoke API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), invokePrefix)
	escaped, tail, _ := strings.Cut(rest, "/")
	if !ok || tail != "invocations" {
		writeError(w, http.StatusNotFound, "UnknownOperationException", "this server serves only the Lambda Invoke API: POST "+invokePrefix+"{name}/invocations")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "InvalidRequestContentException", "invoke a function with POST")
		return
	}
	ref, err := url.PathUnescape(escaped)
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidParameterValueException", "the function name is not a valid path segment")
		return
	}
	name := functionName(ref)
	s.mu.Lock()
	f, closed := s.fns[name], s.closed
	s.mu.Unlock()
	switch {
	case closed:
		writeError(w, http.StatusServiceUnavailable, "ServiceException", "the local Lambda endpoint is shutting down")
		return
	case f == nil:
		writeError(w, http.StatusNotFound, "ResourceNotFoundException", fmt.Sprintf("Function not found: %s; this endpoint serves: %s", name, strings.Join(s.Names(), ", ")))
		return
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, MaxPayload+1))
	switch {
	case err != nil:
		writeError(w, http.StatusBadRequest, "InvalidRequestContentException", "could not read the request body: "+err.Error())
		return
	case len(payload) > MaxPayload:
		writeError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", fmt.Sprintf("the request payload is over Lambda's %d-byte limit", MaxPayload))
		return
	case len(strings.TrimSpace(string(payload))) > 0 && !json.Valid(payload):
		writeError(w, http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json: the payload is not valid JSON")
		return
	}
	switch typ := r.Header.Get("X-Amz-Invocation-Type"); typ {
	case "", "RequestResponse":
		res, err := s.invoke(r.Context(), f, payload)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "ServiceException", err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		if res.FunctionError {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(res.Payload)
	case "Event":
		s.bg.Add(1)
		go func() {
			defer s.bg.Done()
			res, err := s.invoke(context.Background(), f, payload)
			switch {
			case err != nil:
				s.log.Error("asynchronous invocation failed", "function", name, "error", err)
			case res.FunctionError:
				s.log.Warn("asynchronous invocation: the function failed", "function", name)
			}
		}()
		w.WriteHeader(http.StatusAccepted)
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, http.StatusBadRequest, "InvalidParameterValueException", fmt.Sprintf("X-Amz-Invocation-Type %q is not RequestResponse, Event or DryRun", typ))
	}
}

// invoke runs one invocation of f, starting its emulator when needed.
func (s *Server) invoke(ctx context.Context, f *function, payload []byte) (rie.Result, error) {
	f.start.Lock()
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		f.start.Unlock()
		return rie.Result{}, errors.New("the local Lambda endpoint is shutting down")
	}
	if f.in != nil {
		if err := f.in.Err(); err != nil {
			// Its emulator died or stopped answering: replace it, as
			// Lambda replaces an execution environment.
			s.log.Warn("function instance replaced", "function", f.def.Name, "reason", err)
			if err := f.in.Close(); err != nil {
				s.log.Warn("closing the replaced instance", "function", f.def.Name, "error", err)
			}
			f.in = nil
		}
	}
	if f.in == nil {
		in, err := f.def.Start(ctx)
		if err != nil {
			f.start.Unlock()
			return rie.Result{}, fmt.Errorf("start function %s: %w", f.def.Name, err)
		}
		s.log.Info("function started", "function", f.def.Name)
		f.in = in
	}
	in := f.in
	f.start.Unlock()
	// The instance runs one invocation at a time, in order.
	return in.Invoke(ctx, payload)
}

// functionName reduces a function reference to its name: an ARN
// (arn:aws:lambda:region:account:function:name[:qualifier]) or a name
// with a qualifier ("name:$LATEST", "name:1").
func functionName(ref string) string {
	if rest, ok := strings.CutPrefix(ref, "arn:"); ok {
		parts := strings.Split(rest, ":")
		// aws:lambda:region:account:function:name[:qualifier]
		if len(parts) >= 6 && parts[4] == "function" {
			return parts[5]
		}
		return ref
	}
	name, _, _ := strings.Cut(ref, ":")
	return name
}

// writeError answers with Lambda's error shape: the type in
// X-Amzn-ErrorType and the body {"Type": "User", "message": ...}.
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"Type": "User", "message": msg})
	_, _ = w.Write(b)
}
