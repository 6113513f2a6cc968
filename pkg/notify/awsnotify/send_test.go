package awsnotify_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify/awsnotifytest"
	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// The retries and the classification are shared by the SES and the SNS
// sender: these tests run them through both, against awsnotifytest's stub.

// fakeCode stands for a one-time code in every message of these tests.
const fakeCode = "000000"

type answer = awsnotifytest.Answer

var (
	ok          = awsnotifytest.OK
	sesThrottle = awsnotifytest.SESThrottle
	snsThrottle = awsnotifytest.SNSThrottle
)

// fastRetry keeps the tests quick: back-offs of at most 40ms, and a retry
// only while 100ms are left.
var fastRetry = awsnotify.Retry{MaxAttempts: 50, BaseDelay: 5 * time.Millisecond, MaxDelay: 40 * time.Millisecond, MinAttempt: 60 * time.Millisecond}

var (
	// The destinations that the stub's error replies repeat.
	testEmail = notify.Email{To: "jane@example.org", Subject: "Your code", HTML: "<p>" + fakeCode + "</p>", Text: fakeCode}
	testSMS   = notify.SMS{To: "+15555550123", Text: "Your code is " + fakeCode}
)

// send sends the test message of channel through a sender with retry
// policy r pointed at endpoint.
func send(ctx context.Context, channel notify.Channel, endpoint string, r awsnotify.Retry) error {
	cfg := mototest.Config(endpoint)
	if channel == notify.ChannelSMS {
		northAmerica, err := notify.ParseCallingCodes("1")
		if err != nil {
			return err
		}
		return snsnotify.New(sns.NewFromConfig(cfg), snsnotify.WithCountries(northAmerica), snsnotify.WithRetry(r)).SendSMS(ctx, testSMS)
	}
	return sesnotify.New(sesv2.NewFromConfig(cfg), "no-reply@example.com", sesnotify.WithRetry(r)).SendEmail(ctx, testEmail)
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
		{"ses 503 twice", notify.ChannelEmail, []answer{{Status: 503, Code: "ServiceUnavailable"}, {Status: 503, Code: "ServiceUnavailable"}, ok}, 3},
		{"sns throttled once", notify.ChannelSMS, []answer{snsThrottle, ok}, 2},
		{"sns internal error once", notify.ChannelSMS, []answer{{Status: 500, Code: "InternalError"}, ok}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, endpoint := awsnotifytest.NewStub(t, tc.answers...)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			if err := send(ctx, tc.channel, endpoint, fastRetry); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := s.Requests(); got != tc.wantReqs {
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
		retry   awsnotify.Retry
		budget  time.Duration
	}{
		{"ses always throttled", notify.ChannelEmail, sesThrottle, fastRetry, 500 * time.Millisecond},
		{"sns always throttled", notify.ChannelSMS, snsThrottle, fastRetry, 500 * time.Millisecond},
		{"sns always throttled, default delays", notify.ChannelSMS, snsThrottle, awsnotify.Retry{MaxAttempts: 100}, 1500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, endpoint := awsnotifytest.NewStub(t, tc.answer)
			ctx, cancel := context.WithTimeout(t.Context(), tc.budget)
			defer cancel()
			err := send(ctx, tc.channel, endpoint, tc.retry)
			if ctx.Err() != nil {
				t.Errorf("send returned after the deadline: %v", err)
			}
			e, isErr := errors.AsType[*notify.Error](err)
			if !isErr {
				t.Fatalf("got %v, want a *notify.Error", err)
			}
			if !e.Budget || e.Code != tc.answer.Code || e.Attempts < 2 || e.Attempts != s.Requests() {
				t.Errorf("got %+v after %d requests; want the budget to stop %s retries after 2 or more attempts", *e, s.Requests(), tc.answer.Code)
			}
			if !strings.Contains(err.Error(), "deadline budget") {
				t.Errorf("error %q does not say the budget stopped the retries", err)
			}
			checkSafe(t, err)
		})
	}
}

func TestRetryStopsAtMaxAttempts(t *testing.T) {
	s, endpoint := awsnotifytest.NewStub(t, answer{Status: 500, Code: "InternalFailure"})
	err := send(t.Context(), notify.ChannelEmail, endpoint, awsnotify.Retry{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	e, isErr := errors.AsType[*notify.Error](err)
	if !isErr || e.Attempts != 3 || s.Requests() != 3 || e.Budget || e.Status != 500 {
		t.Fatalf("got %v after %d requests, want a *notify.Error after 3 attempts with HTTP 500", err, s.Requests())
	}
}

func TestClassification(t *testing.T) {
	tests := []struct {
		channel  notify.Channel
		answer   answer
		rejected bool
	}{
		{notify.ChannelEmail, answer{Status: 400, Code: "MessageRejected"}, true},
		{notify.ChannelEmail, answer{Status: 400, Code: "MailFromDomainNotVerifiedException"}, true},
		{notify.ChannelEmail, answer{Status: 400, Code: "AccountSuspendedException"}, true},
		{notify.ChannelEmail, answer{Status: 400, Code: "SendingPausedException"}, true},
		{notify.ChannelEmail, answer{Status: 404, Code: "NotFoundException"}, false}, // an unknown configuration set: ours to fix
		{notify.ChannelEmail, answer{Status: 400, Code: "BadRequestException"}, false},
		{notify.ChannelSMS, answer{Status: 400, Code: "InvalidParameter"}, true},
		{notify.ChannelSMS, answer{Status: 400, Code: "OptedOut"}, true},
		{notify.ChannelSMS, answer{Status: 403, Code: "AuthorizationError"}, true},
		{notify.ChannelSMS, answer{Status: 400, Code: "ValidationException"}, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.channel)+" "+tc.answer.Code, func(t *testing.T) {
			s, endpoint := awsnotifytest.NewStub(t, tc.answer)
			err := send(t.Context(), tc.channel, endpoint, fastRetry)
			if err == nil {
				t.Fatal("send succeeded, want an error")
			}
			if got := s.Requests(); got != 1 {
				t.Errorf("made %d requests, want 1: a permanent error is not retried", got)
			}
			checkSafe(t, err)
			rej, isRej := errors.AsType[*notify.Rejected](err)
			_, isDenial := errors.AsType[*trigger.Denial](err)
			if isRej != tc.rejected || isDenial != tc.rejected {
				t.Fatalf("got %T %q (denial %v), want rejected %v", err, err, isDenial, tc.rejected)
			}
			if !tc.rejected {
				if e, _ := errors.AsType[*notify.Error](err); e == nil || e.Code != tc.answer.Code || e.RequestID != "req-1" {
					t.Errorf("got %v, want a *notify.Error with code %s and request ID req-1", err, tc.answer.Code)
				}
				return
			}
			if rej.Code != tc.answer.Code || rej.Channel != tc.channel || rej.RequestID != "req-1" {
				t.Errorf("got %+v, want code %s on %s with request ID req-1", *rej, tc.answer.Code, tc.channel)
			}
		})
	}
}

func TestRejectionLogsDetail(t *testing.T) {
	var buf strings.Builder
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	_, endpoint := awsnotifytest.NewStub(t, answer{Status: 400, Code: "OptedOut"})
	if err := send(t.Context(), notify.ChannelSMS, endpoint, awsnotify.Retry{}); err == nil {
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
