// Package triggertest helps test Cognito trigger handlers: it loads event
// fixtures, from files or from any fs.FS such as the sample events of
// package github.com/cognitrig/cognitrig/events; it invokes a handler
// through the same bytes-in, bytes-out path Lambda uses; and it compares
// JSON responses.
//
// [CustomAuth] simulates Cognito's custom authentication loop: it drives
// define auth challenge, create auth challenge and verify auth challenge
// response handlers through InitiateAuth and RespondToAuthChallenge as
// Cognito does, and fails the client's calls with Cognito's errors.
package triggertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// RequestID is the Lambda request ID of invocations made by [Invoke].
const RequestID = "00000000-0000-4000-8000-triggertest0"

// Load returns the contents of the event fixture at path, a file of the
// operating system, failing the test when it cannot be read or is not valid
// JSON. [LoadFS] reads a fixture from a file system, such as the sample
// events of package github.com/cognitrig/cognitrig/events.
func Load(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("load fixture: %v", err)
	}
	if !json.Valid(b) {
		tb.Fatalf("load fixture %s: not valid JSON", path)
	}
	return b
}

// LoadEvent decodes the event fixture at path, a file of the operating
// system, into a new E, for a test that calls a handler function directly.
// An event type of package trigger decodes as the adapter decodes it in
// Lambda ([trigger.Unmarshal]); any other type, such as map[string]any,
// with encoding/json.
func LoadEvent[E any](tb testing.TB, path string) *E {
	tb.Helper()
	return decodeFixture[E](tb, path, Load(tb, path))
}

// LoadFS returns the contents of the event fixture at path in fsys,
// failing the test when it cannot be read or is not valid JSON. The path is
// slash-separated and relative to the root of fsys, as [fs.FS] requires:
//
//	payload := triggertest.LoadFS(t, events.FS, "presignup/PreSignUp_SignUp.json")
//
// When the file does not exist, the failure lists the files of its folder.
func LoadFS(tb testing.TB, fsys fs.FS, path string) []byte {
	tb.Helper()
	if !fs.ValidPath(path) {
		tb.Fatalf("load fixture %q: not a valid fs.FS path: use slashes, with no leading / or ./ and no ..", path)
	}
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			tb.Fatalf("load fixture %s: no such file%s", path, siblings(fsys, path))
		}
		tb.Fatalf("load fixture: %v", err)
	}
	if !json.Valid(b) {
		tb.Fatalf("load fixture %s: not valid JSON", path)
	}
	return b
}

// LoadEventFS decodes the event fixture at path in fsys into a new E, for
// a test that calls a handler function directly:
//
//	ev := triggertest.LoadEventFS[trigger.PreSignUpEvent](t, events.FS, "presignup/PreSignUp_SignUp.json")
func LoadEventFS[E any](tb testing.TB, fsys fs.FS, path string) *E {
	tb.Helper()
	return decodeFixture[E](tb, path, LoadFS(tb, fsys, path))
}

func decodeFixture[E any](tb testing.TB, path string, b []byte) *E {
	tb.Helper()
	ev := new(E)
	if err := decode(b, ev); err != nil {
		tb.Fatalf("decode fixture %s into %T: %v", path, ev, err)
	}
	return ev
}

// decode decodes an event of package trigger as the adapter does
// ([trigger.Unmarshal]), and any other value, such as a map[string]any
// that a test edits, with encoding/json.
func decode(b []byte, v any) error {
	if ev, ok := v.(trigger.Event); ok {
		return trigger.Unmarshal(b, ev)
	}
	return json.Unmarshal(b, v)
}

// siblings says which files the folder of a missing path holds, or which
// folders the root holds when that folder is missing too.
func siblings(fsys fs.FS, file string) string {
	dir := path.Dir(file)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		dir = "."
		if entries, err = fs.ReadDir(fsys, dir); err != nil {
			return ""
		}
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return ""
	}
	if dir == "." {
		return "; the root holds " + strings.Join(names, ", ")
	}
	return "; " + dir + "/ holds " + strings.Join(names, ", ")
}

// Context returns a context like the one Lambda gives a handler: it
// carries a Lambda context with [RequestID] and a deadline timeout from
// now. Cancel it when done.
func Context(timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		AwsRequestID:       RequestID,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:triggertest",
	})
	return context.WithTimeout(ctx, timeout)
}

// Invoke runs h on payload the way the Lambda runtime does, bytes in and
// bytes out, with a 5-second Lambda deadline. It returns the response JSON,
// or the error Lambda would report.
func Invoke(h lambda.Handler, payload []byte) ([]byte, error) {
	ctx, cancel := Context(5 * time.Second)
	defer cancel()
	return h.Invoke(ctx, payload)
}

