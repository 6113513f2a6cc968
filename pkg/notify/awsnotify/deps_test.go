package awsnotify_test

import (
	"slices"
	"testing"

	"github.com/cognitrig/cognitrig/internal/buildtest"
)

// TestEachSenderLinksOneService keeps the SES and the SNS sender apart:
// every imported package runs its initialization at each cold start,
// whether the function calls it or not, so the custom email sender must
// not link the SNS client, nor the custom SMS sender the SES one
// (TestLinkedServices in triggers/conformance checks the functions).
func TestEachSenderLinksOneService(t *testing.T) {
	const (
		sesv2 = "github.com/aws/aws-sdk-go-v2/service/sesv2"
		sns   = "github.com/aws/aws-sdk-go-v2/service/sns"
	)
	tests := []struct {
		pkg       string // under pkg/notify
		forbidden []string
	}{
		{"awsnotify", []string{sesv2, sns}},
		{"sesnotify", []string{sns}},
		{"snsnotify", []string{sesv2}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			deps := buildtest.Deps(t, "../"+tt.pkg)
			for _, bad := range tt.forbidden {
				if slices.Contains(deps, bad) {
					t.Errorf("pkg/notify/%s links %s; keep each service's sender in its own package (sesnotify, snsnotify), and what they share in awsnotify", tt.pkg, bad)
				}
			}
		})
	}
}
