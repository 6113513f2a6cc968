package trigger

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactorStrings(t *testing.T) {
	tests := []struct {
		key, value string
		masked     string // with personal data masked
		shown      string // with personal data shown
	}{
		{"code", "123456", Redacted, Redacted},
		{"Code", "123456", Redacted, Redacted},
		{"temporaryPassword", "Xy!9aaaa", Redacted, Redacted},
		{"captchaToken", "abc", Redacted, Redacted},
		{"access_token", "eyJ", Redacted, Redacted},
		{"challengeAnswer", "654321", Redacted, Redacted},
		{"session", "AYABeOpaque", Redacted, Redacted},
		{"email", "jane.doe@example.com", "j***@e***.com", "jane.doe@example.com"},
		{"user", "jane.doe@example.com", "j***@e***.com", "jane.doe@example.com"},
		{"phone_number", "+15555550123", "+*********23", "+15555550123"},
		{"email", "not an address", "***", "not an address"},
		{"sub", "0f1e2d3c-0000-4000-8000-00000000000a", "0f1e2d3c-0000-4000-8000-00000000000a", "0f1e2d3c-0000-4000-8000-00000000000a"},
		{"trigger_source", "PreSignUp_SignUp", "PreSignUp_SignUp", "PreSignUp_SignUp"},
	}
	for _, tt := range tests {
		if got, _ := (redactor{}).str(tt.key, tt.value); got != tt.masked {
			t.Errorf("masked %s=%q: got %q, want %q", tt.key, tt.value, got, tt.masked)
		}
		if got, _ := (redactor{showPersonal: true}).str(tt.key, tt.value); got != tt.shown {
			t.Errorf("shown %s=%q: got %q, want %q", tt.key, tt.value, got, tt.shown)
		}
	}
}

func TestRedactorTreeKeepsTheChallengeHistory(t *testing.T) {
	var ev DefineAuthChallengeEvent
	ev.Request.Session = []ChallengeResult{{ChallengeName: "CUSTOM_CHALLENGE", ChallengeMetadata: "CODE-1"}}
	ev.Request.UserAttributes = map[string]string{"email": "jane.doe@example.com"}
	b, _ := json.Marshal(redactor{}.redactJSON(&ev))
	want := `"session":[{"challengeMetadata":"CODE-1","challengeName":"CUSTOM_CHALLENGE","challengeResult":false}]`
	if !json.Valid(b) || !strings.Contains(string(b), want) || strings.Contains(string(b), "jane.doe") {
		t.Errorf("redacted event = %s, want the session kept (%s) and the email masked", b, want)
	}
}
