package passwordless_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// testKeySecret is the ARN of the secret that holds the decoy key in these
// tests, and secretKey the key it holds (hex, 32 bytes), which no log or
// error may show.
const (
	testKeySecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cognitrig-decoy-key-AbCdEf"
	secretKey     = "5ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0"
)

// fakeSecrets is a Secrets Manager client that answers GetSecretValue
// with value, or with the errors of fail first (one per call), and counts
// the calls. With gate set, a call waits for it to close.
type fakeSecrets struct {
	value string
	fail  []error
	gate  chan struct{}

	mu    sync.Mutex
	calls int
	ids   []string
}

func (f *fakeSecrets) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.mu.Lock()
	f.calls++
	f.ids = append(f.ids, aws.ToString(in.SecretId))
	var err error
	if len(f.fail) > 0 {
		err, f.fail = f.fail[0], f.fail[1:]
	}
	f.mu.Unlock()
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	out := &secretsmanager.GetSecretValueOutput{ARN: in.SecretId}
	if f.value != "" {
		out.SecretString = aws.String(f.value)
	} else {
		out.SecretBinary = []byte{1, 2, 3}
	}
	return out, nil
}

func (f *fakeSecrets) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// secretCreate is the create handler of a configuration whose decoy key
// is in the secret testKeySecret, read through client, logging to log.
func secretCreate(t *testing.T, client passwordless.SecretsManagerAPI, log *syncio.Buffer) (*trigger.Handler, *outbox) {
	t.Helper()
	cfg := baseConfig(triggertest.NewClock(time.Unix(1_800_000_000, 0)))
	cfg.Flow.DecoyKey, cfg.DecoyKeySecretARN = nil, testKeySecret
	out := &outbox{}
	opts := []passwordless.Option{passwordless.WithEmail(out), passwordless.WithSMS(out), passwordless.WithDecoyDelay(0)}
	if client != nil {
		opts = append(opts, passwordless.WithSecretsManager(client))
	}
	auth, err := passwordless.New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return trigger.CreateAuthChallenge(auth.Create, trigger.WithLogger(trigger.NewLogger(log, slog.LevelDebug))), out
}

// The events of a first round: a real user's, and an unknown user's under
// a name that is neither an address nor a number, so that the decoy
// destination comes from the key.
func realUserEvent(t testing.TB) []byte {
	return triggertest.Load(t, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json")
}

func unknownUserEvent(t testing.TB, name string) []byte {
	p := triggertest.Load(t, eventsDir+"/createauth/CreateAuthChallenge_Authentication.user-not-found.json")
	return bytes.Replace(p, []byte(`"nobody@example.com"`), []byte(`"`+name+`"`), 1)
}

// decoyDestination returns the destination create shows the unknown user
// name, invoking h.
func decoyDestination(t *testing.T, h *trigger.Handler, name string) string {
	t.Helper()
	ev, err := triggertest.InvokeEvent[trigger.CreateAuthChallengeEvent](t, h, unknownUserEvent(t, name))
	if err != nil {
		t.Fatalf("create for an unknown user: %v", err)
	}
	return ev.Response.PublicChallengeParameters[passwordless.ParamDestination]
}

// The decoy key read from the secret gives the decoys DECOY_KEY gives
// with the same key, and other decoys than another key.
func TestDecoyKeyFromSecretGivesTheDecoysOfDecoyKey(t *testing.T) {
	h, _ := secretCreate(t, &fakeSecrets{value: secretKey + "\n"}, &syncio.Buffer{})
	withKey := func(key string) *trigger.Handler {
		cfg := baseConfig(triggertest.NewClock(time.Unix(1_800_000_000, 0)))
		cfg.Flow.DecoyKey = []byte(nil)
		env := map[string]string{"DECOY_KEY": key}
		parsed, err := passwordless.ConfigFromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		cfg.Flow.DecoyKey = parsed.Flow.DecoyKey
		out := &outbox{}
		auth, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out), passwordless.WithDecoyDelay(0))
		if err != nil {
			t.Fatal(err)
		}
		return trigger.CreateAuthChallenge(auth.Create, trigger.WithLogger(trigger.NewLogger(&syncio.Buffer{}, slog.LevelError)))
	}
	same, other := withKey(secretKey), withKey(testDecoyKey)
	differ := 0
	for _, name := range []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"} {
		got := decoyDestination(t, h, name)
		if want := decoyDestination(t, same, name); got != want {
			t.Errorf("%s: the secret's key shows %q, DECOY_KEY with the same key %q", name, got, want)
		}
		if got != decoyDestination(t, other, name) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("another key shows the same decoys for every name: the secret's key is not used")
	}
}

