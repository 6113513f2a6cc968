package appenv

import (
	"strings"
	"testing"
)

func TestCheckNameRefusesWhatAMessageCannotShow(t *testing.T) {
	tests := []struct {
		name, wantErr string
	}{
		{"", ""},
		{"Example App", ""},
		{strings.Repeat("ü", MaxName), ""},
		{strings.Repeat("a", MaxName+1), "APP_NAME is 41 characters long; use at most 40"},
		{"Example\tApp", `APP_NAME="Example\tApp" has a line break or a control character; use one line of plain text`},
		{"Example\nBcc: x", "one line"},
		{"Example  App", "one line"},
		{" Example", "one line"},
		{"Example\u200bApp", "one line"},
		{"Example\x7f", "one line"},
	}
	for _, tt := range tests {
		err := CheckName(tt.name)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckName(%q) = %v, want nil", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CheckName(%q) = %v, want an error with %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestNormalizeURLAcceptsOnlyHTTPAddresses(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"", "", true},
		{"https://app.example.com/", "https://app.example.com", true},
		{"http://localhost:3000/app//", "http://localhost:3000/app", true},
		{"app.example.com", "", false},
		{"ftp://app.example.com", "", false},
		{"javascript:alert(1)", "", false},
		{"https://user@app.example.com", "", false},
		{"https://app.example.com/a b", "", false},
		{"https://app.example.com/<b>", "", false},
		{`https://app.example.com/"a`, "", false},
		{"https://", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.url)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q, ok %v", tt.url, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "APP_URL=") {
			t.Errorf("NormalizeURL(%q) error %q does not start with APP_URL=", tt.url, err)
		}
	}
}

func TestUnitsCountsAsCognito(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Example", 7},
		{"Café", 4},
		{"日本", 2},
		{"🚀 Rocket", 9}, // an emoji outside the BMP counts two
		{strings.Repeat("🚀", MaxName/2), MaxName},
		{"\xff", 1}, // invalid UTF-8 reads as U+FFFD
	}
	for _, tt := range tests {
		if got := Units(tt.in); got != tt.want {
			t.Errorf("Units(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
