package passwordlesscore

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/internal/envvar"
)

// The environment variables of the flow, which the three passwordless
// functions of a pool must share. They are a public contract: the CDK
// construct sets them, and docs/passwordless.md lists them.
const (
	EnvChannel         = "OTP_CHANNEL"
	EnvLength          = "OTP_LENGTH"
	EnvTTL             = "OTP_TTL"
	EnvMaxAttempts     = "OTP_MAX_ATTEMPTS"
	EnvMaxResends      = "OTP_MAX_RESENDS"
	EnvMagicLinkURL    = "MAGIC_LINK_URL"
	EnvRequirePassword = "REQUIRE_PASSWORD"
	EnvDecoyKey        = "DECOY_KEY"
	// EnvDecoyKeySecretARN names a Secrets Manager secret that holds the
	// decoy key, read on first need instead of DECOY_KEY, so that the key
	// is in neither the template nor the function's configuration.
	EnvDecoyKeySecretARN = "DECOY_KEY_SECRET_ARN"
)

// FlowConfigFromEnv reads the policy of the flow from the environment, over
// [DefaultFlowConfig]: OTP_CHANNEL, OTP_LENGTH, OTP_TTL, OTP_MAX_ATTEMPTS,
// OTP_MAX_RESENDS, REQUIRE_PASSWORD, MAGIC_LINK_URL (set: magic links on)
// and DECOY_KEY; docs/passwordless.md describes them. Values are trimmed.
// The error names every wrong variable.
func FlowConfigFromEnv(getenv func(string) string) (FlowConfig, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := DefaultFlowConfig()
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if v := get(EnvChannel); v != "" {
		ch, err := ParseChannel(strings.ToLower(v))
		if err != nil {
			err = envvar.Errorf(EnvChannel, "%s=%q is not a channel; use email, sms or auto", EnvChannel, v)
		}
		c.Channel = ch
		add(err)
	}
	add(intVar(get, EnvLength, &c.OTPLength, 6, 10, "digits"))
	add(intVar(get, EnvMaxAttempts, &c.MaxAttempts, 1, MaxAttemptsLimit, "wrong answers"))
	add(intVar(get, EnvMaxResends, &c.MaxResends, 0, MaxResendsLimit, "resends"))
	if v := get(EnvTTL); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			add(envvar.Errorf(EnvTTL, "%s=%q is not a duration; write one such as 3m or 90s", EnvTTL, v))
		case d < MinTTL || d > MaxTTL:
			add(envvar.Errorf(EnvTTL, "%s=%v is out of range; use %v to %v (Cognito's longest sign-in session)", EnvTTL, d, MinTTL, MaxTTL))
		default:
			c.TTL = d
		}
	}
	if v := get(EnvRequirePassword); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			add(envvar.Errorf(EnvRequirePassword, "%s=%q is not true or false", EnvRequirePassword, v))
		}
		c.RequirePassword = b
	}
	if v := get(EnvMagicLinkURL); v != "" {
		add(checkMagicLinkURL(v))
		c.MagicLink = true
	}
	if v := get(EnvDecoyKey); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			add(envvar.Errorf(EnvDecoyKey, "%s: %w", EnvDecoyKey, err))
		}
		c.DecoyKey = key
	}
	if err := errors.Join(errs...); err != nil {
		return FlowConfig{}, err
	}
	return c, nil
}

// intVar parses the integer variable name into *dst, when it is set.
func intVar(get func(string) string, name string, dst *int, lo, hi int, what string) error {
	v := get(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return envvar.Errorf(name, "%s=%q is out of range; use %d to %d %s", name, v, lo, hi, what)
	}
	*dst = n
	return nil
}

// checkMagicLinkURL accepts an https address without a fragment, or an
// http one on the local machine (for development).
func checkMagicLinkURL(s string) error {
	u, err := url.Parse(s)
	local := u != nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return envvar.Errorf(EnvMagicLinkURL, "%s=%q is not an absolute address; use the page of your app that finishes a sign-in, such as https://app.example.com/sign-in", EnvMagicLinkURL, s)
	case u.Scheme != "https" && !(u.Scheme == "http" && local):
		return envvar.Errorf(EnvMagicLinkURL, "%s=%q must use https (http only for localhost): the link carries a sign-in secret", EnvMagicLinkURL, s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return envvar.Errorf(EnvMagicLinkURL, "%s=%q has a fragment (#...); the token goes there, so leave it out", EnvMagicLinkURL, s)
	case u.User != nil:
		return envvar.Errorf(EnvMagicLinkURL, "%s has a user name or password in it; remove them", EnvMagicLinkURL)
	case strings.ContainsAny(s, " \"'<>\\") || !printable(s):
		return envvar.Errorf(EnvMagicLinkURL, "%s=%q has characters an address cannot have; percent-encode them", EnvMagicLinkURL, s)
	}
	return nil
}

// decodeKey reads a key in hex or in standard or URL-safe base64.
func decodeKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil {
		return checkKey(b)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return checkKey(b)
		}
	}
	return nil, errors.New("not hex or base64; generate one with: openssl rand -hex 32")
}

func checkKey(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("has %d bytes; use at least 16 random bytes (openssl rand -hex 32)", len(b))
	}
	return b, nil
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}
