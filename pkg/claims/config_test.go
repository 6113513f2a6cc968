package claims

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseConfigAccepts(t *testing.T) {
	tests := []struct {
		name                       string
		idClaims, scopes, suppress string
		want                       Config
	}{
		{name: "nothing", want: Config{}},
		{name: "blank values", idClaims: " ", scopes: "\t", suppress: "", want: Config{}},
		{name: "attribute keeps its name", idClaims: "locale",
			want: Config{IDClaims: []Mapping{{"locale", "locale"}}}},
		{name: "custom attribute renamed", idClaims: "custom:tenant=tenant_id",
			want: Config{IDClaims: []Mapping{{"custom:tenant", "tenant_id"}}}},
		{name: "custom attribute keeps its name", idClaims: "custom:tenant",
			want: Config{IDClaims: []Mapping{{"custom:tenant", "custom:tenant"}}}},
		{name: "developer-only and cognito attributes", idClaims: "dev:custom:plan=plan, cognito:user_status=status",
			want: Config{IDClaims: []Mapping{{"dev:custom:plan", "plan"}, {"cognito:user_status", "status"}}}},
		{name: "one attribute, two claims; spaces and empty items", idClaims: " email = mail ,, email=contact ,",
			want: Config{IDClaims: []Mapping{{"email", "mail"}, {"email", "contact"}}}},
		{name: "a claim may override a standard attribute", idClaims: "custom:work_email=email",
			want: Config{IDClaims: []Mapping{{"custom:work_email", "email"}}}},
		{name: "scopes by group", scopes: "admins=example-api/admin example-api/write; editors = example-api/write ;",
			want: Config{ScopesByGroup: []GroupScopes{
				{"admins", []string{"example-api/admin", "example-api/write"}},
				{"editors", []string{"example-api/write"}},
			}}},
		{name: "group names as Cognito allows them", scopes: "us-east-1_EXAMPLE01_Google=openid;Équipe.Ventes=https://api.example.com/read",
			want: Config{ScopesByGroup: []GroupScopes{
				{"us-east-1_EXAMPLE01_Google", []string{"openid"}},
				{"Équipe.Ventes", []string{"https://api.example.com/read"}},
			}}},
		{name: "suppress", suppress: "phone_number, zoneinfo,",
			want: Config{Suppress: []string{"phone_number", "zoneinfo"}}},
		{name: "everything", idClaims: "custom:tenant=tenant_id", scopes: "admins=a", suppress: "phone_number",
			want: Config{IDClaims: []Mapping{{"custom:tenant", "tenant_id"}}, ScopesByGroup: []GroupScopes{{"admins", []string{"a"}}}, Suppress: []string{"phone_number"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig(tt.idClaims, tt.scopes, tt.suppress)
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseConfig = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseConfigRefuses(t *testing.T) {
	const id, sc, su = EnvIDTokenClaimsFromAttributes, EnvAccessTokenScopesByGroup, EnvSuppressClaims
	tests := []struct {
		name                       string
		idClaims, scopes, suppress string
		want                       []string // the error contains each
	}{
		// Protected claims, as targets and as claims to suppress.
		{name: "sub", idClaims: "custom:id=sub", want: []string{id, `"sub"`, "never lets a trigger change it"}},
		{name: "sub by its own name", idClaims: "sub", want: []string{id, `"sub"`}},
		{name: "case does not help", idClaims: "custom:id=SUB", want: []string{id, `"SUB"`}},
		{name: "cognito:username", idClaims: "email=cognito:username", want: []string{id, "cognito: claims"}},
		{name: "cognito:groups", idClaims: "custom:g=cognito:groups", want: []string{id, "group override"}},
		{name: "aud", idClaims: "custom:a=aud", want: []string{id, `"aud"`}},
		{name: "scope", idClaims: "custom:s=scope", want: []string{id, sc}},
		{name: "suppress exp", suppress: "email,exp", want: []string{su, `"exp"`}},
		{name: "suppress cognito:groups", suppress: "cognito:groups", want: []string{su, "group override"}},
		{name: "suppress token_use", suppress: "token_use", want: []string{su}},
		{name: "suppress origin_jti", suppress: "origin_jti", want: []string{su}},
		// Syntax.
		{name: "ambiguous colon form", idClaims: "custom:tenant:tenant_id", want: []string{id, "not an attribute name", "custom:tenant=tenant_id"}},
		{name: "colon rename", idClaims: "email:mail", want: []string{id, "not an attribute name"}},
		{name: "empty custom name", idClaims: "custom:", want: []string{id, "not an attribute name"}},
		{name: "no claim after =", idClaims: "email=", want: []string{id, "names no claim"}},
		{name: "no attribute before =", idClaims: "=mail", want: []string{id, "empty attribute"}},
		{name: "two =", idClaims: "email=a=b", want: []string{id, "claim name"}},
		{name: "space in a claim", idClaims: "email=e mail", want: []string{id, "space"}},
		{name: "only commas", idClaims: ",,", want: []string{id, "names no attribute"}},
		{name: "no = in a group entry", scopes: "admins", want: []string{sc, "has no '='"}},
		{name: "no scopes", scopes: "admins=", want: []string{sc, `group "admins" has no scopes`}},
		{name: "blank scopes", scopes: "admins=   ", want: []string{sc, "has no scopes"}},
		{name: "no group", scopes: "=openid", want: []string{sc, "names no group"}},
		{name: "space in a group", scopes: "site admins=openid", want: []string{sc, "site admins"}},
		{name: "quote in a scope", scopes: `admins=api/"x"`, want: []string{sc, "not a scope"}},
		{name: "non-ASCII scope", scopes: "admins=api/écrire", want: []string{sc, "not a scope"}},
		{name: "no-break space is no separator", scopes: "admins=api/a\u00a0api/b", want: []string{sc}},
		{name: "only semicolons", scopes: ";;", want: []string{sc, "names no group"}},
		{name: "long group", scopes: strings.Repeat("g", 129) + "=openid", want: []string{sc, "at most 128"}},
		{name: "only commas in suppress", suppress: " , ", want: []string{su, "names no claim"}},
		// What could never take effect.
		{name: "claim from two attributes", idClaims: "email=contact,custom:mail=contact", want: []string{id, "two attributes"}},
		{name: "set and suppressed", idClaims: "custom:tenant=tenant_id", suppress: "tenant_id", want: []string{su, id, `"tenant_id"`}},
		{name: "group twice", scopes: "admins=a;admins=b", want: []string{sc, "listed twice"}},
		{name: "scope twice", scopes: "admins=a a", want: []string{sc, "listed twice"}},
		{name: "suppressed twice", suppress: "locale,locale", want: []string{su, "listed twice"}},
		{name: "too many scopes", scopes: "admins=" + manyScopes(MaxClaimsAndScopes+1), want: []string{sc, "5001 scopes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(tt.idClaims, tt.scopes, tt.suppress)
			if err == nil {
				t.Fatalf("ParseConfig(%q, %q, %q) = nil error, want one", tt.idClaims, tt.scopes, tt.suppress)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseConfig error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// manyScopes returns n distinct scopes separated by spaces.
func manyScopes(n int) string {
	return strings.Join(scopeList(n), " ")
}

func TestProtected(t *testing.T) {
	tests := []struct {
		claim string
		want  bool
	}{
		{"sub", true}, {"cognito:username", true}, {"cognito:groups", true}, {"cognito:roles", true},
		{"cognito:preferred_role", true}, {"cognito:anything", true}, {"username", true}, {"identities", true},
		{"client_id", true}, {"event_id", true}, {"device_key", true}, {"version", true}, {"acr", true},
		{"amr", true}, {"at_hash", true}, {"auth_time", true}, {"azp", true}, {"exp", true}, {"iat", true},
		{"iss", true}, {"jti", true}, {"nbf", true}, {"nonce", true}, {"origin_jti", true}, {"token_use", true},
		{"aud", true}, {"scope", true}, {"Exp", true},
		{"email", false}, {"tenant_id", false}, {"custom:tenant", false}, {"scopes", false}, {"subject", false},
	}
	for _, tt := range tests {
		if got := Protected(tt.claim); got != tt.want {
			t.Errorf("Protected(%q) = %v, want %v", tt.claim, got, tt.want)
		}
	}
}

func TestConfigFromEnvNamesTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{EnvIDTokenClaimsFromAttributes: "custom:id=sub"}, EnvIDTokenClaimsFromAttributes},
		{map[string]string{EnvAccessTokenScopesByGroup: "admins="}, EnvAccessTokenScopesByGroup},
		{map[string]string{EnvSuppressClaims: "iss"}, EnvSuppressClaims},
	}
	for _, tt := range tests {
		_, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ConfigFromEnv(%v) error = %v, want one starting with %s", tt.env, err, tt.want)
		}
	}
}
