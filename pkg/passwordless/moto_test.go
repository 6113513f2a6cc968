package passwordless_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const (
	sender        = "no-reply@example.com"
	throttleTable = "cognitrig-send-throttle"
)

// standalone matches a code of the configured length, alone.
var standalone = regexp.MustCompile(`(?:^|[^0-9])([0-9]{6})(?:$|[^0-9])`)

// motoEnv is the environment of the triggers in the moto tests.
func motoEnv(extra ...string) func(string) string {
	env := map[string]string{
		"APP_NAME":            "Example",
		"EMAIL_FROM":          sender,
		"SEND_THROTTLE_TABLE": throttleTable,
		"DECOY_KEY":           testDecoyKey,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return func(k string) string { return env[k] }
}

// prepareMoto creates what the triggers need in the moto_server at
// endpoint: the sender identity and the throttle table.
func prepareMoto(t testing.TB, endpoint string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := mototest.Config(endpoint)
	if _, err := sesv2.NewFromConfig(cfg).CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(sender)}); err != nil {
		t.Fatalf("create the sender identity: %v", err)
	}
	if err := throttle.CreateTable(ctx, dynamodb.NewFromConfig(cfg), throttleTable); err != nil {
		t.Fatalf("create the throttle table: %v", err)
	}
}

// newMotoAuth builds the triggers as createauth's main does, with the SDK
// clients of awscfg.
func newMotoAuth(t testing.TB, awscfg aws.Config, getenv func(string) string) *passwordless.Auth {
	t.Helper()
	cfg, err := passwordless.ConfigFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := passwordless.AWSOptions(awscfg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := passwordless.New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return auth
}

// simulate returns a simulator over auth's handlers for the user name
// with attrs.
func simulate(auth *passwordless.Auth, log *syncio.Buffer, name string, attrs map[string]string) *triggertest.CustomAuth {
	opt := trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))
	return triggertest.NewCustomAuth(
		trigger.DefineAuthChallenge(auth.Define, opt),
		trigger.CreateAuthChallenge(auth.Create, opt),
		trigger.VerifyAuthChallenge(auth.Verify, opt),
		triggertest.WithUser(name, attrs))
}

// sentCode returns the code of the newest message to to, read from what
// moto_server holds, the way the user would read it.
func sentCode(t *testing.T, endpoint, to string) string {
	t.Helper()
	sent := mototest.Sent(t, endpoint)
	var text string
	for _, m := range sent.Emails {
		if len(m.Destinations.ToAddresses) == 1 && m.Destinations.ToAddresses[0] == to {
			text = m.Subject
		}
	}
	for _, m := range sent.SMS {
		if m.PhoneNumber == to {
			text = m.Message
		}
	}
	if text == "" {
		t.Fatalf("moto holds no message to %s", trigger.MaskEmail(to))
	}
	m := standalone.FindStringSubmatch(text)
	if m == nil {
		t.Fatal("the message shows no code")
	}
	return m[1]
}

