package passwordlesscore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/otp"
)

const testToken = "AbCdEfGhIjKlMnOpQrStUvWxYz0123-_" // 32 URL-safe base64 characters

func TestRoundEncodeParse(t *testing.T) {
	tests := []struct {
		r    round
		text string
	}{
		{round{kind: kindNew, channel: ChannelEmail, issuedAt: 1700000000, code: "123456"},
			"otp1.new.0.email.live.1700000000.123456."},
		{round{kind: kindRetry, resends: 2, channel: ChannelSMS, issuedAt: 1, code: "0000000000"},
			"otp1.retry.2.sms.live.1.0000000000."},
		{round{kind: kindResend, resends: 99, channel: ChannelEmail, decoy: true, issuedAt: 9999999999, code: "987654", token: testToken},
			"otp1.resend.99.email.decoy.9999999999.987654." + testToken},
	}
	for _, tt := range tests {
		if got := tt.r.encode(); got != tt.text {
			t.Errorf("encode: got %q, want %q", got, tt.text)
		}
		got, err := parseRound(tt.text)
		if err != nil {
			t.Errorf("parseRound(%q): %v", tt.text, err)
			continue
		}
		if got != tt.r {
			t.Errorf("parseRound(%q): got %+v, want %+v", tt.text, got.LogValue(), tt.r.LogValue())
		}
	}
	longest := round{kind: kindResend, resends: 99, channel: ChannelEmail, decoy: true, issuedAt: 9999999999, code: "1234567890", token: testToken}
	if n := len(longest.encode()); n != maxRoundLen {
		t.Errorf("the longest round state has %d bytes, maxRoundLen says %d", n, maxRoundLen)
	}
}

func TestParseRoundRefuses(t *testing.T) {
	const ok = "otp1.retry.1.email.live.1700000000.123456."
	if _, err := parseRound(ok); err != nil {
		t.Fatalf("the base case does not parse: %v", err)
	}
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "empty"},
		{"the fixtures' placeholder", "CODE-1", "1 fields, want 8"},
		{"too few fields", "otp1.retry.1.email.live.1700000000.123456", "7 fields, want 8"},
		{"too many fields", ok + ".", "more than 8 fields"},
		{"another version", "otp2.retry.1.email.live.1700000000.123456.", "unknown format or version"},
		{"upper-case version", "OTP1.retry.1.email.live.1700000000.123456.", "unknown format or version"},
		{"unknown kind", "otp1.again.1.email.live.1700000000.123456.", "kind is not new, retry or resend"},
		{"resend count with sign", "otp1.retry.+1.email.live.1700000000.123456.", "resend count"},
		{"resend count with leading zero", "otp1.retry.01.email.live.1700000000.123456.", "resend count"},
		{"resend count too large", "otp1.retry.100.email.live.1700000000.123456.", "resend count"},
		{"empty resend count", "otp1.retry..email.live.1700000000.123456.", "resend count"},
		{"new round with resends", "otp1.new.1.email.live.1700000000.123456.", "a new round with resends"},
		{"resend round without resends", "otp1.resend.0.email.live.1700000000.123456.", "a resend round without resends"},
		{"unknown channel", "otp1.retry.1.auto.live.1700000000.123456.", "channel is not email or sms"},
		{"upper-case channel", "otp1.retry.1.EMAIL.live.1700000000.123456.", "channel is not email or sms"},
		{"unknown mode", "otp1.retry.1.email.real.1700000000.123456.", "mode is not live or decoy"},
		{"zero time", "otp1.retry.1.email.live.0.123456.", "time of issue"},
		{"negative time", "otp1.retry.1.email.live.-1.123456.", "time of issue"},
		{"time with leading zero", "otp1.retry.1.email.live.01700000000.123456.", "time of issue"},
		{"time of 11 digits", "otp1.retry.1.email.live.17000000000.123456.", "time of issue"},
		{"short code", "otp1.retry.1.email.live.1700000000.12345.", "code is not 6 to 10 digits"},
		{"long code", "otp1.retry.1.email.live.1700000000.12345678901.", "code is not 6 to 10 digits"},
		{"code with a letter", "otp1.retry.1.email.live.1700000000.12345a.", "code is not 6 to 10 digits"},
		{"empty code", "otp1.retry.1.email.live.1700000000..", "code is not"},
		{"short token", "otp1.retry.1.email.live.1700000000.123456." + testToken[1:], "token is not 32 characters"},
		{"token with padding", "otp1.retry.1.email.live.1700000000.123456." + testToken[1:] + "=", "token is not"},
		{"token in standard base64", "otp1.retry.1.email.live.1700000000.123456." + testToken[2:] + "+/", "token is not"},
		{"too long", ok + strings.Repeat("A", 100), "longer than any valid state"},
		{"spaces", " " + ok, "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRound(tt.text)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "round state: ") {
				t.Errorf("got error %q, want one starting with \"round state: \" that contains %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "123456") || strings.Contains(err.Error(), "1700000000") {
				t.Errorf("error %q repeats a value of the state", err)
			}
		})
	}
}

func TestRoundNeverPrintsItsSecrets(t *testing.T) {
	r := round{kind: kindNew, channel: ChannelEmail, issuedAt: t0.Unix(), code: "918273", token: testToken}
	for _, s := range []string{fmt.Sprint(r), fmt.Sprintf("%v %+v %#v %s", r, r, r, r), r.LogValue().String()} {
		if strings.Contains(s, "918273") || strings.Contains(s, testToken) {
			t.Errorf("round prints its secrets: %s", s)
		}
	}
}

// FuzzParseRound checks that the parser never panics, accepts only what
// encode writes (so every accepted text reads back to itself), and keeps
// every field in range.
func FuzzParseRound(f *testing.F) {
	for _, s := range []string{
		"", "CODE-1", "otp1", "otp1.......",
		"otp1.new.0.email.live.1700000000.123456.",
		"otp1.retry.3.sms.decoy.1.0123456789." + testToken,
		"otp1.resend.99.email.live.9999999999.1234567890." + testToken,
		"otp1.resend.1.email.live.1700000000.123456.\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRound(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "round state: ") {
				t.Fatalf("error %q lacks the prefix", err)
			}
			return
		}
		if got := r.encode(); got != s {
			t.Fatalf("parseRound(%q) reads back as %q", s, got)
		}
		if len(s) > maxRoundLen {
			t.Fatalf("accepted %d bytes, more than maxRoundLen", len(s))
		}
		if !otp.ValidCode(r.code) || (r.token != "" && !otp.ValidToken(r.token)) || r.issuedAt <= 0 ||
			r.resends < 0 || r.resends > maxResendsField || (r.channel != ChannelEmail && r.channel != ChannelSMS) ||
			(r.kind == kindNew && r.resends != 0) || (r.kind == kindResend && r.resends == 0) || r.kind.String() == "invalid" {
			t.Fatalf("accepted a round out of range: %+v", r.LogValue())
		}
	})
}
