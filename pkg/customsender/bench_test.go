package customsender_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// benchEnv is the environment the sender benchmarks build the functions
// from: that of triggers/customemailsender/invoke.env and
// triggers/customsmssender/invoke.env, with an APP_URL.
var benchEnv = map[string]string{
	customsender.EnvKeyARN:           "arn:aws:kms:us-east-1:123456789012:key/2556c89a-bf15-4f04-9b10-49382cbaf618",
	"APP_NAME":                       "Example",
	"APP_URL":                        "https://app.example.com",
	notify.EnvEmailFrom:              "no-reply@example.com",
	notify.EnvSMSAllowedCallingCodes: "1",
}

// benchCode is the plaintext code the fake decrypter returns.
const benchCode = "918273"

// BenchmarkCustomEmailSender measures the custom email sender function as
// emailsender.FromEnv builds it (ConfigFromEnv, New,
// trigger.CustomEmailSender), invoked through the adapter the way Lambda
// invokes it, with in-process fakes in place of KMS and SES: a decrypter
// that returns a fixed code and a sender that keeps the message. The
// decryption itself is measured by BenchmarkDecryptESDK.
func BenchmarkCustomEmailSender(b *testing.B) {
	out := &benchOutbox{}
	s := benchSender(b, notify.ChannelEmail, customsender.WithEmail(out))
	h := trigger.CustomEmailSender(s.Email, benchQuiet)
	benchSend(b, h, "customemailsender/CustomEmailSender_SignUp.json", out, func() {
		m := out.email
		if m.To != "jane.doe@example.com" || m.Subject == "" || !strings.Contains(m.HTML, benchCode) || !strings.Contains(m.Text, benchCode) {
			b.Fatalf("sent an email to %q with subject %q and a body without the code, want one to jane.doe@example.com with it", m.To, m.Subject)
		}
	})
}

// BenchmarkCustomSMSSender is BenchmarkCustomEmailSender for the custom
// SMS sender function, with a fake in place of SNS.
func BenchmarkCustomSMSSender(b *testing.B) {
	out := &benchOutbox{}
	s := benchSender(b, notify.ChannelSMS, customsender.WithSMS(out))
	h := trigger.CustomSMSSender(s.SMS, benchQuiet)
	benchSend(b, h, "customsmssender/CustomSMSSender_SignUp.json", out, func() {
		if m := out.sms; m.To != "+15555550142" || !strings.Contains(m.Text, benchCode) {
			b.Fatalf("sent a text to %q without the code, want one to +15555550142 with it", m.To)
		}
	})
}

// benchQuiet is the deployed function's logger (JSON at level Info, the
// default of trigger.OptionsFromEnv) writing to io.Discard: the log line
// of every invocation is formatted, but nothing prints.
var benchQuiet = trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo))

// benchSender builds the Sender of channel ch from benchEnv as the
// function's build function does, with the fake decrypter and the given
// sender option in place of AWSOptions.
func benchSender(b *testing.B, ch notify.Channel, send customsender.Option) *customsender.Sender {
	b.Helper()
	cfg, err := customsender.ConfigFromEnv(func(k string) string { return benchEnv[k] })
	if err != nil {
		b.Fatalf("ConfigFromEnv: %v", err)
	}
	if err := cfg.Check(ch); err != nil {
		b.Fatalf("Check: %v", err)
	}
	s, err := customsender.New(cfg, customsender.WithDecrypter(benchDecrypter{}), send)
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	return s
}

// benchSend runs the benchmark of a custom sender function h on a fixture
// under events/. checkFirst checks the message of the first invocation.
//
// A Sender skips an event whose request.code it has sent already in this
// process (it remembers the digests of the last few hundred codes), and a
// fake decrypter cannot change that: the digest is of the ciphertext in
// the event, taken before decryption. So that every invocation sends, as
// one of Cognito's events with its unique ciphertext does, each one gets
// a code of its own: a counter is written over 8 base64 characters in the
// middle of the fixture's code, in place, so the payload keeps its size
// and nothing is allocated for it. The benchmark checks that the fake
// sender got one message per invocation.
func benchSend(b *testing.B, h *trigger.Handler, fixture string, out *benchOutbox, checkFirst func()) {
	b.Helper()
	payload := triggertest.Load(b, filepath.Join(eventsDir, fixture))
	stamp := benchStamper(b, payload)
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()

	// Check once that the function sends, so that the loop cannot measure
	// an error path or the skip of a repeated event; and that the same
	// payload again is indeed skipped.
	stamp(0)
	if _, err := h.Invoke(ctx, payload); err != nil {
		b.Fatalf("Invoke: %v", err)
	}
	if out.sent != 1 {
		b.Fatalf("%d messages sent, want 1", out.sent)
	}
	checkFirst()
	if _, err := h.Invoke(ctx, payload); err != nil {
		b.Fatalf("Invoke again: %v", err)
	}
	if out.sent != 1 {
		b.Fatalf("the same event sent twice: the Sender no longer skips repeated events, so the stamping of codes may go")
	}

	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	n := uint64(0)
	for b.Loop() {
		n++
		stamp(n)
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
	if out.sent != n+1 {
		b.Fatalf("%d messages sent in %d invocations with different codes, want one each", out.sent-1, n)
	}
}

// benchStamper returns a function that writes its argument over 8 base64
// characters in the middle of the request.code of payload.
func benchStamper(b *testing.B, payload []byte) func(uint64) {
	b.Helper()
	var ev struct {
		Request struct {
			Code string `json:"code"`
		} `json:"request"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		b.Fatal(err)
	}
	code := ev.Request.Code
	at := strings.Index(string(payload), `"`+code+`"`)
	if len(code) < 32 || at < 0 {
		b.Fatalf("the fixture's code (%d characters) is not a base64 string in the payload", len(code))
	}
	at += 1 + len(code)/2
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	return func(n uint64) {
		for i := range 8 {
			payload[at+i] = alphabet[n>>(6*i)&63]
		}
	}
}

// benchDecrypter is a decrypter that returns benchCode for any code that
// is not empty, without any work: the decryption, base64 decoding
// included, is all in BenchmarkDecryptESDK.
type benchDecrypter struct{}

func (benchDecrypter) Decrypt(_ context.Context, code, _ string) (string, error) {
	if code == "" {
		return "", errors.New("bench decrypter: empty code")
	}
	return benchCode, nil
}

// benchOutbox is a notify.EmailSender and notify.SMSSender that counts
// the messages and keeps the last one of each kind.
type benchOutbox struct {
	sent  uint64
	email notify.Email
	sms   notify.SMS
}

func (o *benchOutbox) SendEmail(_ context.Context, m notify.Email) error {
	o.sent++
	o.email = m
	return nil
}

func (o *benchOutbox) SendSMS(_ context.Context, m notify.SMS) error {
	o.sent++
	o.sms = m
	return nil
}
