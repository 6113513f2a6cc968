package authfront

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// passwordCall reports whether op sets a password, which the pool's
// password policy then governs; cognito-local checks none.
func passwordCall(op string) bool {
	switch op {
	case "SignUp", "AdminCreateUser", "AdminSetUserPassword", "ChangePassword", "ConfirmForgotPassword", "RespondToAuthChallenge", "AdminRespondToAuthChallenge":
		return true
	}
	return false
}

// symbols are the characters Cognito counts as symbols in a password.
const symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// defaultPolicy is the password policy of a pool created without one.
var defaultPolicy = types.PasswordPolicyType{
	MinimumLength: aws.Int32(8), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true,
}

// checkPassword returns Cognito's InvalidPasswordException when call op,
// with body, sets a password that breaks the pool's password policy.
func (f *Front) checkPassword(ctx context.Context, op string, in *request, body []byte) error {
	var p struct {
		Password, TemporaryPassword, ProposedPassword, AccessToken string
	}
	_ = json.Unmarshal(body, &p)
	password := p.Password + p.TemporaryPassword + p.ProposedPassword // at most one is set
	if op == "RespondToAuthChallenge" || op == "AdminRespondToAuthChallenge" {
		password = in.ChallengeResponses["NEW_PASSWORD"]
	}
	if password == "" {
		return nil
	}
	pool := in.UserPoolID
	switch op {
	case "SignUp", "ConfirmForgotPassword", "RespondToAuthChallenge":
		var err error
		if pool, err = f.poolOf(ctx, in.ClientID); err != nil {
			return err
		}
	case "ChangePassword":
		pool = poolOfToken(p.AccessToken)
	}
	if pool == "" {
		return nil // cognito-local answers what is missing
	}
	out, err := f.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		if apiCode(err) == "ResourceNotFoundException" {
			return nil // cognito-local says so
		}
		return fmt.Errorf("read the user pool from cognito-local: %w", err)
	}
	policy := defaultPolicy
	if pp := out.UserPool.Policies; pp != nil && pp.PasswordPolicy != nil {
		policy = *pp.PasswordPolicy
	}
	if why := policyBreach(password, policy); why != "" {
		return &Error{"InvalidPasswordException", "Password did not conform with policy: " + why}
	}
	return nil
}

// policyBreach returns what password lacks under policy, in Cognito's
// words, or "".
func policyBreach(password string, policy types.PasswordPolicyType) string {
	minLength := 8
	if policy.MinimumLength != nil {
		minLength = int(*policy.MinimumLength)
	}
	switch {
	case len([]rune(password)) < minLength:
		return "Password not long enough"
	case policy.RequireUppercase && !strings.ContainsFunc(password, unicode.IsUpper):
		return "Password must have uppercase characters"
	case policy.RequireLowercase && !strings.ContainsFunc(password, unicode.IsLower):
		return "Password must have lowercase characters"
	case policy.RequireNumbers && !strings.ContainsFunc(password, unicode.IsDigit):
		return "Password must have numeric characters"
	case policy.RequireSymbols && !strings.ContainsAny(password, symbols):
		return "Password must have symbol characters"
	}
	return ""
}

// poolOfToken returns the pool ID in the iss claim of a token of the
// stack (http://…/<pool ID>), unverified: cognito-local verifies it.
func poolOfToken(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	return c.Iss[strings.LastIndexByte(c.Iss, '/')+1:]
}
