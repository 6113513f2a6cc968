package authfront

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestPolicyBreach(t *testing.T) {
	lenient := types.PasswordPolicyType{MinimumLength: aws.Int32(12)}
	tests := []struct {
		password string
		policy   types.PasswordPolicyType
		want     string
	}{
		{"Local-Passw0rd!", defaultPolicy, ""},
		{"Sh0rt!", defaultPolicy, "Password not long enough"},
		{"lower-passw0rd!", defaultPolicy, "Password must have uppercase characters"},
		{"UPPER-PASSW0RD!", defaultPolicy, "Password must have lowercase characters"},
		{"No-Numbers-Here!", defaultPolicy, "Password must have numeric characters"},
		{"NoSymbolPassw0rd", defaultPolicy, "Password must have symbol characters"},
		{"With space 0A", defaultPolicy, ""},
		{"Ünïcödé-Passw0rd", defaultPolicy, ""},
		{"twelve chars", lenient, ""},
		{"eleven char", lenient, "Password not long enough"},
		{"ääääääääääää", lenient, ""}, // length in characters, not bytes
	}
	for _, tt := range tests {
		if got := policyBreach(tt.password, tt.policy); got != tt.want {
			t.Errorf("policyBreach(%q) = %q, want %q", tt.password, got, tt.want)
		}
	}
}

func TestPoolOfToken(t *testing.T) {
	tests := []struct{ token, want string }{
		// {"iss":"http://127.0.0.1:9229/local_abc"}
		{"e30.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjkyMjkvbG9jYWxfYWJjIn0.sig", "local_abc"},
		{"not a token", ""},
		{"e30.!!!.sig", ""},
		{"e30.e30.sig", ""},
	}
	for _, tt := range tests {
		if got := poolOfToken(tt.token); got != tt.want {
			t.Errorf("poolOfToken(%q) = %q, want %q", tt.token, got, tt.want)
		}
	}
}
