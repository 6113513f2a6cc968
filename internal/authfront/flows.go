package authfront

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// allowing lists, for each sign-in flow that an app client gates, the
// ExplicitAuthFlows values that allow it: the ALLOW_ one and the legacy one.
// Refresh is not gated: Cognito requires ALLOW_REFRESH_TOKEN_AUTH on every
// client that lists ALLOW_ values.
var allowing = map[string][]types.ExplicitAuthFlowsType{
	"CUSTOM_AUTH":              {types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeCustomAuthFlowOnly},
	"USER_PASSWORD_AUTH":       {types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeUserPasswordAuth},
	"ADMIN_USER_PASSWORD_AUTH": {types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAdminNoSrpAuth},
	"ADMIN_NO_SRP_AUTH":        {types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAdminNoSrpAuth},
	"USER_SRP_AUTH":            {types.ExplicitAuthFlowsTypeAllowUserSrpAuth},
	"USER_AUTH":                {types.ExplicitAuthFlowsTypeAllowUserAuth},
}

// defaultFlows are the flows of an app client created without
// ExplicitAuthFlows.
var defaultFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// allows reports whether app client c allows sign-in flow flow.
func (c *appClient) allows(flow string) bool {
	values, gated := allowing[flow]
	if !gated {
		return true
	}
	flows := c.flows
	if len(flows) == 0 {
		flows = defaultFlows
	}
	return slices.ContainsFunc(values, func(v types.ExplicitAuthFlowsType) bool { return slices.Contains(flows, v) })
}

// checkFlow returns Cognito's error when the app client of in does not
// allow its AuthFlow, or does not exist.
func (f *Front) checkFlow(ctx context.Context, in *request) error {
	if _, gated := allowing[in.AuthFlow]; !gated {
		return nil
	}
	c, err := f.appClient(ctx, in)
	if err != nil {
		return err
	}
	if !c.allows(in.AuthFlow) {
		return &Error{"InvalidParameterException", in.AuthFlow + " flow not enabled for this client"}
	}
	return nil
}
