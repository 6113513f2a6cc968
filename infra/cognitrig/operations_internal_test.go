package cognitrig

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// TestDefaultServiceName checks that the service name derived from a
// construct's path is one the functions take (metrics.CheckService), and
// that paths cut to fit stay apart.
func TestDefaultServiceName(t *testing.T) {
	long := strings.Repeat("Stage/", 12) + "Auth/Triggers"
	for _, tc := range []struct{ path, want string }{
		{"CognitrigDemo/Triggers", "CognitrigDemo-Triggers"},
		{"Prod Stage/Auth@eu/Triggers", "Prod-Stage-Auth-eu-Triggers"},
		{long, ""},
	} {
		got := defaultServiceName(tc.path)
		if tc.want != "" && got != tc.want {
			t.Errorf("defaultServiceName(%q) = %q, want %q", tc.path, got, tc.want)
		}
		if err := metrics.CheckService(got); err != nil {
			t.Errorf("defaultServiceName(%q) = %q: %v", tc.path, got, err)
		}
	}
	if a, b := defaultServiceName(long), defaultServiceName(long+"2"); a == b {
		t.Errorf("two long paths give the same service name %q", a)
	}
}
