package authfront

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// signIn is one custom-auth sign-in in progress: its model of Cognito's
// loop, and who signs in where.
type signIn struct {
	sim    *triggertest.CustomAuth
	client *appClient
	given  string // the USERNAME the client sent
	user   *user  // nil for a user who does not exist
	sdk    string // the client's SDK, for callerContext
	// expires is when the session the client holds expires; the front
	// forgets the sign-in a while after.
	expires time.Time
}

// name is the username of the sign-in: the user's, or the one the client
// gave for an unknown user.
func (s *signIn) name() string {
	if s.user != nil {
		return s.user.name
	}
	return s.given
}

// shownName is the USERNAME the client sees in the challenge: the user's
// username. In a pool where users sign in with an alias, whose usernames
// are UUIDs, an unknown user gets a UUID too, the same one at every
// attempt, so that the answer does not tell who has an account.
func (f *Front) shownName(s *signIn) string {
	if s.user != nil || !s.client.aliases {
		return s.name()
	}
	m := hmac.New(sha256.New, f.secret[:])
	m.Write([]byte(s.client.pool + "\x00" + strings.ToLower(s.given)))
	return uuidOf(m.Sum(nil))
}

// challengeOutput is the answer of a call that sets a challenge.
type challengeOutput struct {
	ChallengeName       string
	Session             string
	ChallengeParameters map[string]string
}

// tokensOutput is the answer of a call that ends in tokens.
type tokensOutput struct {
	ChallengeParameters  map[string]string
	AuthenticationResult *tokens
}

// initiate starts a custom-auth sign-in: InitiateAuth or AdminInitiateAuth
// with AuthFlow CUSTOM_AUTH.
func (f *Front) initiate(ctx context.Context, in *request) (any, error) {
	c, err := f.appClient(ctx, in)
	if err != nil {
		return nil, err
	}
	given := in.AuthParameters["USERNAME"]
	if given == "" {
		return nil, &Error{"InvalidParameterException", "Missing required parameter USERNAME"}
	}
	fns, err := f.customAuthFunctions(ctx, c.pool)
	if err != nil {
		return nil, err
	}
	u, err := f.user(ctx, c.pool, given)
	if err != nil {
		return nil, err
	}
	opts := []triggertest.CustomAuthOption{
		triggertest.WithUserPool(c.pool), triggertest.WithClientID(c.id), triggertest.WithSDKVersion(in.sdk),
		triggertest.WithAuthSessionValidity(c.sessionValidity), triggertest.WithClock(f.cfg.Now),
	}
	switch {
	case u == nil && !c.preventUserExistenceErrors:
		return nil, &Error{"UserNotFoundException", "User does not exist."}
	case u == nil:
		opts = append(opts, triggertest.WithUnknownUser(given))
	case !u.enabled:
		return nil, &Error{"NotAuthorizedException", "User is disabled."}
	case u.status == string(types.UserStatusTypeUnconfirmed):
		return nil, &Error{"UserNotConfirmedException", "User is not confirmed."}
	default:
		opts = append(opts, triggertest.WithUser(u.name, u.attributes))
	}
	if err := f.preAuthentication(ctx, c, u, given, in); err != nil {
		return nil, err
	}
	s := &signIn{sim: triggertest.NewCustomAuth(fns[0], fns[1], fns[2], opts...), client: c, given: given, user: u, sdk: in.sdk}
	res, err := s.sim.Start(ctx)
	return f.answer(ctx, s, res, err, nil)
}

