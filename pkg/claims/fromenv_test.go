package claims_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The handler options FromEnv is given apply to the handlers of both
// event versions, after the environment's, so that the caller's logger
// wins over LOG_LEVEL; a wrong variable is refused whatever the options.
func TestFromEnvHonoursItsOptions(t *testing.T) {
	tests := []struct {
		name    string
		fixture string // under events/; "" when the build must fail
		env     map[string]string
		wantErr string
	}{
		{name: "version 1", fixture: "pretokengen-v1/TokenGeneration_Authentication.json", env: fixtureEnv},
		{name: "version 2", fixture: "pretokengen-v2/TokenGeneration_Authentication.json", env: fixtureEnv},
		{name: "a wrong variable is refused", env: map[string]string{claims.EnvSuppressClaims: "cognito:username"}, wantErr: claims.EnvSuppressClaims},
		{name: "a wrong LOG_LEVEL is refused", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			var seen []trigger.Kind
			mw := func(next trigger.Next) trigger.Next {
				return func(ctx context.Context, ev trigger.Event) error {
					seen = append(seen, ev.EventHeader().TriggerSource.Kind())
					return next(ctx, ev)
				}
			}
			r, err := claims.FromEnv(getenv(tt.env), fromenv.WithTriggerOptions(
				trigger.WithLogger(trigger.NewLogger(&log, slog.LevelInfo)), trigger.WithMiddleware(mw)))
			if !buildtest.Built(t, err, tt.wantErr) {
				return
			}
			if _, err := triggertest.Invoke(r, triggertest.Load(t, eventsDir+"/"+tt.fixture)); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if len(seen) != 1 {
				t.Errorf("middleware saw %v, want one event", seen)
			}
			if !strings.Contains(log.String(), `"msg":"invocation"`) {
				t.Errorf("log = %q, want the invocation line at level info despite LOG_LEVEL=error", log.String())
			}
		})
	}
}
