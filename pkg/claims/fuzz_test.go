package claims

import (
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// configSeeds are the values of the three variables the fuzz targets
// start from.
var configSeeds = []struct{ idClaims, scopes, suppress string }{
	{"custom:tenant=tenant_id,locale", "admins=example-api/admin example-api/write;editors=example-api/write", "phone_number"},
	{"custom:tenant:tenant_id", "admins", "sub"},
	{" email = mail ,, email=contact ,", "admins=;=openid", "cognito:groups,exp"},
	{"dev:custom:plan=plan,cognito:user_status", "Équipe.Ventes=https://api.example.com/read\tx", "locale,locale"},
	{"custom:a=SUB,=x,a=b=c", "g=a a;g=b", " , "},
	{"email=e mail,x\x00y", "admins=api/a\u00a0api/b", "tenant_id"},
	{"", "", ""},
}

// FuzzParseConfig feeds random values of the three variables to the
// parser. Nothing may panic; an error names a variable; an accepted
// configuration passes Check, touches no protected claim, holds only
// valid scopes, and reads back the same from its canonical form.
func FuzzParseConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add(s.idClaims, s.scopes, s.suppress)
	}
	f.Fuzz(func(t *testing.T, idClaims, scopes, suppress string) {
		c, err := ParseConfig(idClaims, scopes, suppress)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, EnvIDTokenClaimsFromAttributes) && !strings.HasPrefix(msg, EnvAccessTokenScopesByGroup) && !strings.HasPrefix(msg, EnvSuppressClaims) {
				t.Fatalf("error %q names no variable first", msg)
			}
			return
		}
		if err := c.Check(); err != nil {
			t.Fatalf("ParseConfig accepted what Check refuses: %v", err)
		}
		for _, m := range c.IDClaims {
			if Protected(m.Claim) {
				t.Fatalf("accepted the protected claim %q", m.Claim)
			}
		}
		for _, s := range c.Suppress {
			if Protected(s) {
				t.Fatalf("accepted suppressing the protected claim %q", s)
			}
		}
		for _, g := range c.ScopesByGroup {
			for _, s := range g.Scopes {
				if !ValidScope(s) || strings.ContainsAny(s, " \t") {
					t.Fatalf("accepted the scope %q", s)
				}
			}
		}
		again, err := ParseConfig(canonical(c))
		if err != nil || !reflect.DeepEqual(again, c) {
			id, sc, su := canonical(c)
			t.Fatalf("canonical form %q %q %q reads back as %+v, %v; want %+v", id, sc, su, again, err, c)
		}
	})
}

// canonical writes a configuration back as the values of the three
// variables.
func canonical(c Config) (idClaims, scopes, suppress string) {
	var id, sc []string
	for _, m := range c.IDClaims {
		id = append(id, m.Attribute+"="+m.Claim)
	}
	for _, g := range c.ScopesByGroup {
		sc = append(sc, g.Group+"="+strings.Join(g.Scopes, " "))
	}
	return strings.Join(id, ","), strings.Join(sc, ";"), strings.Join(c.Suppress, ",")
}

// FuzzDecide feeds random configurations and events to the decision and
// to the version 2/3 handler. The rules: machine-to-machine events and
// overflowing decisions change nothing; a claim carries exactly its
// attribute's value and is never protected; added scopes come from the
// user's groups, once each, and are not in the token yet; a changed
// token stays within the limit; and whenever the response changes
// anything, the user's groups are kept.
func FuzzDecide(f *testing.F) {
	for _, s := range configSeeds {
		f.Add(s.idClaims, s.scopes, s.suppress, "custom:tenant=tenant-a;locale=en;email=jane.doe@example.com", "admins,editors", "aws.cognito.signin.user.admin", false, false)
	}
	f.Add("locale=lang", "readers=openid api/read", "", "locale=", "readers", "openid", true, true)
	f.Add("a,b=a", "g=x y z;h=z", "c", "a=1;b=2;a=3", "h,g,g", "x", true, false)
	discard := trigger.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Fuzz(func(t *testing.T, idClaims, scopes, suppress, attrs, groups, tokenScopes string, v1, m2m bool) {
		c, err := ParseConfig(idClaims, scopes, suppress)
		if err != nil {
			return
		}
		// Events are JSON, so their strings are valid UTF-8.
		attrs, groups, tokenScopes = strings.ToValidUTF8(attrs, "?"), strings.ToValidUTF8(groups, "?"), strings.ToValidUTF8(tokenScopes, "?")
		r := Request{Source: trigger.SourceTokenGenerationAuthentication, AccessToken: !v1, UserAttributes: map[string]string{}}
		if m2m {
			r.Source = trigger.SourceTokenGenerationClientCredentials
		}
		for kv := range strings.SplitSeq(attrs, ";") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				r.UserAttributes[k] = v
			}
		}
		r.Groups = strings.Split(groups, ",")
		r.Scopes = strings.Fields(tokenScopes)
		d := c.Decide(r)
		checkDecision(t, c, r, d)
		if v1 {
			return
		}
		cus, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		checkV2(t, trigger.PreTokenGenerationV2(cus.HandleV2, discard), r, d)
	})
}

