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
		{"metrics", map[string]string{"POWERTOOLS_METRICS_NAMESPACE": "MyApp/Auth", "POWERTOOLS_SERVICE_NAME": "pool-a"}, ""},
		{"metrics off", map[string]string{"POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_SERVICE_NAME": "not checked when off"}, ""},
		{"bad metrics switch", map[string]string{"POWERTOOLS_METRICS_DISABLED": "nope"}, `POWERTOOLS_METRICS_DISABLED="nope" is not a boolean`},
		{"reserved namespace", map[string]string{"POWERTOOLS_METRICS_NAMESPACE": "AWS/Cognito"}, `POWERTOOLS_METRICS_NAMESPACE: namespace "AWS/Cognito" starts with AWS/`},
		{"bad service", map[string]string{"POWERTOOLS_SERVICE_NAME": "my pool"}, `POWERTOOLS_SERVICE_NAME: service name "my pool" is not 1 to 128 letters`},
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