// One process reads the secret once, at the first invocation, whoever
// signs in, and then not again, however many invocations run at once.
func TestDecoyKeySecretIsReadOncePerProcess(t *testing.T) {
	tests := []struct {
		name  string
		first func(t testing.TB) []byte
	}{
		{"first a real user", realUserEvent},
		{"first an unknown user", func(t testing.TB) []byte { return unknownUserEvent(t, "nobody") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := &fakeSecrets{value: secretKey}
			log := &syncio.Buffer{}
			h, out := secretCreate(t, sm, log)
			if _, err := triggertest.Invoke(h, tt.first(t)); err != nil {
				t.Fatalf("first invocation: %v", err)
			}
			if n := sm.count(); n != 1 {
				t.Fatalf("the first invocation read the secret %d times, want 1: the key is read at the first invocation, whoever it is for", n)
			}
			var wg sync.WaitGroup
			var failed atomic.Int64
			for i := range 20 {
				wg.Go(func() {
					p := realUserEvent(t)
					if i%2 == 1 {
						p = unknownUserEvent(t, "nobody")
					}
					if _, err := triggertest.Invoke(h, p); err != nil {
						failed.Add(1)
					}
				})
			}
			wg.Wait()
			if n := failed.Load(); n > 0 {
				t.Errorf("%d invocations failed", n)
			}
			if n := sm.count(); n != 1 {
				t.Errorf("21 invocations read the secret %d times, want 1", n)
			}
			if sm.ids[0] != testKeySecret {
				t.Errorf("read secret %q, want %q", sm.ids[0], testKeySecret)
			}
			assertNoKey(t, log.String())
			assertNoSecrets(t, log.String(), out.secrets())
		})
	}
}

// Invocations that arrive while the first reads the secret wait for that
// read, up to their own deadline, instead of reading it again.
func TestDecoyKeySecretConcurrentFirstInvocationsReadOnce(t *testing.T) {
	sm := &fakeSecrets{value: secretKey, gate: make(chan struct{})}
	h, _ := secretCreate(t, sm, &syncio.Buffer{})
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := triggertest.Invoke(h, realUserEvent(t))
			errs <- err
		})
	}
	// Give them time to queue behind the first read, then let it answer.
	time.Sleep(50 * time.Millisecond)
	close(sm.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("invocation: %v", err)
		}
	}
	if n := sm.count(); n != 1 {
		t.Errorf("10 concurrent first invocations read the secret %d times, want 1", n)
	}

	// An invocation whose deadline passes while another reads gives up
	// at its deadline.
	slow := &fakeSecrets{value: secretKey, gate: make(chan struct{})}
	h, _ = secretCreate(t, slow, &syncio.Buffer{})
	go func() { _, _ = triggertest.Invoke(h, realUserEvent(t)) }()
	for slow.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := triggertest.Context(50 * time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := h.Invoke(ctx, realUserEvent(t))
	if err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("a waiting invocation returned %v after %v, want an error at its 50ms deadline", err, time.Since(start))
	}
	close(slow.gate)
}