// respond answers the challenge of a session the front started:
// RespondToAuthChallenge or AdminRespondToAuthChallenge.
func (f *Front) respond(ctx context.Context, in *request) (any, error) {
	f.mu.Lock()
	s := f.sessions[in.Session]
	f.mu.Unlock()
	switch {
	case s == nil:
		return nil, errInvalidSession
	case in.ClientID != s.client.id, in.admin && in.UserPoolID != s.client.pool:
		return nil, errInvalidSession
	case in.ChallengeName != trigger.ChallengeCustom:
		return nil, &Error{"InvalidParameterException", "Invalid challenge name: this session's challenge is " + trigger.ChallengeCustom}
	}
	name, ok := in.ChallengeResponses["USERNAME"]
	if !ok || name == "" {
		return nil, &Error{"InvalidParameterException", "Missing required parameter USERNAME"}
	}
	if name != s.given && name != s.name() && name != f.shownName(s) {
		return nil, &Error{"NotAuthorizedException", "Incorrect username or password."}
	}
	answer, ok := in.ChallengeResponses["ANSWER"]
	if !ok {
		return nil, &Error{"InvalidParameterException", "Missing required parameter ANSWER"}
	}
	// A session is good for one answer: whoever takes it first.
	f.mu.Lock()
	if f.sessions[in.Session] != s {
		f.mu.Unlock()
		return nil, errInvalidSession
	}
	delete(f.sessions, in.Session)
	f.mu.Unlock()
	res, err := s.sim.Respond(ctx, answer, in.ClientMetadata)
	return f.answer(ctx, s, res, err, in.ClientMetadata)
}

// answer turns where the sign-in stands into the client's answer: the
// next challenge with a fresh session, tokens, or Cognito's error.
func (f *Front) answer(ctx context.Context, s *signIn, res *triggertest.Result, err error, metadata map[string]string) (any, error) {
	if err != nil {
		return nil, err
	}
	switch res.Outcome {
	case triggertest.OutcomeChallenge:
		params := maps.Clone(res.Parameters)
		if params == nil {
			params = map[string]string{}
		}
		params["USERNAME"] = f.shownName(s)
		return challengeOutput{ChallengeName: res.ChallengeName, Session: f.keep(s), ChallengeParameters: params}, nil
	case triggertest.OutcomeTokens:
		if s.user == nil {
			// Define issued tokens to a user who does not exist.
			return nil, &Error{"NotAuthorizedException", "Incorrect username or password."}
		}
		if err := f.postAuthentication(ctx, s, metadata); err != nil {
			return nil, err
		}
		t, err := f.issue(ctx, s.client, s.user, trigger.SourceTokenGenerationAuthentication, metadata, time.Time{})
		if err != nil {
			return nil, err
		}
		return tokensOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: t}, nil
	}
	return nil, fmt.Errorf("the sign-in ended with outcome %v and no error", res.Outcome)
}

// keep stores s under a new session and returns it, forgetting the
// sign-ins whose sessions expired long ago.
func (f *Front) keep(s *signIn) string {
	b := make([]byte, 96)
	rand.Read(b) // never fails (crypto/rand)
	token := base64.StdEncoding.EncodeToString(b)
	now := f.cfg.Now()
	s.expires = now.Add(s.client.sessionValidity)
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, old := range f.sessions {
		// Kept past expiry so that a late answer still gets Cognito's
		// "session is expired".
		if now.After(old.expires.Add(time.Hour)) {
			delete(f.sessions, k)
		}
	}
	f.sessions[token] = s
	return token
}

