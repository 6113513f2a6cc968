package message_test

import (
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/metrics/metricstest"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// TestMetrics checks what the custom message trigger counts: a message
// written, and each fallback by reason; and that no user data reaches the
// metrics.
func TestMetrics(t *testing.T) {
	long := strings.Repeat("Maximiliana", 182)[:2000]
	greedy := greedySignUp(t)
	linkConfig := testConfig
	linkConfig.Verification = message.VerifyByLink
	cognitoConfig := testConfig
	cognitoConfig.EmailSendingAccount = message.CognitoDefault
	fallback := func(reason string) string { return metrics.MessageFallbacks + "/" + reason }
	tests := []struct {
		name    string
		fixture string
		edits   []edit
		fsys    fs.FS
		cfg     message.Config
		want    []string // metric or metric/reason, sorted
	}{
		{"written", "CustomMessage_SignUp.json", nil, nil, testConfig, []string{metrics.MessagesRendered}},
		{"in the user's language", "CustomMessage_SignUp.locale-es.json", nil, nil, testConfig, []string{metrics.MessagesRendered}},
		{"a regional English", "CustomMessage_SignUp.json", []edit{attr("locale", "en_GB.UTF-8")}, nil, testConfig, []string{metrics.MessagesRendered}},
		{"a language without templates", "CustomMessage_SignUp.json", []edit{attr("locale", "fr-CA")}, nil, testConfig,
			[]string{fallback(metrics.ReasonLanguage), metrics.MessagesRendered}},
		{"link verification without a link", "CustomMessage_SignUp.json", []edit{param("linkParameter", nil)}, nil, linkConfig,
			[]string{fallback(metrics.ReasonNoLink), metrics.MessagesRendered}},
		{"SMS only with Cognito's email", "CustomMessage_SignUp.json", nil, nil, cognitoConfig, []string{metrics.MessagesRendered}},
		{"nothing fits", "CustomMessage_SignUp.json", []edit{attr("given_name", long)}, greedy, testConfig, []string{fallback(metrics.ReasonTooLong)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			load := message.LoadDefaults
			if tt.fsys != nil {
				load = func() (*message.Set, error) { return message.Load(tt.fsys) }
			}
			set, err := load()
			if err != nil {
				t.Fatal(err)
			}
			cm, err := message.NewCustomMessage(set, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			h := trigger.CustomMessage(cm.Handle, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)), trigger.WithMetricsWriter(&out))
			invoke(t, h, event(t, tt.fixture, tt.edits...))
			if g := metricstest.HandlerCounted(metricstest.Check(t, out.Bytes())); !slices.Equal(g, tt.want) {
				t.Errorf("got metrics %v, want %v:\n%s", g, tt.want, out.String())
			}
			for _, personal := range []string{"@", "+1", "Maximiliana", "fr-CA"} {
				if strings.Contains(out.String(), personal) {
					t.Errorf("the metrics hold %q:\n%s", personal, out.String())
				}
			}
		})
	}
}
