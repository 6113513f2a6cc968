package awsnotify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// answer is one scripted reply of a stub: an HTTP status and an error code,
// or success when code is "".
type answer struct {
	status int
	code   string
}

var (
	ok          = answer{200, ""}
	sesThrottle = answer{429, "TooManyRequestsException"}
	snsThrottle = answer{400, "Throttled"}
)

// stub is a local endpoint that answers SES v2 (REST-JSON) and SNS (query
// protocol) with scripted replies; the last reply repeats. Error replies
// repeat the destination in their message, as SES and SNS do, so tests can
// check that it does not leak into errors.
type stub struct {
	t       *testing.T
	answers []answer
	mu      sync.Mutex
	bodies  []string
}

func newStub(t *testing.T, answers ...answer) (*stub, string) {
	s := &stub{t: t, answers: answers}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func (s *stub) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func (s *stub) lastBody() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[len(s.bodies)-1]
}

func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	a := s.answers[min(n, len(s.answers)-1)]
	isSNS := r.URL.Path == "/" // SES v2 posts to /v2/email/outbound-emails
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", n+1))
	switch {
	case isSNS && a.code == "":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></PublishResponse>`)
	case isSNS:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(a.status)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>refused +15555550123</Message></Error><RequestId>req-%d</RequestId></ErrorResponse>`, a.code, n+1)
	case a.code == "":
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"MessageId":"m-1"}`)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", a.code)
		w.WriteHeader(a.status)
		io.WriteString(w, `{"message":"refused jane@example.org"}`)
	}
}

// fastRetry keeps the tests quick: back-offs of at most 40ms, and a retry
// only while 100ms are left.
var fastRetry = awsnotify.WithRetry(awsnotify.Retry{MaxAttempts: 50, BaseDelay: 5 * time.Millisecond, MaxDelay: 40 * time.Millisecond, MinAttempt: 60 * time.Millisecond})

// northAmerica allows the numbers of calling code 1, testSMS's.
var northAmerica = func() notify.SMSCountries {
	c, err := notify.ParseCallingCodes("1")
	if err != nil {
		panic(err)
	}
	return c
}()

var (
	testEmail = notify.Email{To: "jane@example.org", Subject: "Your code", HTML: "<p>" + fakeCode + "</p>", Text: fakeCode}
	testSMS   = notify.SMS{To: "+15555550123", Text: "Your code is " + fakeCode}
)

// send sends the test message of channel through a sender pointed at
// endpoint.
func send(ctx context.Context, channel notify.Channel, endpoint string, opts ...awsnotify.Option) error {
	cfg := mototest.Config(endpoint)
	if channel == notify.ChannelSMS {
		opts = append([]awsnotify.Option{awsnotify.WithCountries(northAmerica)}, opts...)
		return awsnotify.NewSNS(sns.NewFromConfig(cfg), opts...).SendSMS(ctx, testSMS)
	}
	return awsnotify.NewSES(sesv2.NewFromConfig(cfg), "no-reply@example.com", opts...).SendEmail(ctx, testEmail)
}

// checkSafe fails when err's text holds the message body or a full
// destination.
func checkSafe(t *testing.T, err error) {
	t.Helper()
	for _, secret := range []string{fakeCode, testEmail.To, testSMS.To} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error text holds the body or a full destination (%d bytes)", len(err.Error()))
		}
	}
}

func TestRetryWithinBudget(t *testing.T) {
	tests := []struct {
		name     string
		channel  notify.Channel
		answers  []answer
		wantReqs int
	}{
		{"ses throttled once", notify.ChannelEmail, []answer{sesThrottle, ok}, 2},
		{"ses 503 twice", notify.ChannelEmail, []answer{{503, "ServiceUnavailable"}, {503, "ServiceUnavailable"}, ok}, 3},
		{"sns throttled once", notify.ChannelSMS, []answer{snsThrottle, ok}, 2},
		{"sns internal error once", notify.ChannelSMS, []answer{{500, "InternalError"}, ok}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, endpoint := newStub(t, tc.answers...)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			if err := send(ctx, tc.channel, endpoint, fastRetry); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := s.requests(); got != tc.wantReqs {
				t.Errorf("made %d requests, want %d", got, tc.wantReqs)
			}
		})
	}
}

func TestRetryStopsBeforeDeadline(t *testing.T) {
	tests := []struct {
		name    string
		channel notify.Channel
		answer  answer
		opts    []awsnotify.Option
		budget  time.Duration
	}{
		{"ses always throttled", notify.ChannelEmail, sesThrottle, []awsnotify.Option{fastRetry}, 500 * time.Millisecond},
		{"sns always throttled", notify.ChannelSMS, snsThrottle, []awsnotify.Option{fastRetry}, 500 * time.Millisecond},
		{"sns always throttled, default delays", notify.ChannelSMS, snsThrottle, []awsnotify.Option{awsnotify.WithRetry(awsnotify.Retry{MaxAttempts: 100})}, 1500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, endpoint := newStub(t, tc.answer)
			ctx, cancel := context.WithTimeout(t.Context(), tc.budget)
			defer cancel()
			err := send(ctx, tc.channel, endpoint, tc.opts...)
			if ctx.Err() != nil {
				t.Errorf("send returned after the deadline: %v", err)
			}
			e, isErr := errors.AsType[*notify.Error](err)
			if !isErr {
				t.Fatalf("got %v, want a *notify.Error", err)
			}
			if !e.Budget || e.Code != tc.answer.code || e.Attempts < 2 || e.Attempts != s.requests() {
				t.Errorf("got %+v after %d requests; want the budget to stop %s retries after 2 or more attempts", *e, s.requests(), tc.answer.code)
			}
			if !strings.Contains(err.Error(), "deadline budget") {
				t.Errorf("error %q does not say the budget stopped the retries", err)
			}
			checkSafe(t, err)
		})
	}
}

func TestRetryStopsAtMaxAttempts(t *testing.T) {
	s, endpoint := newStub(t, answer{500, "InternalFailure"})
	err := send(t.Context(), notify.ChannelEmail, endpoint,
		awsnotify.WithRetry(awsnotify.Retry{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	e, isErr := errors.AsType[*notify.Error](err)
	if !isErr || e.Attempts != 3 || s.requests() != 3 || e.Budget || e.Status != 500 {
		t.Fatalf("got %v after %d requests, want a *notify.Error after 3 attempts with HTTP 500", err, s.requests())
	}
}

func TestClassification(t *testing.T) {
	tests := []struct {
		channel  notify.Channel
		answer   answer
		rejected bool
	}{
		{notify.ChannelEmail, answer{400, "MessageRejected"}, true},
		{notify.ChannelEmail, answer{400, "MailFromDomainNotVerifiedException"}, true},
		{notify.ChannelEmail, answer{400, "AccountSuspendedException"}, true},
		{notify.ChannelEmail, answer{400, "SendingPausedException"}, true},
		{notify.ChannelEmail, answer{404, "NotFoundException"}, false}, // an unknown configuration set: ours to fix
		{notify.ChannelEmail, answer{400, "BadRequestException"}, false},
		{notify.ChannelSMS, answer{400, "InvalidParameter"}, true},
		{notify.ChannelSMS, answer{400, "OptedOut"}, true},
		{notify.ChannelSMS, answer{403, "AuthorizationError"}, true},
		{notify.ChannelSMS, answer{400, "ValidationException"}, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.channel)+" "+tc.answer.code, func(t *testing.T) {
			s, endpoint := newStub(t, tc.answer)
			err := send(t.Context(), tc.channel, endpoint, fastRetry)
			if err == nil {
				t.Fatal("send succeeded, want an error")
			}
			if got := s.requests(); got != 1 {
				t.Errorf("made %d requests, want 1: a permanent error is not retried", got)
			}
			checkSafe(t, err)
			rej, isRej := errors.AsType[*notify.Rejected](err)
			_, isDenial := errors.AsType[*trigger.Denial](err)
			if isRej != tc.rejected || isDenial != tc.rejected {
				t.Fatalf("got %T %q (denial %v), want rejected %v", err, err, isDenial, tc.rejected)
			}
			if !tc.rejected {
				if e, _ := errors.AsType[*notify.Error](err); e == nil || e.Code != tc.answer.code || e.RequestID != "req-1" {
					t.Errorf("got %v, want a *notify.Error with code %s and request ID req-1", err, tc.answer.code)
				}
				return
			}
			if rej.Code != tc.answer.code || rej.Channel != tc.channel || rej.RequestID != "req-1" {
				t.Errorf("got %+v, want code %s on %s with request ID req-1", *rej, tc.answer.code, tc.channel)
			}
		})
	}
}

func TestRejectionLogsDetail(t *testing.T) {
	var buf strings.Builder
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	_, endpoint := newStub(t, answer{400, "OptedOut"})
	if err := send(t.Context(), notify.ChannelSMS, endpoint); err == nil {
		t.Fatal("send succeeded, want a rejection")
	}
	line := buf.String()
	for _, want := range []string{"level=WARN", "delivery.error_code=OptedOut", "delivery.to=+*********23", "delivery.service=sns"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, fakeCode) || strings.Contains(line, testSMS.To) {
		t.Error("the log line holds the body or the full phone number")
	}
}

func TestRequestShape(t *testing.T) {
	t.Run("sns attributes", func(t *testing.T) {
		s, endpoint := newStub(t, ok)
		if err := send(t.Context(), notify.ChannelSMS, endpoint, awsnotify.WithSenderID("Example"), awsnotify.WithOriginationNumber("+15555550100")); err != nil {
			t.Fatalf("send: %v", err)
		}
		form, err := url.ParseQuery(s.lastBody())
		if err != nil {
			t.Fatalf("parse the Publish request: %v", err)
		}
		got := map[string]string{}
		for i := 1; form.Get(fmt.Sprintf("MessageAttributes.entry.%d.Name", i)) != ""; i++ {
			p := fmt.Sprintf("MessageAttributes.entry.%d.", i)
			got[form.Get(p+"Name")] = form.Get(p+"Value.DataType") + ":" + form.Get(p+"Value.StringValue")
		}
		want := map[string]string{
			"AWS.SNS.SMS.SMSType":          "String:Transactional",
			"AWS.SNS.SMS.SenderID":         "String:Example",
			"AWS.MM.SMS.OriginationNumber": "String:+15555550100",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("attributes %v, want %v", got, want)
		}
		if form.Get("PhoneNumber") != testSMS.To {
			t.Errorf("PhoneNumber %q, want %q", form.Get("PhoneNumber"), testSMS.To)
		}
	})
	t.Run("ses configuration set", func(t *testing.T) {
		s, endpoint := newStub(t, ok)
		if err := send(t.Context(), notify.ChannelEmail, endpoint, awsnotify.WithConfigurationSet("auth-mail")); err != nil {
			t.Fatalf("send: %v", err)
		}
		for _, want := range []string{`"ConfigurationSetName":"auth-mail"`, `"Html":{`, `"Text":{`} {
			if !strings.Contains(s.lastBody(), want) {
				t.Errorf("SendEmail request lacks %s", want)
			}
		}
	})
}

func TestInvalidMessage(t *testing.T) {
	_, endpoint := newStub(t, ok)
	cfg := mototest.Config(endpoint)
	ses := awsnotify.NewSES(sesv2.NewFromConfig(cfg), "no-reply@example.com")
	sms := awsnotify.NewSNS(sns.NewFromConfig(cfg))
	tests := []struct {
		name string
		send func() error
	}{
		{"email without recipient", func() error { return ses.SendEmail(t.Context(), notify.Email{Subject: "s", Text: "t"}) }},
		{"email without body", func() error { return ses.SendEmail(t.Context(), notify.Email{To: "a@example.org", Subject: "s"}) }},
		{"sms without number", func() error { return sms.SendSMS(t.Context(), notify.SMS{Text: "t"}) }},
		{"sms without text", func() error { return sms.SendSMS(t.Context(), notify.SMS{To: "+15555550123"}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.send(); err == nil || !strings.HasPrefix(err.Error(), "awsnotify: ") {
				t.Errorf("got %v, want an awsnotify: error", err)
			}
		})
	}
}
