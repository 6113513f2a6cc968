package customsender_test

import (
	"cmp"
	"html"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The secrets of the unit tests: what the fake decrypter returns for
// the ciphertext "CIPHERTEXT". The temporary password arrives escaped.
const (
	ciphertext   = "CIPHERTEXT"
	code         = "918273"
	tempPassword = `Tq8&x<Y>"z`
)

// handler builds the trigger of dir over a Sender with the fake
// decrypter and out.
func handler(t *testing.T, dir string, out *outbox, opt trigger.Option, plain string) *trigger.Handler {
	t.Helper()
	dec := fakeDecrypter{ciphertext: plain}
	if dir == "customemailsender" {
		s, err := customsender.New(testConfig(), customsender.WithDecrypter(dec), customsender.WithEmail(out))
		if err != nil {
			t.Fatal(err)
		}
		return trigger.CustomEmailSender(s.Email, opt)
	}
	s, err := customsender.New(testConfig(), customsender.WithDecrypter(dec), customsender.WithSMS(out))
	if err != nil {
		t.Fatal(err)
	}
	return trigger.CustomSMSSender(s.SMS, opt)
}

// Every source of both triggers, in English and Spanish: the message goes
// to the user's address or number, shows the decrypted code (the
// unescaped temporary password and the username for AdminCreateUser),
// and the log shows neither.
func TestEverySourceIsSent(t *testing.T) {
	for _, dir := range []string{"customemailsender", "customsmssender"} {
		for _, path := range fixtures(t, dir) {
			for _, lang := range []string{"en", "es"} {
				src := source(path)
				t.Run(string(src)+"/"+lang, func(t *testing.T) {
					out := &outbox{}
					buf, opt := logTo()
					plain := code
					if isAdmin(src) {
						plain = html.EscapeString(tempPassword) // as Cognito sends it
					}
					if _, err := triggertest.Invoke(handler(t, dir, out, opt, plain), event(t, path, ciphertext, lang)); err != nil {
						t.Fatalf("Invoke: %v\n%s", err, buf)
					}
					to, parts := out.last(t)
					if email := dir == "customemailsender"; email != trigger.LooksLikeEmail(to) || !email && !trigger.LooksLikePhone(to) {
						t.Errorf("sent to %q", trigger.MaskEmail(to))
					}
					bodies := parts[len(parts)-1:]
					if len(parts) == 3 {
						bodies = parts[1:]
						if !strings.Contains(parts[1], `lang="`+lang+`"`) {
							t.Errorf("the HTML body is not marked %s", lang)
						}
					}
					for i, b := range bodies {
						want := []string{code}
						switch {
						case src == trigger.SourceCustomEmailSenderAccountTakeOverNotification:
							want = nil
							if strings.Contains(b, code) {
								t.Errorf("the account takeover message shows a code")
							}
						case isAdmin(src) && len(parts) == 3 && i == 0:
							want = []string{html.EscapeString(tempPassword), adminUser}
						case isAdmin(src):
							want = []string{tempPassword, adminUser}
						}
						for _, w := range want {
							if !strings.Contains(b, w) {
								t.Errorf("body %d does not show %q:\n%s", i, w, b)
							}
						}
						if spanish := strings.Contains(b, "ó"); spanish != (lang == "es") {
							t.Errorf("body %d is not in %s:\n%s", i, lang, b)
						}
					}
					assertNoSecret(t, buf.String(), code, tempPassword, html.EscapeString(tempPassword))
				})
			}
		}
	}
}

// adminUser is the userName of the AdminCreateUser fixtures.
const adminUser = "0f1e2d3c-0000-4000-8000-00000000000e"

func isAdmin(src trigger.Source) bool { return strings.HasSuffix(string(src), "_AdminCreateUser") }

// What fails, fails with a clear internal error, sends nothing and logs no
// secret.
func TestFailures(t *testing.T) {
	rejected := &notify.Rejected{Channel: notify.ChannelEmail, Service: "ses", Code: "MessageRejected", To: "j***@e***.com"}
	signUp := eventsDir + "/customemailsender/CustomEmailSender_SignUp.json"
	tests := []struct {
		name    string
		code    string              // the event's code; ciphertext when ""
		edit    func(string) string // changes the event's JSON, or nil
		sendErr error
		wantErr string // what the end user (the Lambda error) says
		wantLog string // what the log says
	}{
		{name: "undecryptable code", code: "OTHER", wantErr: "internal error", wantLog: "fake decrypter: unknown ciphertext"},
		{name: "no email attribute", edit: func(s string) string { return strings.Replace(s, `"email":`, `"x-email":`, 1) },
			wantErr: "internal error", wantLog: "the user has no email attribute"},
		{name: "no code", edit: func(s string) string { return strings.Replace(s, `"code":"CIPHERTEXT"`, `"code":null`, 1) },
			wantErr: "internal error", wantLog: "carries no code"},
		{name: "rejected by SES", sendErr: rejected, wantErr: rejected.Error(), wantLog: `"outcome":"denied"`},
		{name: "SES failed", sendErr: &notify.Error{Channel: notify.ChannelEmail, Op: "ses SendEmail", To: "j***@e***.com", Code: "Throttling", Status: 400, Attempts: 5},
			wantErr: "internal error", wantLog: "ses SendEmail to j***@e***.com failed after 5 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &outbox{err: tt.sendErr}
			buf, opt := logTo()
			raw := string(event(t, signUp, cmp.Or(tt.code, ciphertext), "en"))
			if tt.edit != nil {
				raw = tt.edit(raw)
			}
			_, err := triggertest.Invoke(handler(t, "customemailsender", out, opt, code), []byte(raw))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one with %q", err, tt.wantErr)
			}
			if !strings.Contains(buf.String(), tt.wantLog) {
				t.Errorf("log lacks %q:\n%s", tt.wantLog, buf)
			}
			if out.count() != 0 {
				t.Errorf("%d messages sent", out.count())
			}
			assertNoSecret(t, buf.String()+err.Error(), code)
		})
	}
}