// The create trigger with the real SDK clients of SES v2, SNS and DynamoDB
// against moto_server: the code travels by email or SMS, the test reads it
// from what moto holds and finishes the sign-in with it.
func TestMotoSignIn(t *testing.T) {
	endpoint := mototest.Start(t)
	prepareMoto(t, endpoint)
	awscfg := mototest.Config(endpoint)
	ctx := context.Background()

	t.Run("email, then a throttled resend", func(t *testing.T) {
		log := &syncio.Buffer{}
		auth := newMotoAuth(t, awscfg, motoEnv())
		sim := simulate(auth, log, "user-email", map[string]string{"email": "jane@example.org", "locale": "es-MX", "given_name": "Juana"})
		res, err := sim.Start(ctx)
		expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
		code := sentCode(t, endpoint, "jane@example.org")
		defer func() { assertNoSecrets(t, log.String(), []string{code}) }()
		sent := mototest.Sent(t, endpoint).Emails
		if m := sent[len(sent)-1]; m.Source != sender || !strings.Contains(m.Subject, "Example") || !strings.Contains(m.Body, "Juana") || !strings.Contains(m.Body, `lang="es"`) {
			t.Errorf("the email from %q, subject of %d bytes, is not the Spanish sign-in message", m.Source, len(m.Subject))
		}
		res, err = sim.Respond(ctx, "", resend)
		expect(t, "resend within 30s", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		if !strings.Contains(err.Error(), notify.RefusedMessage) {
			t.Errorf("error %q, want the neutral message of a refused send", err)
		}
		// The limit spans sign-ins: a new one is refused too.
		res, err = sim.Start(ctx)
		expect(t, "a new sign-in within 30s", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		if n := len(mototest.Sent(t, endpoint).Emails); n != len(sent) {
			t.Errorf("moto holds %d emails, want %d: a throttled round sends nothing", n, len(sent))
		}
		// The first sign-in's code no longer counts: its session failed.
		// A second user is not throttled by the first.
		other := simulate(auth, log, "user-email-2", map[string]string{"email": "juan@example.org"})
		res, err = other.Start(ctx)
		expect(t, "another user", res, err, triggertest.OutcomeChallenge, "")
		res, err = other.Respond(ctx, sentCode(t, endpoint, "juan@example.org"), nil)
		expect(t, "the code from the email", res, err, triggertest.OutcomeTokens, "")
	})

	t.Run("SMS", func(t *testing.T) {
		log := &syncio.Buffer{}
		auth := newMotoAuth(t, awscfg, motoEnv("OTP_CHANNEL", "auto", "SMS_SENDER_ID", "Example", "SMS_ALLOWED_CALLING_CODES", "1"))
		sim := simulate(auth, log, "user-sms", map[string]string{"phone_number": "+15555550142"})
		res, err := sim.Start(ctx)
		expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
		if res.Parameters[passwordless.ParamChannel] != "sms" || res.Parameters[passwordless.ParamDestination] != trigger.MaskPhone("+15555550142") {
			t.Errorf("client sees %v, want an SMS round", res.Parameters)
		}
		code := sentCode(t, endpoint, "+15555550142")
		defer func() { assertNoSecrets(t, log.String(), []string{code}) }()
		res, err = sim.Respond(ctx, wrong(code), nil)
		expect(t, "wrong code", res, err, triggertest.OutcomeChallenge, "")
		res, err = sim.Respond(ctx, code, nil)
		expect(t, "the code from the SMS", res, err, triggertest.OutcomeTokens, "")
	})

	t.Run("a sender SES refuses", func(t *testing.T) {
		auth := newMotoAuth(t, awscfg, motoEnv("EMAIL_FROM", "someone@unverified.example", "SEND_THROTTLE_TABLE", "", "ALLOW_UNLIMITED_SENDS", "true"))
		log := &syncio.Buffer{}
		sim := simulate(auth, log, "user-rejected", map[string]string{"email": "jane@example.net"})
		res, err := sim.Start(ctx)
		expect(t, "start", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
		var ce *triggertest.CognitoError
		if !errors.As(err, &ce) || strings.Contains(ce.Message, "unverified") || strings.Contains(ce.Message, "jane@") {
			t.Errorf("the end user sees %q, want a generic message", err)
		}
		if !strings.Contains(log.String(), "MessageRejected") {
			t.Error("the log does not say why SES refused the message")
		}
	})
}

// countingProxy is a keep-alive HTTP proxy to target (moto_server, which
// closes every connection itself) that counts the connections its clients
// open.
func countingProxy(t testing.TB, target string) (endpoint string, conns *atomic.Int64) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	conns = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(u))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, conns
}

// motoCreate returns the create handler built as createauth's main builds
// it, with clients that reach a moto_server through a counting proxy, the
// proxy's connection count, the moto endpoint and the event of a first
// round.
func motoCreate(tb testing.TB) (h *trigger.Handler, conns *atomic.Int64, endpoint string, payload []byte) {
	tb.Helper()
	endpoint = mototest.Start(tb)
	prepareMoto(tb, endpoint)
	proxy, conns := countingProxy(tb, endpoint)
	auth := newMotoAuth(tb, mototest.Config(proxy), motoEnv("SEND_THROTTLE_TABLE", "", "ALLOW_UNLIMITED_SENDS", "true"))
	h = trigger.CreateAuthChallenge(auth.Create, trigger.WithLogger(trigger.NewLogger(&syncio.Buffer{}, slog.LevelWarn)))
	return h, conns, endpoint, triggertest.Load(tb, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json")
}

// One process reuses its SDK clients, and so their connections: twenty
// sign-ins with a new code each open one connection.
func TestMotoReusesConnections(t *testing.T) {
	h, conns, endpoint, payload := motoCreate(t)
	const sends = 20
	for range sends {
		if _, err := triggertest.Invoke(h, payload); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(mototest.Sent(t, endpoint).Emails); n != sends {
		t.Fatalf("moto holds %d emails, want %d", n, sends)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d sends opened %d connections, want 1", sends, n)
	}
}

// BenchmarkCreateSendMoto measures create auth challenge with a real send
// to moto_server, through the adapter, with the clients built once as
// createauth's main builds them. conns/op shows the connection reuse.
func BenchmarkCreateSendMoto(b *testing.B) {
	h, conns, _, payload := motoCreate(b)
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op")
}
