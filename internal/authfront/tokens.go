package authfront

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// keyID is the kid of cognito-local's key, which its JWKS
// (/<pool>/.well-known/jwks.json) publishes.
const keyID = "CognitoLocal"

// ReadKeyFile returns the PEM key of cognito-local's key file,
// lib/keys/cognitoLocal.private.json in its package.
func ReadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read cognito-local's signing key: %w (run npm ci in tools; make local does)", err)
	}
	var k struct {
		PEM string `json:"pem"`
	}
	if err := json.Unmarshal(b, &k); err != nil || k.PEM == "" {
		return nil, fmt.Errorf("%s holds no member pem: is it cognito-local's key file?", path)
	}
	return []byte(k.PEM), nil
}

// signer signs tokens with RS256.
type signer struct{ key *rsa.PrivateKey }

func newSigner(pemKey []byte) (*signer, error) {
	block, _ := pem.Decode(pemKey)
	if block == nil {
		return nil, errors.New("authfront: KeyPEM holds no PEM block; give cognito-local's key (ReadKeyFile)")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return &signer{k}, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("authfront: KeyPEM is not an RSA private key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("authfront: KeyPEM is a %T, not an RSA private key", k)
	}
	return &signer{rk}, nil
}

// sign returns the JWT of claims.
func (s *signer) sign(claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": keyID})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + enc.EncodeToString(sig), nil
}

// tokens is the AuthenticationResult of a call.
type tokens struct {
	AccessToken  string
	ExpiresIn    int32
	IdToken      string
	RefreshToken string `json:",omitempty"`
	TokenType    string
}

// refreshed is whom the front issued a refresh token to.
type refreshed struct {
	client   *appClient
	username string
	authTime time.Time // when the user signed in
	expires  time.Time
}

// issued reports whether token is a live refresh token of the front's.
func (f *Front) issued(token string) bool {
	if token == "" {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.refresh[token]
	return ok
}

// refreshTokens answers InitiateAuth or AdminInitiateAuth with
// REFRESH_TOKEN_AUTH for a refresh token the front issued.
func (f *Front) refreshTokens(ctx context.Context, in *request) (any, error) {
	token := in.AuthParameters["REFRESH_TOKEN"]
	f.mu.Lock()
	r := f.refresh[token]
	f.mu.Unlock()
	switch {
	case r.client == nil, in.ClientID != r.client.id, in.admin && in.UserPoolID != r.client.pool:
		return nil, &Error{"NotAuthorizedException", "Invalid Refresh Token"}
	case f.cfg.Now().After(r.expires):
		return nil, &Error{"NotAuthorizedException", "Refresh Token has expired"}
	}
	c, err := f.appClient(ctx, in)
	if err != nil {
		return nil, err
	}
	u, err := f.user(ctx, c.pool, r.username)
	switch {
	case err != nil:
		return nil, err
	case u == nil:
		return nil, &Error{"NotAuthorizedException", "Refresh Token has been revoked"}
	case !u.enabled:
		return nil, &Error{"NotAuthorizedException", "User is disabled."}
	}
	t, err := f.issue(ctx, c, u, trigger.SourceTokenGenerationRefreshTokens, in.ClientMetadata, r.authTime)
	if err != nil {
		return nil, err
	}
	return tokensOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: t}, nil
}

// issue returns the tokens of user u signing in to app client c, after
// the pool's pre token generation function had its say. A sign-in
// (authTime zero) gets a refresh token too; a refresh keeps the authTime
// of the sign-in.
func (f *Front) issue(ctx context.Context, c *appClient, u *user, source trigger.Source, metadata map[string]string, authTime time.Time) (*tokens, error) {
	groups, err := f.groups(ctx, c.pool, u)
	if err != nil {
		return nil, err
	}
	override, err := f.preToken(ctx, c, u, groups, source, metadata)
	if err != nil {
		return nil, err
	}
	now := f.cfg.Now()
	refresh := authTime.IsZero()
	if refresh {
		authTime = now
	}
	iss := strings.TrimSuffix(f.cfg.Issuer, "/") + "/" + c.pool
	eventID, originJTI := newID(), newID()
	sub := u.attributes["sub"]
	base := func(use string, ttl time.Duration) map[string]any {
		return map[string]any{
			"sub": sub, "iss": iss, "origin_jti": originJTI, "event_id": eventID, "token_use": use,
			"auth_time": authTime.Unix(), "iat": now.Unix(), "exp": now.Add(ttl).Unix(), "jti": newID(),
		}
	}

	access := base("access", c.access)
	access["client_id"], access["scope"], access["username"] = c.id, "aws.cognito.signin.user.admin", u.name

	id := base("id", c.idToken)
	id["aud"], id["cognito:username"] = c.id, u.name
	for name, v := range u.attributes {
		if name == "sub" || name == "cognito:user_status" {
			continue
		}
		switch v {
		case "true", "false":
			if strings.HasSuffix(name, "_verified") {
				id[name] = v == "true"
				continue
			}
		}
		id[name] = v
	}
	if override != nil {
		if g := override.GroupOverrideDetails; g != nil {
			groups = g.GroupsToOverride
		}
		for name, v := range override.ClaimsToAddOrOverride {
			if !reserved(name) {
				id[name] = v
			}
		}
		for _, name := range override.ClaimsToSuppress {
			if !reserved(name) {
				delete(id, name)
			}
		}
	}
	if len(groups) > 0 {
		access["cognito:groups"], id["cognito:groups"] = slices.Clone(groups), slices.Clone(groups)
	}

	t := &tokens{ExpiresIn: int32(c.access / time.Second), TokenType: "Bearer"}
	if t.AccessToken, err = f.signer.sign(access); err != nil {
		return nil, err
	}
	if t.IdToken, err = f.signer.sign(id); err != nil {
		return nil, err
	}
	if refresh {
		// Opaque to the client, as Cognito's are; the front remembers it.
		b := make([]byte, 96)
		rand.Read(b) // never fails (crypto/rand)
		t.RefreshToken = base64.RawURLEncoding.EncodeToString(b)
		f.mu.Lock()
		for k, old := range f.refresh {
			if now.After(old.expires) {
				delete(f.refresh, k)
			}
		}
		f.refresh[t.RefreshToken] = refreshed{client: c, username: u.name, authTime: authTime, expires: now.Add(c.refresh)}
		f.mu.Unlock()
	}
	return t, nil
}

// reserved reports whether pre token generation may not change claim
// name, as Cognito ignores such changes.
func reserved(name string) bool {
	switch name {
	case "acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat", "identities",
		"iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use", "cognito:groups", "cognito:roles", "cognito:preferred_role":
		return true
	}
	return false
}

// preToken runs the pool's pre token generation function, when one is
// bound, with a version 1 event, and returns what it overrides.
func (f *Front) preToken(ctx context.Context, c *appClient, u *user, groups []string, source trigger.Source, metadata map[string]string) (*trigger.ClaimsOverrideDetails, error) {
	h, err := f.cfg.Function(ctx, c.pool, trigger.KindPreTokenGeneration)
	if err != nil || h == nil {
		return nil, err
	}
	ev := trigger.PreTokenGenerationEvent{
		Header: f.header(source, c.pool, u.name, "aws-sdk-unknown-unknown", c.id),
		Request: trigger.PreTokenGenerationRequest{
			UserAttributes:     maps.Clone(u.attributes),
			GroupConfiguration: trigger.GroupConfiguration{GroupsToOverride: slices.Clone(groups), IAMRolesToOverride: []string{}},
			ClientMetadata:     metadata,
		},
	}
	if ev.Request.GroupConfiguration.GroupsToOverride == nil {
		ev.Request.GroupConfiguration.GroupsToOverride = []string{}
	}
	var got trigger.PreTokenGenerationEvent
	if err := f.invoke(ctx, h, trigger.KindPreTokenGeneration, &ev, &got); err != nil {
		return nil, err
	}
	return got.Response.ClaimsOverrideDetails, nil
}

// newID returns a random UUID (version 4), as Cognito's token IDs are.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return uuidOf(b[:])
}

// uuidOf formats the first 16 bytes of b as a version 4 UUID.
func uuidOf(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}
