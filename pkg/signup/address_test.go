package signup

import (
	"strings"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" when the domain is refused
	}{
		{"lower case stays", "example.com", "example.com"},
		{"upper case is lowered", "EXAMPLE.Com", "example.com"},
		{"trailing dot is dropped", "example.com.", "example.com"},
		{"IDN becomes punycode", "bücher.example", "xn--bcher-kva.example"},
		{"IDN in upper case", "BÜCHER.EXAMPLE", "xn--bcher-kva.example"},
		{"punycode stays", "xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"full-width forms are mapped", "ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"},
		{"sharp s is kept (non-transitional)", "faß.example", "xn--fa-hia.example"},
		{"single label", "com", "com"},
		{"hyphen inside a label", "my-company.example", "my-company.example"},
		{"empty", "", ""},
		{"only a dot", ".", ""},
		{"two trailing dots", "example.com..", ""},
		{"leading dot", ".example.com", ""},
		{"empty label", "example..com", ""},
		{"underscore", "a_b.example", ""},
		{"space", "ex ample.com", ""},
		{"leading hyphen", "-a.example", ""},
		{"trailing hyphen", "a-.example", ""},
		{"domain literal", "[192.0.2.1]", ""},
		{"bad punycode", "xn--abc.example", ""},
		{"label of 64 bytes", strings.Repeat("a", 64) + ".example", ""},
		{"label of 63 bytes", strings.Repeat("a", 63) + ".example", strings.Repeat("a", 63) + ".example"},
		{"name of 254 bytes", strings.Repeat("a.", 126) + "aa", ""},
		{"at sign", "jane@example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeDomain(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Errorf("NormalizeDomain(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantLocal  string
		wantDomain string // "" when the address is refused
	}{
		{"plain", "jane.doe@example.com", "jane.doe", "example.com"},
		{"sub-addressing keeps the domain", "jane+news@example.com", "jane+news", "example.com"},
		{"domain case is folded, local part kept", "Jane.Doe@EXAMPLE.COM", "Jane.Doe", "example.com"},
		{"trailing dot of the domain", "jane@example.com.", "jane", "example.com"},
		{"IDN domain", "kim@bücher.example", "kim", "xn--bcher-kva.example"},
		{"UTF-8 local part", "jürgen@example.org", "jürgen", "example.org"},
		{"atext symbols", "a!#$%&'*+-/=?^_`{|}~z@example.org", "a!#$%&'*+-/=?^_`{|}~z", "example.org"},
		{"subdomain", "ops@mail.corp.example.com", "ops", "mail.corp.example.com"},
		{"no at sign", "jane.example.com", "", ""},
		{"two at signs", "jane@doe@example.com", "", ""},
		{"empty local part", "@example.com", "", ""},
		{"empty domain", "jane@", "", ""},
		{"display name", "Jane Doe <jane.doe@example.com>", "", ""},
		{"space", "jane doe@example.com", "", ""},
		{"leading dot", ".jane@example.com", "", ""},
		{"trailing dot in local part", "jane.@example.com", "", ""},
		{"double dot", "jane..doe@example.com", "", ""},
		{"quoted local part", `"jane doe"@example.com`, "", ""},
		{"domain literal", "jane@[192.0.2.1]", "", ""},
		{"IP address as domain", "jane@192.0.2.1", "", ""},
		{"single-label domain", "jane@localhost", "", ""},
		{"double dot in domain", "jane@example..com", "", ""},
		{"invalid UTF-8", "ja\xffne@example.com", "", ""},
		{"zero-width space", "ja\u200bne@example.com", "", ""},
		{"control character", "ja\x01ne@example.com", "", ""},
		{"local part of 65 bytes", strings.Repeat("a", 65) + "@example.com", "", ""},
		{"address of 255 bytes", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".com", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEmail(tt.in)
			if tt.wantDomain == "" {
				if err == nil {
					t.Errorf("ParseEmail(%q) = %+v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got.Local != tt.wantLocal || got.Domain != tt.wantDomain {
				t.Errorf("ParseEmail(%q) = %+v, %v; want {%s %s}", tt.in, got, err, tt.wantLocal, tt.wantDomain)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+15555550142", true},
		{"+1", true},
		{"+123456789012345", true},
		{"+1234567890123456", false}, // 16 digits
		{"+05555550142", false},
		{"15555550142", false},
		{"+", false},
		{"", false},
		{"+1 555 555 0142", false},
		{"+1-555-555-0142", false},
		{"(555) 555-0142", false},
		{"+1555555014a", false},
		{"++15555550142", false},
		{"+١٥٥٥", false}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		if got := ValidPhone(tt.in); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