// When the key cannot be read, create fails closed: an internal error for
// every user, real or unknown, nothing sent, no decoy shown, and the next
// invocation reads the secret again. The log names the secret and the
// SDK's error, never the value.
func TestDecoyKeySecretFailsClosed(t *testing.T) {
	notFound := &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret.")}
	tests := []struct {
		name    string
		sm      *fakeSecrets
		wantLog []string // in the log of the failed invocation
	}{
		{"secret missing", &fakeSecrets{value: secretKey, fail: []error{notFound, notFound}},
			[]string{testKeySecret, "ResourceNotFoundException", "secretsmanager:GetSecretValue"}},
		{"access denied", &fakeSecrets{value: secretKey, fail: []error{errors.New("AccessDeniedException: not authorized"), errors.New("AccessDeniedException: not authorized")}},
			[]string{testKeySecret, "AccessDeniedException", "kms:Decrypt"}},
		{"binary secret", &fakeSecrets{}, []string{testKeySecret, "no SecretString"}},
		{"value is no key", &fakeSecrets{value: "hunter2-hunter2-hunter2-hunter2!"}, []string{testKeySecret, "not hex or base64"}},
		{"key too short", &fakeSecrets{value: secretKey[:30]}, []string{testKeySecret, "15 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &syncio.Buffer{}
			h, out := secretCreate(t, tt.sm, log)
			for i, p := range [][]byte{realUserEvent(t), unknownUserEvent(t, "nobody")} {
				_, err := triggertest.Invoke(h, p)
				if err == nil {
					t.Fatalf("invocation %d succeeded without the decoy key", i+1)
				}
				if _, denied := errors.AsType[*trigger.Denial](err); denied || !strings.Contains(err.Error(), "internal error") {
					t.Errorf("invocation %d: error %q, want an internal error", i+1, err)
				}
			}
			if e, x := out.count(); e+x != 0 {
				t.Errorf("sent %d emails and %d SMS without the decoy key", e, x)
			}
			if n := tt.sm.count(); n != 2 {
				t.Errorf("two failed invocations read the secret %d times, want 2: a failure is not kept", n)
			}
			got := log.String()
			for _, w := range tt.wantLog {
				if !strings.Contains(got, w) {
					t.Errorf("the log does not say %q:\n%s", w, got)
				}
			}
			for _, v := range []string{secretKey[:30], "hunter2"} {
				if strings.Contains(got, v) {
					t.Error("the log shows the secret's value")
				}
			}
		})
	}

	t.Run("the next invocation reads again and succeeds", func(t *testing.T) {
		sm := &fakeSecrets{value: secretKey, fail: []error{notFound}}
		h, _ := secretCreate(t, sm, &syncio.Buffer{})
		if _, err := triggertest.Invoke(h, realUserEvent(t)); err == nil {
			t.Fatal("the first invocation succeeded without the key")
		}
		for range 3 {
			if _, err := triggertest.Invoke(h, realUserEvent(t)); err != nil {
				t.Fatalf("after the secret became readable: %v", err)
			}
		}
		if n := sm.count(); n != 2 {
			t.Errorf("read the secret %d times, want 2: once failed, once for good", n)
		}
	})
}

// New refuses a secret without a client to read it, naming the option.
func TestNewNeedsASecretsManagerClientForTheKeySecret(t *testing.T) {
	cfg := baseConfig(triggertest.NewClock(time.Unix(1_800_000_000, 0)))
	cfg.Flow.DecoyKey, cfg.DecoyKeySecretARN = nil, testKeySecret
	out := &outbox{}
	_, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out))
	if err == nil || !strings.Contains(err.Error(), "WithSecretsManager") || !strings.Contains(err.Error(), "DECOY_KEY_SECRET_ARN") {
		t.Errorf("New = %v, want an error naming DECOY_KEY_SECRET_ARN and WithSecretsManager", err)
	}
	cfg.Flow.DecoyKey = []byte(testDecoyKey)
	_, err = passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out), passwordless.WithSecretsManager(&fakeSecrets{value: secretKey}))
	if err == nil || !strings.Contains(err.Error(), "both set") {
		t.Errorf("New with a key and its secret = %v, want an error saying both are set", err)
	}
	// Define and verify need no key.
	if _, err := passwordless.New(cfg); err != nil {
		t.Errorf("New without senders: %v", err)
	}
}

// assertNoKey fails when out shows the secret's key.
func assertNoKey(t *testing.T, out string) {
	t.Helper()
	if strings.Contains(out, secretKey) {
		t.Error("the output shows the decoy key")
	}
}