// InvokeEvent is [Invoke] that decodes the response into a new E. The test
// fails when the response does not decode.
func InvokeEvent[E any](tb testing.TB, h lambda.Handler, payload []byte) (*E, error) {
	tb.Helper()
	out, err := Invoke(h, payload)
	if err != nil {
		return nil, err
	}
	ev := new(E)
	if err := decode(out, ev); err != nil {
		tb.Fatalf("decode response into %T: %v", ev, err)
	}
	return ev, nil
}

// Equivalent reports whether two JSON documents hold the same data: object
// member order and white space do not matter, and a member whose value is
// null counts the same as a missing member. It suits a test of what a
// handler decided; [Equal] tells null and missing apart, for a test of
// what goes back to Cognito.
func Equivalent(a, b []byte) (bool, error) {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false, fmt.Errorf("first document: %w", err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return false, fmt.Errorf("second document: %w", err)
	}
	return reflect.DeepEqual(dropNulls(x), dropNulls(y)), nil
}

// AssertEquivalent fails the test when got and want are not [Equivalent],
// printing both indented.
func AssertEquivalent(tb testing.TB, got, want []byte) {
	tb.Helper()
	ok, err := Equivalent(got, want)
	if err != nil {
		tb.Fatalf("compare JSON: %v", err)
	}
	if !ok {
		tb.Errorf("JSON differs\ngot:\n%s\nwant:\n%s", indent(got), indent(want))
	}
}

// Equal reports whether two JSON documents hold the same data, member for
// member: object member order and white space do not matter, but null, a
// missing member and false all differ, and so do numbers written
// differently (1 and 1.0). It is what the adapter's own tests compare with:
// a response that turns null into false, or adds a member that did not
// come in, is not Equal to what came in.
func Equal(a, b []byte) (bool, error) {
	x, err := decodeExact(a)
	if err != nil {
		return false, fmt.Errorf("first document: %w", err)
	}
	y, err := decodeExact(b)
	if err != nil {
		return false, fmt.Errorf("second document: %w", err)
	}
	return reflect.DeepEqual(x, y), nil
}

// AssertEqual fails the test when got and want are not [Equal], printing
// both indented.
func AssertEqual(tb testing.TB, got, want []byte) {
	tb.Helper()
	ok, err := Equal(got, want)
	if err != nil {
		tb.Fatalf("compare JSON: %v", err)
	}
	if !ok {
		tb.Errorf("JSON differs\ngot:\n%s\nwant:\n%s", indent(got), indent(want))
	}
}

// decodeExact decodes one JSON document, keeping numbers as written.
func decodeExact(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the document")
	}
	return v, nil
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		for i, e := range x {
			x[i] = dropNulls(e)
		}
	}
	return v
}

func indent(b []byte) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return string(b)
	}
	return buf.String()
}

// PassThrough returns a router over [PassThroughHandlers], for checking
// that events come back as they came: an event it accepts returns byte for
// byte.
func PassThrough(opts ...trigger.Option) *trigger.Router {
	r, err := trigger.NewRouter(PassThroughHandlers(opts...)...)
	if err != nil {
		panic("triggertest: " + err.Error()) // one handler per route: cannot happen
	}
	return r
}

// PassThroughHandlers returns a handler of every trigger that changes
// nothing, two for pre token generation (version 1, and versions 2 and 3).
// A define auth challenge handler must decide, so the adapter fails the
// events of that trigger whose response does not already set exactly one
// outcome, with an [trigger.InternalError].
func PassThroughHandlers(opts ...trigger.Option) []*trigger.Handler {
	return []*trigger.Handler{
		trigger.PreSignUp(pass[trigger.PreSignUpEvent], opts...),
		trigger.PostConfirmation(pass[trigger.PostConfirmationEvent], opts...),
		trigger.PreAuthentication(pass[trigger.PreAuthenticationEvent], opts...),
		trigger.PostAuthentication(pass[trigger.PostAuthenticationEvent], opts...),
		trigger.PreTokenGeneration(pass[trigger.PreTokenGenerationEvent], opts...),
		trigger.PreTokenGenerationV2(pass[trigger.PreTokenGenerationV2Event], opts...),
		trigger.CustomMessage(pass[trigger.CustomMessageEvent], opts...),
		trigger.DefineAuthChallenge(pass[trigger.DefineAuthChallengeEvent], opts...),
		trigger.CreateAuthChallenge(pass[trigger.CreateAuthChallengeEvent], opts...),
		trigger.VerifyAuthChallenge(pass[trigger.VerifyAuthChallengeEvent], opts...),
		trigger.UserMigration(pass[trigger.UserMigrationEvent], opts...),
		trigger.CustomEmailSender(pass[trigger.CustomEmailSenderEvent], opts...),
		trigger.CustomSMSSender(pass[trigger.CustomSMSSenderEvent], opts...),
		trigger.InboundFederation(pass[trigger.InboundFederationEvent], opts...),
	}
}

func pass[E any](context.Context, *E) error { return nil }
