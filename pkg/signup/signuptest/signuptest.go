// Package signuptest gives the tests of pre sign-up code a cognito-idp
// endpoint for the calls moto_server does not implement
// (AdminLinkProviderForUser): a small local server that speaks the
// cognito-idp JSON 1.1 protocol, and a client of the real SDK to point at it
// or at moto (package mototest), so that the SDK's serializer and
// deserializer run.
package signuptest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/mototest"
)

// Client returns a cognito-idp client of the real SDK that sends its
// requests to endpoint (see mototest.Config), without retries.
func Client(endpoint string) *cip.Client {
	return cip.NewFromConfig(mototest.Config(endpoint), func(o *cip.Options) { o.RetryMaxAttempts = 1 })
}

// User is a user of a [Cognito] server's pool.
type User struct {
	Username   string
	Status     string // UserStatus, such as CONFIRMED or EXTERNAL_PROVIDER
	Attributes map[string]string
}

// Error is an error a [Cognito] server answers with, in the shape of the
// JSON 1.1 protocol: {"__type": Type, "message": Message}.
type Error struct {
	Type    string
	Message string
	// Status is the HTTP status; 400 when zero.
	Status int
}

// Call is one request a [Cognito] server received.
type Call struct {
	// Operation is the X-Amz-Target without its service prefix, such as
	// "AdminLinkProviderForUser".
	Operation string
	// Body is the JSON the client sent.
	Body json.RawMessage
	// Signed reports whether the request carried a SigV4 Authorization
	// header.
	Signed bool
}

// Pool is the data a [Cognito] server answers from.
type Pool struct {
	// Users are the users ListUsers searches with its email filter.
	Users []User
	// Providers are the names ListIdentityProviders returns.
	Providers []string
	// PageSize caps the items of one listing page (60 when zero); a small
	// one makes the listings paginate.
	PageSize int
	// Errors maps an operation to the error it answers with.
	Errors map[string]Error
	// Delay holds every answer back this long, or until the client gives
	// up.
	Delay time.Duration
}

// Cognito is a local server that answers ListUsers, ListIdentityProviders
// and AdminLinkProviderForUser in the cognito-idp JSON 1.1 protocol, from
// the data of its [Pool], and records every call.
type Cognito struct {
	// URL is the server's endpoint.
	URL  string
	pool Pool

	mu    sync.Mutex
	calls []Call
}

// NewCognito starts a Cognito server that answers from pool, closed when
// the test ends.
func NewCognito(tb testing.TB, pool Pool) *Cognito {
	tb.Helper()
	c := &Cognito{pool: pool}
	srv := httptest.NewServer(c)
	tb.Cleanup(srv.Close)
	c.URL = srv.URL
	return c
}

// Calls returns the calls received, in order.
func (c *Cognito) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Call(nil), c.calls...)
}

// CallsOf returns the calls of one operation, in order.
func (c *Cognito) CallsOf(op string) []Call {
	var out []Call
	for _, call := range c.Calls() {
		if call.Operation == op {
			out = append(out, call)
		}
	}
	return out
}

const targetPrefix = "AWSCognitoIdentityProviderService."

// ServeHTTP answers one JSON 1.1 request.
func (c *Cognito) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, Error{Type: "InternalErrorException", Message: "cannot read the body", Status: 500})
		return
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if !ok || r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1") {
		writeError(w, Error{Type: "UnknownOperationException", Message: "not a cognito-idp JSON 1.1 request"})
		return
	}
	c.mu.Lock()
	c.calls = append(c.calls, Call{Operation: op, Body: body, Signed: strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")})
	c.mu.Unlock()
	if c.pool.Delay > 0 {
		select {
		case <-time.After(c.pool.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if e, ok := c.pool.Errors[op]; ok {
		writeError(w, e)
		return
	}
	var out any
	switch op {
	case "ListUsers":
		out, err = c.listUsers(body)
	case "ListIdentityProviders":
		out, err = c.listIdentityProviders(body)
	case "AdminLinkProviderForUser":
		out = struct{}{}
	default:
		writeError(w, Error{Type: "UnknownOperationException", Message: "operation " + op + " is not served here"})
		return
	}
	if err != nil {
		writeError(w, Error{Type: "InvalidParameterException", Message: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Type, "message": e.Message})
}

// emailFilter matches the one filter the server understands, with the
// value's escapes.
var emailFilter = regexp.MustCompile(`^email\s*=\s*"((?:[^"\\]|\\.)*)"$`)

func (c *Cognito) listUsers(body []byte) (any, error) {
	var in struct {
		UserPoolID      string `json:"UserPoolId"`
		Filter          string
		Limit           int
		PaginationToken string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if in.UserPoolID == "" {
		return nil, errors.New("UserPoolId is required")
	}
	m := emailFilter.FindStringSubmatch(in.Filter)
	if m == nil {
		return nil, fmt.Errorf("this server only understands the filter email = \"...\", not %q", in.Filter)
	}
	email := unescape(m[1])
	type attr struct{ Name, Value string }
	type user struct {
		Username   string
		UserStatus string
		Enabled    bool
		Attributes []attr
	}
	var found []user
	for _, u := range c.pool.Users {
		if !strings.EqualFold(u.Attributes["email"], email) {
			continue
		}
		out := user{Username: u.Username, UserStatus: u.Status, Enabled: true}
		for k, v := range u.Attributes {
			out.Attributes = append(out.Attributes, attr{k, v})
		}
		found = append(found, out)
	}
	page, next, err := c.page(len(found), in.Limit, in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return struct {
		Users           []user
		PaginationToken string `json:",omitempty"`
	}{found[page[0]:page[1]], next}, nil
}

func (c *Cognito) listIdentityProviders(body []byte) (any, error) {
	var in struct {
		UserPoolID string `json:"UserPoolId"`
		MaxResults int
		NextToken  string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if in.UserPoolID == "" {
		return nil, errors.New("UserPoolId is required")
	}
	page, next, err := c.page(len(c.pool.Providers), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	type provider struct{ ProviderName, ProviderType string }
	var list []provider
	for _, name := range c.pool.Providers[page[0]:page[1]] {
		list = append(list, provider{name, "OIDC"})
	}
	return struct {
		Providers []provider
		NextToken string `json:",omitempty"`
	}{list, next}, nil
}

// page returns the bounds of the page that token starts, and the token of
// the next page.
func (c *Cognito) page(n, limit int, token string) ([2]int, string, error) {
	start := 0
	if token != "" {
		var err error
		if start, err = strconv.Atoi(strings.TrimPrefix(token, "page-")); err != nil || start > n {
			return [2]int{}, "", errors.New("invalid pagination token")
		}
	}
	size := 60
	if c.pool.PageSize > 0 {
		size = c.pool.PageSize
	}
	if limit > 0 && limit < size {
		size = limit
	}
	end := min(start+size, n)
	next := ""
	if end < n {
		next = "page-" + strconv.Itoa(end)
	}
	return [2]int{start, end}, next, nil
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
