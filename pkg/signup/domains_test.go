package signup

import (
	"slices"
	"strings"
	"testing"
)

func TestDomainListMatchesDomainAndSubdomains(t *testing.T) {
	l := MustParseDomainList(" Example.com, bücher.example ,corp.example.org.,")
	tests := []struct {
		domain string
		want   bool
	}{
		{"example.com", true},
		{"mail.example.com", true},
		{"a.b.c.example.com", true},
		{"badexample.com", false},
		{"example.com.evil.example", false},
		{"com", false},
		{"xn--bcher-kva.example", true},
		{"shop.xn--bcher-kva.example", true},
		{"corp.example.org", true},
		{"example.org", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := l.Match(tt.domain); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.domain, got, tt.want)
		}
	}
	if got, want := l.Domains(), []string{"corp.example.org", "example.com", "xn--bcher-kva.example"}; !slices.Equal(got, want) {
		t.Errorf("Domains() = %q, want %q", got, want)
	}
	var zero DomainList
	if zero.Match("example.com") || zero.Len() != 0 {
		t.Errorf("the zero DomainList matches or has entries")
	}
}

func TestParseDomainList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantLen int
		wantErr string // part of the error; "" for none
	}{
		{"unset", "", 0, ""},
		{"blank", "  ", 0, ""},
		{"one", "example.com", 1, ""},
		{"duplicates collapse", "example.com,EXAMPLE.COM,example.com.", 1, ""},
		{"trailing comma", "example.com,", 1, ""},
		{"only commas", " , ,", 0, "names no domain"},
		{"at sign", "@example.com", 0, `"@example.com": write the domain alone`},
		{"wildcard", "*.example.com", 0, `"*.example.com": write the domain alone`},
		{"not a domain", "example.com,exa mple.org", 0, `"exa mple.org" is not a valid domain name`},
		{"an address", "jane@example.com", 0, `"jane@example.com" is not a valid domain name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDomainList(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseDomainList(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Len() != tt.wantLen {
				t.Errorf("ParseDomainList(%q) = %d domains, %v; want %d", tt.in, got.Len(), err, tt.wantLen)
			}
		})
	}
}
