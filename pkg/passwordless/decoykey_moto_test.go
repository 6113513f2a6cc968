package passwordless_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// secretReadCounter is an HTTP proxy to target (moto_server) that counts
// the GetSecretValue calls through it.
func secretReadCounter(t testing.TB, target string) (endpoint string, reads *atomic.Int64) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	reads = new(atomic.Int64)
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == "secretsmanager.GetSecretValue" {
			reads.Add(1)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, reads
}

// createFromEnv builds create as triggers/createauth's main does, from
// env over the process environment (which points the SDK at moto), and
// logs to log.
func createFromEnv(t *testing.T, env map[string]string, log *syncio.Buffer) *trigger.Handler {
	t.Helper()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	h, err := passwordless.CreateFromEnv(getenv, passwordless.WithDecoyDelay(0),
		fromenv.WithTriggerOptions(trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))))
	if err != nil {
		t.Fatalf("CreateFromEnv: %v", err)
	}
	return h
}

// The decoy key in a Secrets Manager secret, read by create through the
// real SDK client from moto_server, with AWS_ENDPOINT_URL as the function
// gets it: the decoys are those of DECOY_KEY with the same key, one
// process reads the secret once, a missing secret fails every invocation
// closed, and no log shows the key.
func TestMotoDecoyKeySecret(t *testing.T) {
	endpoint := mototest.Start(t)
	prepareMoto(t, endpoint)
	proxy, reads := secretReadCounter(t, endpoint)
	mototest.Setenv(t, proxy)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const secretName = "cognitrig/decoy-key"
	created, err := secretsmanager.NewFromConfig(mototest.Config(endpoint)).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String(secretName), SecretString: aws.String(secretKey + "\n"),
	})
	if err != nil {
		t.Fatalf("create the secret: %v", err)
	}
	arn := aws.ToString(created.ARN)
	env := func(kv ...string) map[string]string {
		// Without send limits: the same users sign in again and again.
		m := map[string]string{"APP_NAME": "Example", "EMAIL_FROM": sender, "ALLOW_UNLIMITED_SENDS": "true", "LOG_LEVEL": "debug"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	names := []string{"alice", "bob", "carol", "dave", "erin"}
	keyLog := &syncio.Buffer{}
	withKey := createFromEnv(t, env("DECOY_KEY", secretKey), keyLog)
	want := map[string]string{}
	for _, name := range names {
		want[name] = decoyDestination(t, withKey, name)
	}

	tests := []struct {
		name, secret string
	}{
		{"by ARN", arn},
		{"by name", secretName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &syncio.Buffer{}
			before := reads.Load()
			h := createFromEnv(t, env("DECOY_KEY_SECRET_ARN", tt.secret), log)
			if n := reads.Load() - before; n != 0 {
				t.Fatalf("building create read the secret %d times, want 0: no network call at start-up", n)
			}
			// A real user first: the code goes out through SES.
			if _, err := triggertest.Invoke(h, realUserEvent(t)); err != nil {
				t.Fatalf("create for a real user: %v", err)
			}
			if n := reads.Load() - before; n != 1 {
				t.Fatalf("the first invocation, a real user's, read the secret %d times, want 1", n)
			}
			for _, name := range names {
				if got := decoyDestination(t, h, name); got != want[name] {
					t.Errorf("%s: the secret's key shows %q, DECOY_KEY with the same key %q", name, got, want[name])
				}
			}
			for range 10 {
				if _, err := triggertest.Invoke(h, realUserEvent(t)); err != nil {
					t.Fatal(err)
				}
			}
			if n := reads.Load() - before; n != 1 {
				t.Errorf("%d invocations read the secret %d times, want 1", 1+len(names)+10, n)
			}
			assertNoKey(t, log.String())
		})
	}

	t.Run("missing secret", func(t *testing.T) {
		log := &syncio.Buffer{}
		missing := strings.Replace(arn, secretName, "cognitrig/no-such-key", 1)
		before := reads.Load()
		h := createFromEnv(t, env("DECOY_KEY_SECRET_ARN", missing), log)
		sent := len(mototest.Sent(t, endpoint).Emails)
		for i, p := range [][]byte{realUserEvent(t), unknownUserEvent(t, "alice"), realUserEvent(t)} {
			_, err := triggertest.Invoke(h, p)
			if _, denied := errors.AsType[*trigger.Denial](err); err == nil || denied || !strings.Contains(err.Error(), "internal error") {
				t.Errorf("invocation %d: %v, want an internal error", i+1, err)
			}
		}
		if n := reads.Load() - before; n != 3 {
			t.Errorf("3 failed invocations read the secret %d times, want 3: a failure is not kept", n)
		}
		if n := len(mototest.Sent(t, endpoint).Emails); n != sent {
			t.Errorf("moto holds %d emails, want %d: nothing is sent without the key", n, sent)
		}
		got := log.String()
		for _, w := range []string{missing, "ResourceNotFoundException"} {
			if !strings.Contains(got, w) {
				t.Errorf("the log does not say %q", w)
			}
		}
		if strings.Contains(got, `"outcome":"ok"`) {
			t.Error("an invocation without the key succeeded")
		}
	})
	assertNoKey(t, keyLog.String())
}
