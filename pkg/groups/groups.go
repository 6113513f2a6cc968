package groups

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// EnvDefaultGroup names the group every newly confirmed user joins. It is
// a public contract: docs/postconfirmation.md and the CDK constructs use
// it too.
const EnvDefaultGroup = "DEFAULT_GROUP"

// maxGroupName is the longest group name Cognito accepts, in characters.
const maxGroupName = 128

// CognitoAPI is the part of the cognito-idp API a [Handler] uses. The
// SDK's *cognitoidentityprovider.Client implements it; build it once, at
// start-up, and pass it in.
type CognitoAPI interface {
	AdminAddUserToGroup(context.Context, *cip.AdminAddUserToGroupInput, ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error)
}

var _ CognitoAPI = (*cip.Client)(nil)

// Config is the configuration of the post confirmation trigger.
type Config struct {
	// DefaultGroup is the group a newly confirmed user joins. It must
	// exist in the user pool.
	DefaultGroup string
}

// ConfigFromEnv reads the configuration from DEFAULT_GROUP through getenv
// (os.Getenv in a main) and checks it. DEFAULT_GROUP is required: a post
// confirmation function with no group to add users to has nothing to do,
// and is deployed by mistake. The error names the variable.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{DefaultGroup: strings.TrimSpace(getenv(EnvDefaultGroup))}
	if c.DefaultGroup == "" {
		return Config{}, envvar.Errorf(EnvDefaultGroup, "%s is not set: set it to the group every confirmed user joins (this function does nothing else)", EnvDefaultGroup)
	}
	if err := c.Check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Check reports a group name Cognito would refuse: it must have 1 to 128
// letters, marks, symbols, numbers and punctuation, and nothing else (no
// spaces or control characters). The error names the variable.
func (c Config) Check() error {
	g := c.DefaultGroup
	if g == "" || !utf8.ValidString(g) || utf8.RuneCountInString(g) > maxGroupName ||
		strings.IndexFunc(g, func(r rune) bool { return !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) }) >= 0 {
		return envvar.Errorf(EnvDefaultGroup, "%s=%q is not a group name: 1 to %d letters, digits, symbols and punctuation, without spaces", EnvDefaultGroup, g, maxGroupName)
	}
	return nil
}

// Handler returns the post confirmation handler that adds the user of each
// PostConfirmation_ConfirmSignUp event to c.DefaultGroup, in the event's
// user pool, with AdminAddUserToGroup; to pass to trigger.PostConfirmation.
// PostConfirmation_ConfirmForgotPassword events, which confirm a new
// password of an existing user, pass through without a call.
//
// Adding a user who is in the group already succeeds, so a retried
// invocation does no harm. Errors are internal: the end user sees a generic
// message, and the log has the detail. A group that does not exist gets an
// error that names it and the pool.
func Handler(c Config, api CognitoAPI) (func(context.Context, *trigger.PostConfirmationEvent) error, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if api == nil {
		return nil, errors.New("groups.Handler: no cognito-idp client; pass a *cognitoidentityprovider.Client")
	}
	return func(ctx context.Context, ev *trigger.PostConfirmationEvent) error {
		if ev.TriggerSource != trigger.SourcePostConfirmationConfirmSignUp {
			return nil
		}
		if ev.UserName == "" {
			return errors.New("the event names no user; there is nobody to add to the group")
		}
		_, err := api.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
			UserPoolId: aws.String(ev.UserPoolID),
			Username:   aws.String(ev.UserName),
			GroupName:  aws.String(c.DefaultGroup),
		})
		if _, ok := errors.AsType[*types.ResourceNotFoundException](err); ok {
			return fmt.Errorf("group %q not found in user pool %s: create it, or set %s to an existing group: %w",
				c.DefaultGroup, ev.UserPoolID, EnvDefaultGroup, err)
		}
		if err != nil {
			return fmt.Errorf("add the user to group %q: %w", c.DefaultGroup, err)
		}
		trigger.Logger(ctx).Info("user added to the default group", "group", c.DefaultGroup)
		return nil
	}, nil
}