func checkDecision(t *testing.T, c Config, r Request, d Decision) {
	t.Helper()
	if d.Changes() && (d.Overflow != nil || r.Source == trigger.SourceTokenGenerationClientCredentials) {
		t.Fatalf("decision %+v changes tokens of a client-credentials or overflowing request", d)
	}
	for claim, v := range d.IDClaims {
		i := slices.IndexFunc(c.IDClaims, func(m Mapping) bool { return m.Claim == claim })
		if i < 0 || Protected(claim) {
			t.Fatalf("claim %q is not configured, or protected", claim)
		}
		if got, ok := r.UserAttributes[c.IDClaims[i].Attribute]; !ok || got != v {
			t.Fatalf("claim %q = %q, attribute %q = %q (present %v)", claim, v, c.IDClaims[i].Attribute, got, ok)
		}
	}
	if !r.AccessToken && len(d.AddScopes) > 0 {
		t.Fatalf("scopes %q added by a version 1 event", d.AddScopes)
	}
	for i, s := range d.AddScopes {
		if slices.Contains(r.Scopes, s) || slices.Contains(d.AddScopes[:i], s) {
			t.Fatalf("scope %q added twice, or already in the token", s)
		}
		if !slices.ContainsFunc(c.ScopesByGroup, func(g GroupScopes) bool {
			return slices.Contains(r.Groups, g.Group) && slices.Contains(g.Scopes, s)
		}) {
			t.Fatalf("scope %q comes from none of the user's groups", s)
		}
	}
	if len(d.IDClaims)+len(d.SuppressID) > 0 && cognitoClaims+len(r.UserAttributes)+len(d.IDClaims) > MaxClaimsAndScopes {
		t.Fatalf("the ID token changes past the limit")
	}
	if len(d.AddScopes) > 0 && cognitoClaims+len(r.Scopes)+len(d.AddScopes) > MaxClaimsAndScopes {
		t.Fatalf("the access token changes past the limit")
	}
}

// checkV2 runs the request as a version 2 event through h and checks the
// response against the decision.
func checkV2(t *testing.T, h *trigger.Handler, r Request, d Decision) {
	t.Helper()
	ev := trigger.PreTokenGenerationV2Event{Header: trigger.Header{Version: "2", TriggerSource: r.Source}}
	ev.Request.UserAttributes, ev.Request.Scopes = r.UserAttributes, r.Scopes
	ev.Request.GroupConfiguration.GroupsToOverride = r.Groups
	ev.Request.GroupConfiguration.IAMRolesToOverride = []string{"arn:aws:iam::123456789012:role/Example"}
	in, err := json.Marshal(&ev)
	if err != nil {
		t.Fatal(err)
	}
	got, err := triggertest.InvokeEvent[trigger.PreTokenGenerationV2Event](t, h, in)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	o := got.Response.ClaimsAndScopeOverrideDetails
	if !d.Changes() {
		if o != nil {
			t.Fatalf("no change decided, but the response is %+v", o)
		}
		return
	}
	if o == nil || o.GroupOverrideDetails == nil {
		t.Fatalf("the response changes tokens without keeping the groups")
	}
	if g := o.GroupOverrideDetails; !slices.Equal(g.GroupsToOverride, r.Groups) || !slices.Equal(g.IAMRolesToOverride, ev.Request.GroupConfiguration.IAMRolesToOverride) || g.PreferredRole != nil {
		t.Fatalf("group override %+v, want the request's groups %q", g, r.Groups)
	}
	if len(d.AddScopes) > 0 && !slices.Equal(o.AccessTokenGeneration.ScopesToAdd, d.AddScopes) {
		t.Fatalf("scopesToAdd = %q, want %q", o.AccessTokenGeneration.ScopesToAdd, d.AddScopes)
	}
}