// The same event delivered twice to one process is sent once; another
// event is sent.
func TestRepeatedEventIsSentOnce(t *testing.T) {
	out := &outbox{}
	buf, opt := logTo()
	s, err := customsender.New(testConfig(), customsender.WithDecrypter(fakeDecrypter{ciphertext: code, "OTHER": "555444"}), customsender.WithSMS(out))
	if err != nil {
		t.Fatal(err)
	}
	h := trigger.CustomSMSSender(s.SMS, opt)
	path := eventsDir + "/customsmssender/CustomSMSSender_Authentication.json"
	for i, c := range []string{ciphertext, ciphertext, "OTHER"} {
		if _, err := triggertest.Invoke(h, event(t, path, c, "en")); err != nil {
			t.Fatalf("invocation %d: %v", i, err)
		}
	}
	if got := out.count(); got != 2 {
		t.Errorf("%d messages sent, want 2", got)
	}
	if !strings.Contains(buf.String(), "not sent twice") {
		t.Errorf("the log does not say the repeated event was skipped:\n%s", buf)
	}
}

func TestNew(t *testing.T) {
	broken, err := message.Load(fstest.MapFS{
		"en/SignIn.sms.txt": {Data: []byte("Welcome to {{.AppName}}")}, // no code
	})
	if err != nil {
		t.Fatal(err)
	}
	dec, out := customsender.WithDecrypter(fakeDecrypter{}), &outbox{}
	noName := testConfig()
	noName.AppName = ""
	tests := []struct {
		name    string
		cfg     customsender.Config
		opts    []customsender.Option
		wantErr []string // "" parts of the error; none when New must succeed
	}{
		{name: "email", cfg: testConfig(), opts: []customsender.Option{dec, customsender.WithEmail(out)}},
		{name: "sms", cfg: testConfig(), opts: []customsender.Option{dec, customsender.WithSMS(out)}},
		{name: "no decrypter", cfg: testConfig(), opts: []customsender.Option{customsender.WithSMS(out)}, wantErr: []string{"WithDecrypter"}},
		{name: "no sender", cfg: testConfig(), opts: []customsender.Option{dec}, wantErr: []string{"WithEmail or WithSMS"}},
		{name: "no APP_NAME", cfg: noName, opts: []customsender.Option{dec, customsender.WithSMS(out)}, wantErr: []string{"APP_NAME"}},
		{name: "broken templates", cfg: testConfig(), opts: []customsender.Option{dec, customsender.WithSMS(out), customsender.WithMessages(broken)},
			wantErr: []string{"en/SignIn.sms.txt", "must show .Code", "en/SignUp.sms.txt: no such template"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := customsender.New(tt.cfg, tt.opts...)
			wantError(t, err, tt.wantErr...)
		})
	}
}

// An SMS to a number outside the allowed countries is dropped before the
// code is decrypted: no KMS call, nothing sent, a log line with the
// number masked, and no error (Lambda would retry the event for nothing).
func TestSMSOutsideTheCountriesIsNotDecrypted(t *testing.T) {
	cfg := testConfig()
	var err error
	if cfg.SMSCountries, err = notify.ParseCallingCodes("44"); err != nil {
		t.Fatal(err)
	}
	out := &outbox{}
	s, err := customsender.New(cfg, customsender.WithDecrypter(fakeDecrypter{}), customsender.WithSMS(out))
	if err != nil {
		t.Fatal(err)
	}
	buf, opt := logTo()
	h := trigger.CustomSMSSender(s.SMS, opt)
	path := eventsDir + "/customsmssender/CustomSmsSender_Authentication.docs-spelling.json"
	if _, err := triggertest.Invoke(h, event(t, path, "NOT-DECRYPTABLE", "en")); err != nil {
		t.Fatalf("Invoke = %v, want the event dropped (the fake decrypter refuses every code)", err)
	}
	if out.count() != 0 {
		t.Errorf("%d messages sent", out.count())
	}
	if log := buf.String(); !strings.Contains(log, `"limit":"country"`) || strings.Contains(log, "+1555") {
		t.Errorf("log line of the refusal (want limit country, the number masked):\n%s", log)
	}
}