// started reports whether session is one of the front's.
func (f *Front) started(session string) bool {
	if session == "" {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sessions[session] != nil
}

// customAuthFunctions returns the define, create and verify functions of
// the pool, or Cognito's error when one is not bound.
func (f *Front) customAuthFunctions(ctx context.Context, pool string) ([3]lambda.Handler, error) {
	var fns [3]lambda.Handler
	for i, k := range []trigger.Kind{trigger.KindDefineAuthChallenge, trigger.KindCreateAuthChallenge, trigger.KindVerifyAuthChallenge} {
		h, err := f.cfg.Function(ctx, pool, k)
		if err != nil {
			return fns, err
		}
		if h == nil {
			return fns, &Error{"InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool."}
		}
		fns[i] = h
	}
	return fns, nil
}

// appClient is what the front needs of an app client.
type appClient struct {
	pool, id                   string
	aliases                    bool // users sign in with an email address or phone number
	sessionValidity            time.Duration
	preventUserExistenceErrors bool
	flows                      []types.ExplicitAuthFlowsType
	access, idToken, refresh   time.Duration
}

// appClient reads the app client of the call from cognito-local.
func (f *Front) appClient(ctx context.Context, in *request) (*appClient, error) {
	if in.ClientID == "" {
		return nil, &Error{"InvalidParameterException", "Missing required parameter ClientId"}
	}
	pool := in.UserPoolID
	if !in.admin {
		var err error
		if pool, err = f.poolOf(ctx, in.ClientID); err != nil {
			return nil, err
		}
	} else if pool == "" {
		return nil, &Error{"InvalidParameterException", "Missing required parameter UserPoolId"}
	}
	out, err := f.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(in.ClientID)})
	if err != nil {
		if apiCode(err) == "ResourceNotFoundException" {
			return nil, &Error{"ResourceNotFoundException", "User pool client " + in.ClientID + " does not exist."}
		}
		return nil, fmt.Errorf("read the app client from cognito-local: %w", err)
	}
	uc := out.UserPoolClient
	c := &appClient{
		pool: pool, id: in.ClientID,
		sessionValidity:            triggertest.DefaultAuthSessionValidity,
		preventUserExistenceErrors: uc.PreventUserExistenceErrors == types.PreventUserExistenceErrorTypesEnabled,
		flows:                      uc.ExplicitAuthFlows,
	}
	c.access, c.idToken, c.refresh = validities(uc)
	p, err := f.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		return nil, fmt.Errorf("read the user pool from cognito-local: %w", err)
	}
	c.aliases = len(p.UserPool.UsernameAttributes) > 0
	if v := f.overlay(in.ClientID).AuthSessionValidity; v != 0 {
		c.sessionValidity = time.Duration(v) * time.Minute
	}
	return c, nil
}

// validities returns how long the client's access, ID and refresh tokens
// last: its settings, in its units, or Cognito's defaults (an hour, an
// hour, 30 days).
func validities(uc *types.UserPoolClientType) (access, id, refresh time.Duration) {
	unit := func(u types.TimeUnitsType, def time.Duration) time.Duration {
		switch u {
		case types.TimeUnitsTypeSeconds:
			return time.Second
		case types.TimeUnitsTypeMinutes:
			return time.Minute
		case types.TimeUnitsTypeHours:
			return time.Hour
		case types.TimeUnitsTypeDays:
			return 24 * time.Hour
		}
		return def
	}
	var units types.TokenValidityUnitsType
	if uc.TokenValidityUnits != nil {
		units = *uc.TokenValidityUnits
	}
	access, id, refresh = time.Hour, time.Hour, 30*24*time.Hour
	if uc.AccessTokenValidity != nil {
		access = time.Duration(*uc.AccessTokenValidity) * unit(units.AccessToken, time.Hour)
	}
	if uc.IdTokenValidity != nil {
		id = time.Duration(*uc.IdTokenValidity) * unit(units.IdToken, time.Hour)
	}
	if uc.RefreshTokenValidity != 0 {
		refresh = time.Duration(uc.RefreshTokenValidity) * unit(units.RefreshToken, 24*time.Hour)
	}
	return access, id, refresh
}

// poolOf returns the pool of app client id, listing cognito-local's pools
// and their clients when it is not known yet.
func (f *Front) poolOf(ctx context.Context, id string) (string, error) {
	f.mu.Lock()
	pool, ok := f.clients[id]
	f.mu.Unlock()
	if ok {
		return pool, nil
	}
	pools, err := f.idp.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		return "", fmt.Errorf("list the user pools of cognito-local: %w", err)
	}
	found := map[string]string{}
	for _, p := range pools.UserPools {
		cs, err := f.idp.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(60)})
		if err != nil {
			return "", fmt.Errorf("list the app clients of pool %s in cognito-local: %w", aws.ToString(p.Id), err)
		}
		for _, c := range cs.UserPoolClients {
			found[aws.ToString(c.ClientId)] = aws.ToString(p.Id)
		}
	}
	f.mu.Lock()
	maps.Copy(f.clients, found)
	f.mu.Unlock()
	if pool, ok := found[id]; ok {
		return pool, nil
	}
	return "", &Error{"ResourceNotFoundException", "User pool client " + id + " does not exist."}
}

