package authfront

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// confirmed marks the contact a confirmation code went to as verified, as
// Cognito does after ConfirmSignUp and cognito-local does not: the phone
// number when the pool verifies phone numbers and the user has one, else
// the email address, when the pool verifies those.
func (f *Front) confirmed(ctx context.Context, in *request, body []byte) error {
	var c struct{ Username string }
	if err := json.Unmarshal(body, &c); err != nil || c.Username == "" {
		return nil
	}
	pool, err := f.poolOf(ctx, in.ClientID)
	if err != nil {
		return err
	}
	p, err := f.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		return fmt.Errorf("read the user pool from cognito-local: %w", err)
	}
	u, err := f.user(ctx, pool, c.Username)
	if err != nil || u == nil {
		return err
	}
	auto := p.UserPool.AutoVerifiedAttributes
	for _, a := range []struct {
		kind        types.VerifiedAttributeType
		name, which string
	}{{types.VerifiedAttributeTypePhoneNumber, "phone_number", "phone_number_verified"}, {types.VerifiedAttributeTypeEmail, "email", "email_verified"}} {
		value := u.attributes[a.name]
		if !slices.Contains(auto, a.kind) || value == "" {
			continue
		}
		if u.attributes[a.which] == "true" {
			return nil
		}
		// cognito-local wants the attribute with its verified flag.
		_, err := f.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
			UserPoolId: aws.String(pool), Username: aws.String(u.name),
			UserAttributes: []types.AttributeType{{Name: aws.String(a.name), Value: aws.String(value)}, {Name: aws.String(a.which), Value: aws.String("true")}},
		})
		if err != nil {
			return fmt.Errorf("mark %s verified in cognito-local: %w", a.name, err)
		}
		return nil
	}
	return nil
}
