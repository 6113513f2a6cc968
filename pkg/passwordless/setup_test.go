package passwordless_test

import (
	"context"
	"log/slog"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const eventsDir = "../../events"

// janePhone is the phone number the tests give the sample user.
const janePhone = "+15555550123"

// outbox is an EmailSender and SMSSender that keeps what it is given.
// With fail set, it returns fail instead.
type outbox struct {
	mu     sync.Mutex
	emails []notify.Email
	texts  []notify.SMS
	fail   error
}

func (o *outbox) SendEmail(_ context.Context, m notify.Email) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return o.fail
	}
	o.emails = append(o.emails, m)
	return nil
}

func (o *outbox) SendSMS(_ context.Context, m notify.SMS) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return o.fail
	}
	o.texts = append(o.texts, m)
	return nil
}

func (o *outbox) count() (emails, texts int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.emails), len(o.texts)
}

// codeRE finds a code in a message: the first run of 6 to 10 digits
// that stands alone.
var codeRE = regexp.MustCompile(`(?:^|[^0-9+])([0-9]{6,10})(?:$|[^0-9])`)

// tokenRE finds the magic-link token after the '#' of a link.
var tokenRE = regexp.MustCompile(`#([A-Za-z0-9_-]{32})`)

// lastCode returns the code of the newest message, by email or SMS,
// read from its text the way a person would. It never logs the code.
func (o *outbox) lastCode(t *testing.T, ch passwordless.Channel) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	var text string
	switch {
	case ch == passwordless.ChannelEmail && len(o.emails) > 0:
		text = o.emails[len(o.emails)-1].Text
	case ch == passwordless.ChannelSMS && len(o.texts) > 0:
		text = o.texts[len(o.texts)-1].Text
	default:
		t.Fatalf("no %s message was sent", ch)
	}
	m := codeRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the newest %s message shows no code", ch)
	}
	return m[1]
}

// lastToken returns the magic-link token of the newest email.
func (o *outbox) lastToken(t *testing.T) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.emails) == 0 {
		t.Fatal("no email was sent")
	}
	m := tokenRE.FindStringSubmatch(o.emails[len(o.emails)-1].HTML)
	if m == nil {
		t.Fatal("the newest email has no magic link")
	}
	return m[1]
}

// secrets returns every code and token sent so far.
func (o *outbox) secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, m := range o.emails {
		for _, s := range codeRE.FindAllStringSubmatch(m.Text, -1) {
			out = append(out, s[1])
		}
		for _, s := range tokenRE.FindAllStringSubmatch(m.HTML, -1) {
			out = append(out, s[1])
		}
	}
	for _, m := range o.texts {
		for _, s := range codeRE.FindAllStringSubmatch(m.Text, -1) {
			out = append(out, s[1])
		}
	}
	return out
}

// setup is one user pool's passwordless triggers under test.
type setup struct {
	auth  *passwordless.Auth
	out   *outbox
	clock *triggertest.Clock
	log   *syncio.Buffer
	sim   *triggertest.CustomAuth
}

// baseConfig is the configuration of the tests: the defaults, an app
// name and a sender, SMS to calling code 1 (janePhone's), no send limits
// (the tests of limits give New limiters of their own), and the clock c.
func baseConfig(c *triggertest.Clock) passwordless.Config {
	cfg := passwordless.Config{
		Flow:                passwordless.DefaultFlowConfig(),
		AppName:             "Example",
		Settings:            notify.Settings{EmailFrom: "no-reply@example.com", SMSCountries: callingCodes("1")},
		AllowUnlimitedSends: true,
	}
	cfg.Flow.Now, cfg.Flow.DecoyKey = c.Now, []byte(testDecoyKey)
	return cfg
}

// testDecoyKey is the DECOY_KEY of the tests (hex, 16 bytes).
const testDecoyKey = "0123456789abcdef0123456789abcdef"

// callingCodes is the allow-list of the calling codes in list.
func callingCodes(list string) notify.SMSCountries {
	c, err := notify.ParseCallingCodes(list)
	if err != nil {
		panic(err)
	}
	return c
}

// newSetup builds the triggers of baseConfig changed by mod, sending to an
// outbox, logging at debug level to a buffer, and a simulator over them
// with the sample user (given a phone number too). At the end of the test
// it checks that no code or token reached the log.
func newSetup(t *testing.T, mod func(*passwordless.Config), simOpts ...triggertest.CustomAuthOption) *setup {
	t.Helper()
	s := &setup{out: &outbox{}, clock: triggertest.NewClock(time.Unix(1_800_000_000, 0)), log: &syncio.Buffer{}}
	cfg := baseConfig(s.clock)
	if mod != nil {
		mod(&cfg)
	}
	auth, err := passwordless.New(cfg, passwordless.WithEmail(s.out), passwordless.WithSMS(s.out), passwordless.WithDecoyDelay(0))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s.auth = auth
	opt := trigger.WithLogger(trigger.NewLogger(s.log, slog.LevelDebug))
	attrs := triggertest.DefaultUserAttributes()
	attrs["phone_number"] = janePhone
	simOpts = append([]triggertest.CustomAuthOption{
		triggertest.WithUser(triggertest.DefaultUsername, attrs),
		triggertest.WithClock(s.clock.Now),
	}, simOpts...)
	s.sim = triggertest.NewCustomAuth(
		trigger.DefineAuthChallenge(auth.Define, opt),
		trigger.CreateAuthChallenge(auth.Create, opt),
		trigger.VerifyAuthChallenge(auth.Verify, opt),
		simOpts...)
	t.Cleanup(func() { assertNoSecrets(t, s.log.String(), s.out.secrets()) })
	return s
}

// assertNoSecrets fails when out contains one of secrets, without
// printing either.
func assertNoSecrets(t *testing.T, out string, secrets []string) {
	t.Helper()
	for i, s := range secrets {
		// A code counts only as a whole run of digits: logs hold other
		// numbers, which may contain the same six digits.
		if regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(s) + `($|[^0-9])`).MatchString(out) {
			t.Errorf("secret #%d (a code or token sent to the user) appears in the output", i+1)
		}
	}
}
