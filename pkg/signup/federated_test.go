package signup

import (
	"errors"
	"testing"
)

func TestSplitUserName(t *testing.T) {
	pool := []string{"Google", "SignInWithApple", "MyCorp-SAML", "My_Corp", "Okta", "Okta_EU"}
	tests := []struct {
		name      string
		userName  string
		providers []string
		want      Identity
		wantErr   error
	}{
		{"social provider", "Google_1234", pool, Identity{"Google", "1234"}, nil},
		{"lower-cased prefix keeps the pool's spelling", "google_1234", pool, Identity{"Google", "1234"}, nil},
		{"subject with dots", "SignInWithApple_000000.0fake.0000", pool, Identity{"SignInWithApple", "000000.0fake.0000"}, nil},
		{"SAML provider, email subject", "MyCorp-SAML_jane.doe@example.com", pool, Identity{"MyCorp-SAML", "jane.doe@example.com"}, nil},
		{"provider name with an underscore", "My_Corp_jane_doe", pool, Identity{"My_Corp", "jane_doe"}, nil},
		{"subject with underscores", "Okta_00u_abc_1", pool[:5], Identity{"Okta", "00u_abc_1"}, nil},
		{"nested provider names are ambiguous", "Okta_EU_00u1", pool, Identity{}, ErrAmbiguousProvider},
		{"shorter name of a nested pair", "Okta_00u1", pool, Identity{"Okta", "00u1"}, nil},
		{"built-in fallback when the pool does not list it", "Facebook_10001", pool, Identity{"Facebook", "10001"}, nil},
		{"built-in fallback ignores case", "loginwithamazon_amzn1.account.X", nil, Identity{"LoginWithAmazon", "amzn1.account.X"}, nil},
		{"a pool name wins over the built-in split", "Google_Workspace_1234", []string{"Google_Workspace"}, Identity{"Google_Workspace", "1234"}, nil},
		{"unknown provider", "Acme_1234", pool, Identity{}, ErrUnknownProvider},
		{"unknown provider with no pool names", "MyCorp-SAML_jane", nil, Identity{}, ErrUnknownProvider},
		{"empty subject", "Google_", pool, Identity{}, ErrUnknownProvider},
		{"no underscore", "Google", pool, Identity{}, ErrUnknownProvider},
		{"native user name", "0f1e2d3c-0000-4000-8000-00000000000a", pool, Identity{}, ErrUnknownProvider},
		{"empty", "", pool, Identity{}, ErrUnknownProvider},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitUserName(tt.userName, tt.providers)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("SplitUserName(%q) = %+v, %v; want %+v, %v", tt.userName, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestEmailFilterEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"jane.doe@example.com", `email = "jane.doe@example.com"`},
		{`a"b@example.com`, `email = "a\"b@example.com"`},
		{`a\b@example.com`, `email = "a\\b@example.com"`},
		{`x" or email ^= "`, `email = "x\" or email ^= \""`},
	}
	for _, tt := range tests {
		if got := EmailFilter(tt.in); got != tt.want {
			t.Errorf("EmailFilter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestMaskAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no address here", "no address here"},
		{`filter email = "jane.doe@example.com" is bad`, `filter email = "j***@e***.com" is bad`},
		{"user jane@example.org, again jane@example.org.", "user j***@e***.org, again j***@e***."},
		{"ünïcode@bücher.example", "ü***@b***.example"},
	}
	for _, tt := range tests {
		if got := maskAddresses(tt.in); got != tt.want {
			t.Errorf("maskAddresses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
