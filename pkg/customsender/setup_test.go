package customsender_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// eventsDir is the repository's fixture folder.
const eventsDir = "../../events"

// fixtures returns the fixture files of a custom sender trigger folder
// (customemailsender or customsmssender), one for every trigger source,
// both spellings included.
func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(eventsDir, dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s/%s (err %v)", eventsDir, dir, err)
	}
	return paths
}

// event returns the fixture at path with its code replaced by code (unless
// the fixture has none) and its user's locale set to locale.
func event(t *testing.T, path, code, locale string) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(triggertest.Load(t, path), &ev); err != nil {
		t.Fatal(err)
	}
	req := ev["request"].(map[string]any)
	if req["code"] != nil {
		req["code"] = code
	}
	req["userAttributes"].(map[string]any)["locale"] = locale
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testPool is the user pool of most fixtures, which the tests' codes are
// encrypted for.
const testPool = "us-east-1_EXAMPLE01"

// poolOf returns the userPoolId of the fixture at path.
func poolOf(t *testing.T, path string) string {
	t.Helper()
	var ev struct {
		UserPoolID string `json:"userPoolId"`
	}
	if err := json.Unmarshal(triggertest.Load(t, path), &ev); err != nil || ev.UserPoolID == "" {
		t.Fatalf("%s: no userPoolId (%v)", path, err)
	}
	return ev.UserPoolID
}

// source returns the trigger source of a fixture file name.
func source(path string) trigger.Source {
	name, _, _ := strings.Cut(filepath.Base(path), ".")
	return trigger.Source(name)
}

// logTo returns a debug-level logger option writing to a new buffer.
func logTo() (*bytes.Buffer, trigger.Option) {
	var b bytes.Buffer
	return &b, trigger.WithLogger(trigger.NewLogger(&b, slog.LevelDebug))
}

// assertNoSecret fails when the log shows one of the secrets.
func assertNoSecret(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(log, s) {
			t.Errorf("the log shows a secret (%d characters)", len(s))
		}
	}
}

// fakeDecrypter "decrypts" the codes it knows.
type fakeDecrypter map[string]string

func (f fakeDecrypter) Decrypt(ctx context.Context, code, _ string) (string, error) {
	if p, ok := f[code]; ok {
		return p, nil
	}
	return "", errors.New("fake decrypter: unknown ciphertext")
}

// outbox records what the fake senders were asked to send (a
// notify.Email or a notify.SMS each), and fails with err when it is set.
type outbox struct {
	mu   sync.Mutex
	sent []any
	err  error
}

func (o *outbox) SendEmail(_ context.Context, m notify.Email) error { return o.keep(m) }

func (o *outbox) SendSMS(_ context.Context, m notify.SMS) error { return o.keep(m) }

func (o *outbox) keep(m any) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.sent = append(o.sent, m)
	}
	return o.err
}

// last returns the destination and the text of every part of the newest
// message: an email's subject, HTML and text, or an SMS text.
func (o *outbox) last(t *testing.T) (to string, parts []string) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.sent) == 0 {
		t.Fatal("nothing was sent")
	}
	switch m := o.sent[len(o.sent)-1].(type) {
	case notify.Email:
		return m.To, []string{m.Subject, m.HTML, m.Text}
	case notify.SMS:
		return m.To, []string{m.Text}
	}
	panic("unreachable")
}

func (o *outbox) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.sent)
}

// wantError checks err against want, the parts its text must have: no
// error when want is empty. It reports whether the test may go on with a
// successful result.
func wantError(t *testing.T, err error, want ...string) bool {
	t.Helper()
	switch {
	case len(want) == 0 && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case len(want) > 0 && err == nil:
		t.Fatalf("no error, want one with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	return len(want) == 0
}

// testConfig is the configuration of the unit tests.
func testConfig() customsender.Config {
	return customsender.Config{
		KeyARN:   "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
		AppName:  "Example",
		AppURL:   "https://app.example.com",
		Settings: notify.Settings{EmailFrom: "no-reply@example.com", SMSCountries: notify.AllCountries()},
	}
}
