package trigger

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
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
		{"challengeMetadata", "otp1.new.0.email.live.1700000000.918273.", Redacted, Redacted},
		{"challenge_metadata", "CODE-1", Redacted, Redacted},
		{"email", "jane.doe@example.com", "j***@e***.com", "jane.doe@example.com"},
		{"user", "jane.doe@example.com", "j***@e***.com", "jane.doe@example.com"},
		{"phone_number", "+15555550123", "+*********23", "+15555550123"},
		{"email", "not an address", "***", "not an address"},
		{"sub", "0f1e2d3c-0000-4000-8000-00000000000a", "0f1e2d3c-0000-4000-8000-00000000000a", "0f1e2d3c-0000-4000-8000-00000000000a"},
		{"note", "a@b@example.com", "a***@e***.com", "a@b@example.com"},
		{"trigger_source", "PreSignUp_SignUp", "PreSignUp_SignUp", "PreSignUp_SignUp"},
		{"destination", "j***@e***.com", "j***@e***.com", "j***@e***.com"},
		{"destination", "j***@e***.co.uk", "j***@e***.uk", "j***@e***.co.uk"},
		{"email", "ja***@e***.com", "j***@e***.com", "ja***@e***.com"},
		{"email", "j***@example.com", "j***@e***.com", "j***@example.com"},
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

// TestRedactorTreeKeepsTheChallengeHistory checks that a session shows its
// challenge names and results, but never its challenge metadata, which may
// hold a code.
func TestRedactorTreeKeepsTheChallengeHistory(t *testing.T) {
	var ev DefineAuthChallengeEvent
	ev.Request.Session = []ChallengeResult{{ChallengeName: ChallengeCustom, ChallengeMetadata: "otp1.new.0.email.live.1700000000.918273."}}
	ev.Request.UserAttributes = map[string]string{"email": "jane.doe@example.com"}
	b, _ := json.Marshal(redactor{}.redactJSON(&ev))
	want := `"session":[{"challengeMetadata":"[REDACTED]","challengeName":"CUSTOM_CHALLENGE","challengeResult":false}]`
	if !json.Valid(b) || !strings.Contains(string(b), want) || strings.Contains(string(b), "918273") || strings.Contains(string(b), "jane.doe") {
		t.Errorf("redacted event = %s, want the session kept with its metadata redacted (%s) and the email masked", b, want)
	}
}

func TestRedactorHidesChallengeMetadataSetByCreate(t *testing.T) {
	var ev CreateAuthChallengeEvent
	ev.Response.ChallengeMetadata = "otp1.new.0.email.live.1700000000.918273."
	b, _ := json.Marshal(redactor{}.redactJSON(&ev))
	if strings.Contains(string(b), "918273") || !strings.Contains(string(b), `"challengeMetadata":"[REDACTED]"`) {
		t.Errorf("redacted event = %s, want challengeMetadata redacted", b)
	}
}

// TestRedactorKeepsBooleans checks that a flag under a key that looks
// secret, such as issueTokens, stays readable: a boolean holds no secret.
func TestRedactorKeepsBooleans(t *testing.T) {
	var ev DefineAuthChallengeEvent
	ev.Response.Issue()
	b, _ := json.Marshal(redactor{}.redactJSON(&ev))
	if !strings.Contains(string(b), `"issueTokens":true`) {
		t.Errorf("redacted event = %s, want issueTokens shown", b)
	}
	a, _ := redactor{}.attr(slog.Bool("issue_tokens", true))
	if a.Value.Kind() != slog.KindBool || !a.Value.Bool() {
		t.Errorf("redacted attribute = %v, want the boolean kept", a)
	}
	a, _ = redactor{}.attr(slog.Int("pin", 1234))
	if a.Value.String() != Redacted {
		t.Errorf("redacted attribute = %v, want a number under a secret key redacted", a)
	}
}

func TestMaskedEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"j***@e***.com", true},
		{"é***@日***.org", true},
		{"j***@e***", true},
		{"j***@e***.co.uk", false},
		{"***@e***.com", false},
		{"j***@***.com", false},
		{"jane@e***.com", false},
		{"\xff***@e***.com", false},
		{"\uFFFD***@e***.com", false}, // masks to itself, masked again all the same
		{"j***@.com", false},
		{"j***@e***.", true},
		{"j***", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := maskedEmail(tt.in); got != tt.want {
			t.Errorf("maskedEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzMaskedEmail checks that what maskedEmail lets through unmasked is
// exactly what MaskEmail would have written.
func FuzzMaskedEmail(f *testing.F) {
	for _, s := range []string{"j***@e***.com", "jane.doe@example.com", "a@b@c.d", "\xff***@e***.com", "é***@x***"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if maskedEmail(s) && MaskEmail(s) != s {
			t.Errorf("maskedEmail(%q) but MaskEmail gives %q", s, MaskEmail(s))
		}
		if masked := MaskEmail(s); LooksLikeEmail(s) && !maskedEmail(masked) && utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError) {
			if LooksLikeEmail(masked) {
				t.Errorf("MaskEmail(%q) = %q, which maskedEmail does not recognize", s, masked)
			}
		}
	})
}
