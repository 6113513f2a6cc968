package groups_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// FromEnv uses the client and the handler options it is given, these
// after the environment's so that the caller's logger wins; with a client
// it loads no AWS configuration (AWS_MAX_ATTEMPTS=many would stop it); and
// it refuses a missing DEFAULT_GROUP whatever it is given.
func TestFromEnvHonoursItsOptions(t *testing.T) {
	base := map[string]string{"DEFAULT_GROUP": "customers", "LOG_LEVEL": "error", "AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "many"}
	var log bytes.Buffer
	var wrapped int
	mw := func(next trigger.Next) trigger.Next {
		return func(ctx context.Context, ev trigger.Event) error { wrapped++; return next(ctx, ev) }
	}
	tests := []struct {
		name      string
		env       map[string]string
		client    bool // give the fake with WithCognito
		opts      []fromenv.Option
		wantErr   string
		wantCheck func(t *testing.T)
	}{
		{name: "fake client, no AWS configuration loaded", env: base, client: true},
		{name: "without a client the AWS configuration is loaded", env: base, wantErr: "AWS_MAX_ATTEMPTS"},
		{name: "the caller's logger wins over LOG_LEVEL", env: base, client: true,
			opts: []fromenv.Option{fromenv.WithTriggerOptions(trigger.WithLogger(trigger.NewLogger(&log, slog.LevelInfo)))},
			wantCheck: func(t *testing.T) {
				if !strings.Contains(log.String(), `"msg":"user added to the default group"`) {
					t.Errorf("log = %q, want the handler's line", log.String())
				}
			}},
		{name: "middleware runs", env: base, client: true,
			opts: []fromenv.Option{fromenv.WithTriggerOptions(trigger.WithMiddleware(mw))},
			wantCheck: func(t *testing.T) {
				if wrapped != 1 {
					t.Errorf("middleware ran %d times, want 1", wrapped)
				}
			}},
		{name: "no DEFAULT_GROUP is refused with a client", env: map[string]string{}, client: true, wantErr: "DEFAULT_GROUP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &benchCognito{}
			opts := tt.opts
			if tt.client {
				opts = append(opts, groups.WithCognito(api))
			}
			h, err := groups.FromEnv(func(k string) string { return tt.env[k] }, opts...)
			if !buildtest.Built(t, err, tt.wantErr) {
				return
			}
			if _, err := triggertest.Invoke(h, triggertest.Load(t, eventsDir+"PostConfirmation_ConfirmSignUp.json")); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if api.calls != 1 || *api.last.GroupName != "customers" {
				t.Errorf("the fake got %d calls (last %+v), want one adding to customers", api.calls, api.last)
			}
			if tt.wantCheck != nil {
				tt.wantCheck(t)
			}
		})
	}
}
