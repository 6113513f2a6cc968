package notify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/notify"
)

func TestMessagesPrintMasked(t *testing.T) {
	const code = "000000"
	email := notify.Email{To: "jane@example.org", Subject: "Your code", HTML: "<p>" + code + "</p>", Text: code}
	sms := notify.SMS{To: "+15555550123", Text: "Your code is " + code}
	for _, v := range []any{email, sms} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			if got := fmt.Sprintf(format, v); strings.Contains(got, code) || strings.Contains(got, "@example.org") || strings.Contains(got, "0123") {
				t.Errorf("%s of a %T shows its body or destination: %d bytes", format, v, len(got))
			}
		}
	}
}
