// Package awsnotifytest is a local endpoint that answers the calls of the
// AWS senders (sesnotify's SendEmail, snsnotify's Publish) with scripted
// replies in each service's wire format, for tests of the retries and of
// the classification of errors that moto_server cannot script. Point an
// SDK client at it with mototest.Config.
package awsnotifytest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Answer is one scripted reply of a [Stub]: an HTTP status and an error
// code, or success when Code is "".
type Answer struct {
	Status int
	Code   string
}

// Scripted replies that tests share.
var (
	OK          = Answer{200, ""}
	SESThrottle = Answer{429, "TooManyRequestsException"}
	SNSThrottle = Answer{400, "Throttled"}
)

// Stub is a local endpoint that answers SES v2 (REST-JSON) and SNS (query
// protocol) with scripted replies; the last reply repeats. Error replies
// repeat a destination in their message, as SES and SNS do (SES:
// jane@example.org, SNS: +15555550123), so tests that send to those can
// check that it does not leak into errors.
type Stub struct {
	answers []Answer
	mu      sync.Mutex
	bodies  []string
}

// NewStub starts a stub that replies answers in turn, the last one
// repeated, until the test ends, and returns it and its URL. It needs
// at least one answer.
func NewStub(tb testing.TB, answers ...Answer) (*Stub, string) {
	tb.Helper()
	if len(answers) == 0 {
		tb.Fatal("awsnotifytest: NewStub needs at least one Answer")
	}
	s := &Stub{answers: answers}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return s, srv.URL
}

// Requests returns the number of requests the stub has received.
func (s *Stub) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// LastBody returns the body of the last request; there must be one.
func (s *Stub) LastBody() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[len(s.bodies)-1]
}

// ServeHTTP answers a request with the next scripted reply.
func (s *Stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	a := s.answers[min(n, len(s.answers)-1)]
	isSNS := r.URL.Path == "/" // SES v2 posts to /v2/email/outbound-emails
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", n+1))
	switch {
	case isSNS && a.Code == "":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></PublishResponse>`)
	case isSNS:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(a.Status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>refused +15555550123</Message></Error><RequestId>req-%d</RequestId></ErrorResponse>`, a.Code, n+1)
	case a.Code == "":
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"MessageId":"m-1"}`)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", a.Code)
		w.WriteHeader(a.Status)
		io.WriteString(w, `{"message":"refused jane@example.org"}`)
	}
}
