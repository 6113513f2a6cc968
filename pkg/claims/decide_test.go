package claims

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// testConfig is the configuration of the decision and fixture tests.
var testConfig = Config{
	IDClaims: []Mapping{{"custom:tenant", "tenant_id"}, {"locale", "locale"}},
	ScopesByGroup: []GroupScopes{
		{"admins", []string{"example-api/admin", "example-api/write"}},
		{"editors", []string{"example-api/write"}},
		{"readers", []string{"example-api/read", "openid"}},
	},
	Suppress: []string{"phone_number"},
}

func TestDecide(t *testing.T) {
	jane := map[string]string{"sub": "0f1e2d3c-0000-4000-8000-00000000000a", "email": "jane.doe@example.com", "custom:tenant": "tenant-a", "locale": "en"}
	tests := []struct {
		name string
		cfg  *Config // nil: testConfig
		req  Request
		want Decision
	}{
		{name: "unconfigured changes nothing", cfg: &Config{},
			req:  Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true, UserAttributes: jane, Groups: []string{"admins"}},
			want: Decision{}},
		{name: "attributes, suppression and the scopes of two groups, each once",
			req: Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true, UserAttributes: jane,
				Groups: []string{"editors", "admins"}, Scopes: []string{"aws.cognito.signin.user.admin"}},
			want: Decision{IDClaims: map[string]string{"tenant_id": "tenant-a", "locale": "en"}, SuppressID: []string{"phone_number"},
				AddScopes: []string{"example-api/admin", "example-api/write"}}},
		{name: "a missing attribute gives no claim; a scope the token has is not added again",
			req: Request{Source: trigger.SourceTokenGenerationRefreshTokens, AccessToken: true,
				UserAttributes: map[string]string{"locale": "es"}, Groups: []string{"readers"}, Scopes: []string{"openid"}},
			want: Decision{IDClaims: map[string]string{"locale": "es"}, SuppressID: []string{"phone_number"}, AddScopes: []string{"example-api/read"}}},
		{name: "an empty attribute is copied as it is",
			cfg:  &Config{IDClaims: []Mapping{{"locale", "lang"}}},
			req:  Request{Source: trigger.SourceTokenGenerationHostedAuth, UserAttributes: map[string]string{"locale": ""}},
			want: Decision{IDClaims: map[string]string{"lang": ""}}},
		{name: "group names match exactly",
			req:  Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true, Groups: []string{"Admins", "admins2"}},
			want: Decision{SuppressID: []string{"phone_number"}}},
		{name: "version 1 counts the scopes it cannot add",
			req:  Request{Source: trigger.SourceTokenGenerationAuthentication, UserAttributes: jane, Groups: []string{"admins"}},
			want: Decision{IDClaims: map[string]string{"tenant_id": "tenant-a", "locale": "en"}, SuppressID: []string{"phone_number"}, UnappliedScopes: 2}},
		{name: "client credentials: no user, no change",
			req:  Request{Source: trigger.SourceTokenGenerationClientCredentials, AccessToken: true, Groups: []string{"admins"}, Scopes: []string{"example-api/read"}},
			want: Decision{}},
		{name: "ID token over the limit: no change at all",
			req: Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true,
				UserAttributes: attributes(MaxClaimsAndScopes-cognitoClaims, "locale", "en"), Groups: []string{"admins"}},
			want: Decision{Overflow: &Overflow{Token: "id", Count: MaxClaimsAndScopes + 1}}},
		{name: "ID token at the limit",
			req: Request{Source: trigger.SourceTokenGenerationAuthentication,
				UserAttributes: attributes(MaxClaimsAndScopes-cognitoClaims-1, "locale", "en")},
			cfg:  &Config{IDClaims: []Mapping{{"locale", "lang"}}},
			want: Decision{IDClaims: map[string]string{"lang": "en"}}},
		{name: "access token over the limit: no change at all",
			req: Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true, UserAttributes: jane,
				Groups: []string{"admins"}, Scopes: scopeList(MaxClaimsAndScopes - cognitoClaims - 1)},
			want: Decision{Overflow: &Overflow{Token: "access", Count: MaxClaimsAndScopes + 1}}},
		{name: "a large token that does not change does not count",
			cfg: &Config{IDClaims: []Mapping{{"locale", "lang"}}},
			req: Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: true, UserAttributes: jane,
				Groups: []string{"admins"}, Scopes: scopeList(MaxClaimsAndScopes)},
			want: Decision{IDClaims: map[string]string{"lang": "en"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig
			if tt.cfg != nil {
				cfg = *tt.cfg
			}
			got := cfg.Decide(tt.req)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decide = %+v (overflow %+v), want %+v (overflow %+v)", got, got.Overflow, tt.want, tt.want.Overflow)
			}
			if got.Changes() && got.Overflow != nil {
				t.Errorf("Decide changes tokens and overflows")
			}
		})
	}
}

// attributes returns n user attributes, one of them name=value.
func attributes(n int, name, value string) map[string]string {
	m := make(map[string]string, n)
	for i := range n - 1 {
		m["custom:a"+strconv.Itoa(i)] = "x"
	}
	m[name] = value
	return m
}

// scopeList returns n distinct scopes.
func scopeList(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = "api/s" + strconv.Itoa(i)
	}
	return s
}