// user is what the front needs of a user.
type user struct {
	name, status string
	enabled      bool
	attributes   map[string]string
}

// user reads the user that username names (their username, or an alias
// such as their email address) from cognito-local; nil when there is
// none.
func (f *Front) user(ctx context.Context, pool, username string) (*user, error) {
	out, err := f.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
	if apiCode(err) == "UserNotFoundException" {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the user from cognito-local: %w", err)
	}
	u := &user{name: aws.ToString(out.Username), status: string(out.UserStatus), enabled: out.Enabled, attributes: map[string]string{}}
	for _, a := range out.UserAttributes {
		u.attributes[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if u.status != "" {
		u.attributes["cognito:user_status"] = u.status
	}
	return u, nil
}

// groups returns the names of the user's groups.
func (f *Front) groups(ctx context.Context, pool string, u *user) ([]string, error) {
	out, err := f.idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String(u.name)})
	if err != nil {
		return nil, fmt.Errorf("read the user's groups from cognito-local: %w", err)
	}
	var names []string
	for _, g := range out.Groups {
		names = append(names, aws.ToString(g.GroupName))
	}
	return names, nil
}

// apiCode returns the error code of a modelled API error, or "".
func apiCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// cognitoError returns the client's error for an error of the loop:
// Cognito's own, or InvalidParameterException for a challenge the local
// stack does not run.
func cognitoError(err error) (*Error, bool) {
	var ce *triggertest.CognitoError
	if errors.As(err, &ce) {
		return &Error{string(ce.Exception), ce.Message}, true
	}
	if errors.Is(err, triggertest.ErrNotSimulated) {
		return &Error{"InvalidParameterException", "Define auth challenge named a challenge the local stack does not run in CUSTOM_AUTH: it runs CUSTOM_CHALLENGE only (see docs/local.md)."}, true
	}
	return nil, false
}

// preAuthentication runs the pool's pre authentication function, when it
// binds one, before the first challenge: with the InitiateAuth
// ClientMetadata as validationData, and userNotFound for a user who does
// not exist. Its error stops the sign-in.
func (f *Front) preAuthentication(ctx context.Context, c *appClient, u *user, given string, in *request) error {
	h, err := f.cfg.Function(ctx, c.pool, trigger.KindPreAuthentication)
	if err != nil || h == nil {
		return err
	}
	ev := trigger.PreAuthenticationEvent{
		Header:  f.header(trigger.SourcePreAuthentication, c.pool, given, in.sdk, c.id),
		Request: trigger.PreAuthenticationRequest{UserAttributes: trigger.Attributes{}, ValidationData: in.ClientMetadata, UserNotFound: u == nil},
	}
	if u != nil {
		ev.Header.UserName, ev.Request.UserAttributes = u.name, maps.Clone(u.attributes)
	}
	var out trigger.PreAuthenticationEvent
	return f.invoke(ctx, h, trigger.KindPreAuthentication, &ev, &out)
}

// postAuthentication runs the pool's post authentication function, when
// it binds one, once the sign-in succeeded and before the tokens are made,
// as cognito-local does for its flows. Its error fails the sign-in.
func (f *Front) postAuthentication(ctx context.Context, s *signIn, metadata map[string]string) error {
	h, err := f.cfg.Function(ctx, s.client.pool, trigger.KindPostAuthentication)
	if err != nil || h == nil {
		return err
	}
	ev := trigger.PostAuthenticationEvent{
		Header:  f.header(trigger.SourcePostAuthentication, s.client.pool, s.user.name, s.sdk, s.client.id),
		Request: trigger.PostAuthenticationRequest{UserAttributes: maps.Clone(s.user.attributes), ClientMetadata: metadata},
	}
	var out trigger.PostAuthenticationEvent
	return f.invoke(ctx, h, trigger.KindPostAuthentication, &ev, &out)
}
