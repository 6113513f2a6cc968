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
	if err := json.Unmarshal(b, ev); err != nil {
		tb.Fatalf("decode fixture %s into %T: %v", path, ev, err)
	}
	return ev
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
	if err := json.Unmarshal(out, ev); err != nil {
		tb.Fatalf("decode response into %T: %v", ev, err)
	}
	return ev, nil
}

// Equivalent reports whether two JSON documents hold the same data: object
// member order and white space do not matter, and a member whose value is
// null counts the same as a missing member.
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
