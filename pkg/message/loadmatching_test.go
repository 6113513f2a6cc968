package message_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// LoadMatching reads without parsing only the templates whose digest it
// is given, and never makes a set that NewCustomMessage trusts.
func TestLoadMatching(t *testing.T) {
	edited := overlay(t, map[string]string{"es/SignIn.sms.txt": "{{.Code}}"})
	unparsable := overlay(t, map[string]string{"en/SignUp.subject.txt": "{{.AppName"})
	unparsableDigest, err := message.Digest(unparsable)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		load        func() (*message.Set, bool, error)
		wantMatched bool
		wantErr     string // in the error of LoadMatching, or "" for none
		renderErr   string // in the error of rendering en/SignUp.subject.txt
	}{
		{
			name: "the templates of the digest",
			load: func() (*message.Set, bool, error) {
				return message.LoadMatching(message.Defaults(), message.VerifiedDigest)
			},
			wantMatched: true,
		},
		{
			name: "templates edited since the digest was recorded",
			load: func() (*message.Set, bool, error) { return message.LoadMatching(edited, message.VerifiedDigest) },
		},
		{
			name: "no digest",
			load: func() (*message.Set, bool, error) { return message.LoadMatching(message.Defaults(), "") },
		},
		{
			name:    "a template that does not parse, not matched, is refused at load",
			load:    func() (*message.Set, bool, error) { return message.LoadMatching(unparsable, message.VerifiedDigest) },
			wantErr: "en/SignUp.subject.txt",
		},
		{
			// The tests that record a digest Load the templates first.
			name:        "a template that does not parse, matched, fails when first rendered",
			load:        func() (*message.Set, bool, error) { return message.LoadMatching(unparsable, unparsableDigest) },
			wantMatched: true,
			renderErr:   "en/SignUp.subject.txt",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, matched, err := tt.load()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || set != nil || matched {
					t.Fatalf("LoadMatching = %v, %t, %v; want no set and an error naming %s", set, matched, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadMatching: %v", err)
			}
			if matched != tt.wantMatched {
				t.Errorf("matched = %t, want %t", matched, tt.wantMatched)
			}
			if message.IsVerified(set) {
				t.Error("the set is trusted for the custom message trigger, whose check the caller's tests did not do")
			}
			d := message.Data{Code: "{####}", AppName: "Example"}
			got, err := set.Render("es", "SignUp", message.SMS, d, message.CodeField)
			if err != nil || !strings.Contains(got, "{####}") {
				t.Errorf("Render = %q, %v; want the SMS with the code", got, err)
			}
			_, err = set.Render("en", "SignUp", message.Subject, d)
			if tt.renderErr == "" && err != nil || tt.renderErr != "" && (err == nil || !strings.Contains(err.Error(), tt.renderErr)) {
				t.Errorf("Render of the subject: error %v, want one naming %q", err, tt.renderErr)
			}
		})
	}
}
