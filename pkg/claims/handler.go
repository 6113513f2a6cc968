package claims

import (
	"context"
	"slices"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Customizer is the pre token generation trigger of a [Config]: its
// methods are the handlers of version 1 and of version 2/3 events. It is
// safe for concurrent use.
type Customizer struct {
	cfg Config
}

// New returns the Customizer of cfg, after [Config.Check]. An unconfigured
// cfg gives handlers that return every event as it came.
func New(cfg Config) (*Customizer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	return &Customizer{cfg: cfg}, nil
}

// HandleV1 handles a version 1 event, to pass to
// trigger.PreTokenGeneration. It changes ID-token claims only: scopes that
// the user's groups would add are logged as not applied.
func (c *Customizer) HandleV1(ctx context.Context, ev *trigger.PreTokenGenerationEvent) error {
	req := &ev.Request
	d := c.decide(ctx, Request{Source: ev.TriggerSource, UserAttributes: req.UserAttributes, Groups: req.GroupConfiguration.GroupsToOverride})
	if !d.Changes() {
		return nil
	}
	o := ensure(&ev.Response.ClaimsOverrideDetails)
	o.ClaimsToAddOrOverride = addClaims(o.ClaimsToAddOrOverride, d.IDClaims)
	o.ClaimsToSuppress = append(o.ClaimsToSuppress, d.SuppressID...)
	if o.GroupOverrideDetails == nil {
		o.GroupOverrideDetails = keepGroups(req.GroupConfiguration)
	}
	return nil
}

// HandleV2 handles a version 2 or 3 event, to pass to
// trigger.PreTokenGenerationV2. Claims are added as strings, the type of
// the attributes they come from.
func (c *Customizer) HandleV2(ctx context.Context, ev *trigger.PreTokenGenerationV2Event) error {
	req := &ev.Request
	d := c.decide(ctx, Request{Source: ev.TriggerSource, AccessToken: true, UserAttributes: req.UserAttributes,
		Groups: req.GroupConfiguration.GroupsToOverride, Scopes: req.Scopes})
	if !d.Changes() {
		return nil
	}
	o := ensure(&ev.Response.ClaimsAndScopeOverrideDetails)
	if len(d.IDClaims) > 0 || len(d.SuppressID) > 0 {
		id := ensure(&o.IDTokenGeneration)
		id.ClaimsToAddOrOverride = addClaims(id.ClaimsToAddOrOverride, d.IDClaims)
		id.ClaimsToSuppress = append(id.ClaimsToSuppress, d.SuppressID...)
	}
	if len(d.AddScopes) > 0 {
		at := ensure(&o.AccessTokenGeneration)
		at.ScopesToAdd = append(at.ScopesToAdd, d.AddScopes...)
	}
	if o.GroupOverrideDetails == nil {
		o.GroupOverrideDetails = keepGroups(req.GroupConfiguration)
	}
	return nil
}

// decide decides for one event and logs what was not done, with counts
// only: neither attribute values nor the user's groups reach the log.
func (c *Customizer) decide(ctx context.Context, r Request) Decision {
	d := c.cfg.Decide(r)
	log := trigger.Logger(ctx)
	if d.Overflow != nil {
		log.Warn("tokens left unchanged: a token would hold more claims and scopes than Cognito allows",
			"token_kind", d.Overflow.Token, "count", d.Overflow.Count, "limit", MaxClaimsAndScopes)
	}
	if d.UnappliedScopes > 0 {
		log.Warn("scopes not added: version 1 events cannot change the access token; set the pool's pre token generation LambdaVersion to V2_0 or V3_0",
			"variable", EnvAccessTokenScopesByGroup, "scopes", d.UnappliedScopes)
	}
	if d.Changes() {
		log.Debug("tokens customized", "claims", len(d.IDClaims), "suppressed", len(d.SuppressID), "scopes", len(d.AddScopes))
	}
	return d
}

// ensure returns *p, after pointing it at a new T when it is nil: the
// response members a handler fills start as null.
func ensure[T any](p **T) *T {
	if *p == nil {
		*p = new(T)
	}
	return *p
}

// addClaims sets claims in dst, which it makes when it is nil and there
// are claims, and returns it. V is string for version 1 responses and any
// for version 2/3, whose claims may be of any JSON type.
func addClaims[V any](dst map[string]V, claims map[string]string) map[string]V {
	if len(claims) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]V, len(claims))
	}
	for k, v := range claims {
		dst[k] = any(v).(V)
	}
	return dst
}

// keepGroups returns a group override equal to the request's group
// configuration. Cognito reads an override as the user's new groups, roles
// and preferred role, and an empty one removes them all: a copy keeps them
// whatever the response's other members change.
func keepGroups(g trigger.GroupConfiguration) *trigger.GroupConfiguration {
	keep := trigger.GroupConfiguration{
		GroupsToOverride:   slices.Clone(g.GroupsToOverride),
		IAMRolesToOverride: slices.Clone(g.IAMRolesToOverride),
	}
	if g.PreferredRole != nil {
		role := *g.PreferredRole
		keep.PreferredRole = &role
	}
	return &keep
}
