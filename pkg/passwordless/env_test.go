package passwordless_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// localAWS points the AWS SDK of this process at a moto_server holding the
// throttle table, and keeps it from looking anywhere else for credentials
// or endpoints.
func localAWS(t *testing.T) {
	t.Helper()
	endpoint := mototest.Start(t)
	mototest.Setenv(t, endpoint)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := throttle.CreateTable(ctx, dynamodb.NewFromConfig(mototest.Config(endpoint)), throttleTable); err != nil {
		t.Fatal(err)
	}
}

// The build functions of the three mains: each starts on a good
// environment and answers its fixture, and refuses a bad one naming the
// variable.
func TestFromEnv(t *testing.T) {
	localAWS(t)
	const (
		send    = "APP_NAME=Example EMAIL_FROM=no-reply@example.com DECOY_KEY=" + testDecoyKey
		limited = send + " SEND_THROTTLE_TABLE=" + throttleTable
	)
	// The builds as the mains call them, with the environment only.
	define := func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordless.DefineFromEnv(getenv)
	}
	verify := func(getenv func(string) string) (*trigger.Handler, error) {
		return passwordless.VerifyFromEnv(getenv)
	}
	create := func(getenv func(string) string) (*trigger.Handler, error) { return passwordless.CreateFromEnv(getenv) }
	tests := []struct {
		name    string
		build   func(func(string) string) (*trigger.Handler, error)
		env     string // KEY=value pairs separated by spaces
		event   string // under events/
		check   func(t *testing.T, out []byte)
		wantErr []string // what the error names; none when the function must start
	}{
		{name: "define, right answer", build: define,
			event: "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json", check: issues(true)},
		{name: "define, wrong answer", build: define,
			event: "defineauth/DefineAuthChallenge_Authentication.otp-wrong-answer.json", check: issues(false)},
		{name: "define, password required", build: define, env: "REQUIRE_PASSWORD=true",
			event: "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json", check: issues(false)},
		{name: "define needs no sender", build: define, env: "OTP_CHANNEL=email",
			event: "defineauth/DefineAuthChallenge_Authentication.otp-resend.json", check: issues(false)},
		{name: "define, bad OTP_MAX_ATTEMPTS", build: define, env: "OTP_MAX_ATTEMPTS=many", wantErr: []string{"OTP_MAX_ATTEMPTS"}},
		{name: "define, bad LOG_LEVEL", build: define, env: "LOG_LEVEL=loud", wantErr: []string{"LOG_LEVEL"}},
		{name: "verify, expired code", build: verify, env: "MAGIC_LINK_URL=https://app.example.com/sign-in",
			event: "verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json", check: correct(false)},
		{name: "verify, bad MAGIC_LINK_URL", build: verify, env: "MAGIC_LINK_URL=app.example.com", wantErr: []string{"MAGIC_LINK_URL"}},
		// Define and verify check what only create uses, too: the three
		// share one environment, and each stops on a wrong value.
		{name: "define, bad SEND_THROTTLE_TABLE", build: define, env: "SEND_THROTTLE_TABLE=x", wantErr: []string{"SEND_THROTTLE_TABLE"}},
		{name: "define, bad EMAIL_FROM", build: define, env: "EMAIL_FROM=no-reply", wantErr: []string{"EMAIL_FROM"}},
		{name: "verify, bad SMS_SENDER_ID", build: verify, env: "SMS_SENDER_ID=123456", wantErr: []string{"SMS_SENDER_ID"}},
		{name: "verify, bad APP_URL", build: verify, env: "APP_URL=example.com", wantErr: []string{"APP_URL"}},
		{name: "define needs no APP_NAME", build: define, env: "OTP_CHANNEL=email",
			event: "defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json", check: issues(true)},
		{name: "create, bad SEND_THROTTLE_TABLE", build: create, env: send + " SEND_THROTTLE_TABLE=x", wantErr: []string{"SEND_THROTTLE_TABLE"}},
		{name: "create, everything", build: create,
			env:   limited + " MAGIC_LINK_URL=https://app.example.com/sign-in POOL_SEND_LIMIT=500/30m SMS_SENDER_ID=Example SMS_ALLOWED_CALLING_CODES=1,44 OTP_LENGTH=8",
			event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json", check: challenged},
		{name: "create, SMS needs no sender address", build: create, env: "APP_NAME=Example OTP_CHANNEL=sms SMS_ALLOWED_CALLING_CODES=1 ALLOW_UNLIMITED_SENDS=true DECOY_KEY=" + testDecoyKey,
			event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json", check: challenged},
		{name: "create, no EMAIL_FROM", build: create, env: "APP_NAME=Example ALLOW_UNLIMITED_SENDS=true", wantErr: []string{"EMAIL_FROM"}},
		{name: "create, no APP_NAME", build: create, env: "EMAIL_FROM=no-reply@example.com ALLOW_UNLIMITED_SENDS=true", wantErr: []string{"APP_NAME"}},
		{name: "create, bad OTP_TTL", build: create, env: limited + " OTP_TTL=1h", wantErr: []string{"OTP_TTL"}},
		// Sends are bounded by default: create refuses to start without
		// its limits, or with contradictory settings.
		{name: "createauth config without SEND_THROTTLE_TABLE is refused", build: create, env: send,
			wantErr: []string{"SEND_THROTTLE_TABLE is not set", "ALLOW_UNLIMITED_SENDS=true"}},
		// Decoys are keyed by default: without a key anyone can compute
		// what an unknown username is shown, and tell real ones apart.
		{name: "createauth config without DECOY_KEY is refused", build: create, env: "APP_NAME=Example EMAIL_FROM=no-reply@example.com SEND_THROTTLE_TABLE=" + throttleTable,
			wantErr: []string{"DECOY_KEY is not set", "ALLOW_PREDICTABLE_DECOYS=true"}},
		{name: "create, ALLOW_PREDICTABLE_DECOYS=true starts without DECOY_KEY", build: create,
			env:   "APP_NAME=Example EMAIL_FROM=no-reply@example.com ALLOW_UNLIMITED_SENDS=true ALLOW_PREDICTABLE_DECOYS=true",
			event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json", check: challenged},
		{name: "create, DECOY_KEY and ALLOW_PREDICTABLE_DECOYS=true are refused", build: create, env: limited + " ALLOW_PREDICTABLE_DECOYS=true",
			wantErr: []string{"DECOY_KEY", "ALLOW_PREDICTABLE_DECOYS", "contradict"}},
		{name: "define, bad ALLOW_PREDICTABLE_DECOYS", build: define, env: "ALLOW_PREDICTABLE_DECOYS=maybe", wantErr: []string{"ALLOW_PREDICTABLE_DECOYS"}},
		// The unknown user's round asks the limits too: only "create,
		// everything" uses the table, so that the user's 30s limit does
		// not refuse the others.
		{name: "create, unknown user, ALLOW_UNLIMITED_SENDS=true starts without a table", build: create, env: send + " ALLOW_UNLIMITED_SENDS=true",
			event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json", check: challenged},
		{name: "create, a table and ALLOW_UNLIMITED_SENDS=true are refused", build: create, env: limited + " ALLOW_UNLIMITED_SENDS=true",
			wantErr: []string{"SEND_THROTTLE_TABLE", "ALLOW_UNLIMITED_SENDS", "contradict"}},
		{name: "create, POOL_SEND_LIMIT and ALLOW_UNLIMITED_SENDS=true are refused", build: create, env: send + " ALLOW_UNLIMITED_SENDS=true POOL_SEND_LIMIT=10/1h",
			wantErr: []string{"POOL_SEND_LIMIT", "ALLOW_UNLIMITED_SENDS", "contradict"}},
		{name: "create, bad POOL_SEND_LIMIT", build: create, env: limited + " POOL_SEND_LIMIT=10/30s", wantErr: []string{"POOL_SEND_LIMIT", "out of range"}},
		{name: "define, bad POOL_SEND_LIMIT", build: define, env: "POOL_SEND_LIMIT=0/1h", wantErr: []string{"POOL_SEND_LIMIT"}},
		{name: "createauth with OTP_CHANNEL=sms and no SMS countries is refused", build: create, env: "APP_NAME=Example OTP_CHANNEL=sms SEND_THROTTLE_TABLE=" + throttleTable,
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES"}},
		{name: "create, OTP_CHANNEL=auto starts without SMS countries", build: create, env: send + " ALLOW_UNLIMITED_SENDS=true OTP_CHANNEL=auto",
			event: "createauth/CreateAuthChallenge_Authentication.user-not-found.json", check: challenged},
		{name: "create, both SMS country settings are refused", build: create, env: limited + " SMS_ALLOWED_CALLING_CODES=1 SMS_ALLOW_ALL_COUNTRIES=true",
			wantErr: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES", "contradict"}},
		{name: "verify, bad SMS_ALLOWED_CALLING_CODES", build: verify, env: "SMS_ALLOWED_CALLING_CODES=+0044", wantErr: []string{"SMS_ALLOWED_CALLING_CODES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := buildtest.Env(tt.env)
			h, err := tt.build(func(k string) string {
				if v, ok := env[k]; ok || !strings.HasPrefix(k, "AWS_") {
					return v
				}
				return os.Getenv(k) // the AWS settings the test points at moto_server
			})
			if !buildtest.Built(t, err, tt.wantErr...) {
				return
			}
			out, err := triggertest.Invoke(h, triggertest.Load(t, eventsDir+"/"+tt.event))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			tt.check(t, out)
		})
	}
}

func issues(want bool) func(*testing.T, []byte) {
	return func(t *testing.T, out []byte) {
		t.Helper()
		ev := decode[trigger.DefineAuthChallengeEvent](t, out)
		if got := ev.Response.IssueTokens != nil && *ev.Response.IssueTokens; got != want {
			t.Errorf("issueTokens = %v, want %v", got, want)
		}
	}
}

func correct(want bool) func(*testing.T, []byte) {
	return func(t *testing.T, out []byte) {
		t.Helper()
		ev := decode[trigger.VerifyAuthChallengeEvent](t, out)
		if ev.Response.AnswerCorrect == nil || *ev.Response.AnswerCorrect != want {
			t.Errorf("answerCorrect = %v, want %v", ev.Response.AnswerCorrect, want)
		}
	}
}

func challenged(t *testing.T, out []byte) {
	t.Helper()
	ev := decode[trigger.CreateAuthChallengeEvent](t, out)
	if ev.Response.PublicChallengeParameters["destination"] == "" || len(ev.Response.PrivateChallengeParameters) == 0 {
		t.Errorf("public parameters %v, want a challenge", ev.Response.PublicChallengeParameters)
	}
}

func decode[E any](t *testing.T, out []byte) *E {
	t.Helper()
	ev := new(E)
	if err := json.Unmarshal(out, ev); err != nil {
		t.Fatal(err)
	}
	return ev
}
