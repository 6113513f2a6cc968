package notify_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func TestParseCallingCodes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // the codes; nil when the list must be refused
		wantErr string   // in the error
	}{
		{name: "one code", in: "44", want: []string{"44"}},
		{name: "several, sorted", in: "44,1,33", want: []string{"1", "33", "44"}},
		{name: "plus signs and spaces", in: " +1 ,\t+44", want: []string{"1", "44"}},
		{name: "a four-digit prefix", in: "1204", want: []string{"1204"}},
		{name: "duplicates kept once", in: "44,+44,44", want: []string{"44"}},
		{name: "a prefix and a longer one", in: "1,1204", want: []string{"1", "1204"}},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "only spaces", in: "  ", wantErr: "empty"},
		{name: "only a comma", in: ",", wantErr: `entry 1 ("") is empty`},
		{name: "empty entry", in: "1,,44", wantErr: `entry 2 ("") is empty`},
		{name: "trailing comma", in: "1,44,", wantErr: `entry 3 ("") is empty`},
		{name: "a plus alone", in: "+", wantErr: "is empty"},
		{name: "two plus signs", in: "++44", wantErr: "is not a calling code"},
		{name: "five digits", in: "12045", wantErr: "longer than 4 digits"},
		{name: "a phone number", in: "+15555550100", wantErr: "longer than 4 digits"},
		{name: "leading zero", in: "044", wantErr: "starts with 0"},
		{name: "zero", in: "0", wantErr: "starts with 0"},
		{name: "letters", in: "uk", wantErr: "is not a calling code"},
		{name: "a country name", in: "1,GB", wantErr: `entry 2 ("GB") is not a calling code`},
		{name: "a space inside", in: "4 4", wantErr: "is not a calling code"},
		{name: "a semicolon", in: "1;44", wantErr: "is not a calling code"},
		{name: "a minus", in: "-1", wantErr: "is not a calling code"},
		{name: "digits of another script", in: "٤٤", wantErr: "is not a calling code"},
		{name: "a plus after the digits", in: "44+", wantErr: "is not a calling code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := notify.ParseCallingCodes(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCallingCodes(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				if !got.IsZero() {
					t.Errorf("ParseCallingCodes(%q) refused the list but returned %v, want the zero value", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCallingCodes(%q): %v", tt.in, err)
			}
			if !slices.Equal(got.CallingCodes(), tt.want) {
				t.Errorf("ParseCallingCodes(%q) = %v, want %v", tt.in, got.CallingCodes(), tt.want)
			}
		})
	}
}

func TestSMSCountriesAllows(t *testing.T) {
	mustParse := func(s string) notify.SMSCountries {
		c, err := notify.ParseCallingCodes(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name      string
		countries notify.SMSCountries
		phone     string
		want      bool
	}{
		{"nothing allowed by default", notify.SMSCountries{}, "+15555550123", false},
		{"an international premium number is refused by default", notify.SMSCountries{}, "+88212345678", false},
		{"a listed country", mustParse("1,44"), "+447700900123", true},
		{"the first listed country", mustParse("1,44"), "+15555550123", true},
		{"an unlisted country", mustParse("1,44"), "+33612345678", false},
		{"an international premium number outside the list", mustParse("1,44,33"), "+88212345678", false},
		{"a four-digit prefix allows its area", mustParse("1204"), "+12045550123", true},
		{"a four-digit prefix refuses the rest of its country", mustParse("1204"), "+12135550123", false},
		{"a code that is the start of another is not it", mustParse("35"), "+3361234567", false},
		{"every country", notify.AllCountries(), "+88212345678", true},
		{"not E.164: no plus", mustParse("1"), "15555550123", false},
		{"not E.164: spaces", mustParse("1"), "+1 555 555 0123", false},
		{"not E.164: too long", notify.AllCountries(), "+1234567890123456", false},
		{"not E.164: leading zero", notify.AllCountries(), "+0123456789", false},
		{"not E.164: empty", notify.AllCountries(), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.countries.Allows(tt.phone); got != tt.want {
				t.Errorf("%v allows %s = %v, want %v", tt.countries, trigger.MaskPhone(tt.phone), got, tt.want)
			}
		})
	}
}

func TestSMSCountriesString(t *testing.T) {
	list, err := notify.ParseCallingCodes("44,+1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		c    notify.SMSCountries
		want string
		zero bool
	}{
		{notify.SMSCountries{}, "no country", true},
		{notify.AllCountries(), "every country", false},
		{list, "+1,+44", false},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if tt.c.IsZero() != tt.zero {
			t.Errorf("%v: IsZero() = %v, want %v", tt.c, tt.c.IsZero(), tt.zero)
		}
	}
}

// A refusal by the allow-list tells the end user nothing of the rule: its
// message is the neutral one of every refused send.
func TestBlockedIsANeutralDenial(t *testing.T) {
	err := error(&notify.Blocked{Channel: notify.ChannelSMS, To: trigger.MaskPhone("+88212345678"), Rule: notify.EnvSMSAllowedCallingCodes})
	if err.Error() != notify.RefusedMessage {
		t.Errorf("Error() = %q, want RefusedMessage", err)
	}
	d, ok := errors.AsType[*trigger.Denial](err)
	if !ok || d.Error() != notify.RefusedMessage {
		t.Fatalf("a *Blocked unwraps to %v, want a Denial with RefusedMessage", d)
	}
	for _, word := range []string{"country", "SMS_", "882", "list", "limit", "exist"} {
		if strings.Contains(notify.RefusedMessage, word) {
			t.Errorf("RefusedMessage %q says %q", notify.RefusedMessage, word)
		}
	}
}
