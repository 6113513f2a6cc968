package passwordless_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/internal/rie"
	"github.com/cognitrig/cognitrig/internal/rie/rietest"
	"github.com/cognitrig/cognitrig/internal/syncio"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// emulated is a function running under the Runtime Interface Emulator, as
// a lambda.Handler: a function error becomes an error with the function's
// errorMessage, which is what Cognito shows.
type emulated struct{ in *rie.Instance }

func (e emulated) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	res, err := e.in.Invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	if res.FunctionError {
		var fe struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(res.Payload, &fe) != nil || fe.ErrorMessage == "" {
			return nil, errors.New("the function failed without an error message")
		}
		return nil, errors.New(fe.ErrorMessage)
	}
	return res.Payload, nil
}

// The three deployable functions, built as Lambda runs them and served by
// the Runtime Interface Emulator, sign a user in through the Cognito
// simulator, sending the code through SES on moto_server.
func TestBootstrapsUnderTheEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three functions")
	}
	dir := t.TempDir()
	emulator, err := rietest.Emulator(dir)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := mototest.Start(t)
	prepareMoto(t, endpoint)
	env := []string{
		"APP_NAME=Example", "EMAIL_FROM=" + sender, "SEND_THROTTLE_TABLE=" + throttleTable, "DECOY_KEY=" + testDecoyKey, "LOG_LEVEL=debug",
		"AWS_ENDPOINT_URL=" + endpoint, "AWS_REGION=" + mototest.Region, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
	logs := &syncio.Buffer{}
	handlers := map[string]emulated{}
	for _, name := range []string{"defineauth", "createauth", "verifyauth"} {
		bootstrap := filepath.Join(dir, name, "bootstrap")
		if err := rietest.Build(bootstrap, "../../triggers/"+name); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		in, err := rie.Function{Name: name, Bootstrap: bootstrap, Emulator: emulator, Env: env, Timeout: 5 * time.Second, Logs: logs}.Start(ctx)
		cancel()
		if err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		t.Cleanup(func() { in.Close() })
		handlers[name] = emulated{in}
	}
	sim := triggertest.NewCustomAuth(handlers["defineauth"], handlers["createauth"], handlers["verifyauth"],
		triggertest.WithUser("user-rie", map[string]string{"email": "rie@example.org", "locale": "en"}))

	ctx := t.Context()
	res, err := sim.Start(ctx)
	expect(t, "start", res, err, triggertest.OutcomeChallenge, "")
	code := sentCode(t, endpoint, "rie@example.org")
	defer func() { assertNoSecrets(t, logs.String(), []string{code}) }()
	res, err = sim.Respond(ctx, wrong(code), nil)
	expect(t, "wrong code", res, err, triggertest.OutcomeChallenge, "")
	res, err = sim.Respond(ctx, code, nil)
	expect(t, "right code", res, err, triggertest.OutcomeTokens, "")
	res, err = sim.Start(ctx)
	expect(t, "a second sign-in within 30s", res, err, triggertest.OutcomeFailed, triggertest.UserLambdaValidationException)
}
