package message

// What the tests of package message_test need to see of the verification
// of the default templates.
var LoadVerified = loadVerified

const (
	VerifiedDigest = verifiedDigest
	MaxVerifiedURL = maxVerifiedURL
)

// IsVerified reports whether s holds templates the tests verified.
func IsVerified(s *Set) bool { return s.verified }

// TrustedWith reports whether NewCustomMessage trusts the tests' check of
// the default templates for cfg.
func TrustedWith(cfg Config) bool { return cfg.verified() }
