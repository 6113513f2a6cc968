package trigger_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func TestOptionsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"defaults", nil, ""},
		{"debug", map[string]string{"LOG_LEVEL": "debug"}, ""},
		{"lambda's variable", map[string]string{"AWS_LAMBDA_LOG_LEVEL": "WARN"}, ""},
		{"bad level", map[string]string{"LOG_LEVEL": "loud"}, `LOG_LEVEL="loud" is not a log level`},
		{"personal data", map[string]string{"LOG_PERSONAL_DATA": "true"}, ""},
		{"bad boolean", map[string]string{"LOG_PERSONAL_DATA": "yes please"}, `LOG_PERSONAL_DATA="yes please" is not a boolean`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := trigger.OptionsFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr == "" && err != nil {
				t.Fatalf("OptionsFromEnv: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("OptionsFromEnv error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
