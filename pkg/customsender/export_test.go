package customsender

// Build is New with the template folder it loads without WithMessages,
// for tests that edit the shipped templates.
var Build = build

// Trusted is trusted: whether TestGoldenVerified covers cfg.
var Trusted = trusted

// MaxTrustedAppURL is maxTrustedAppURL, the longest APP_URL trusted.
const MaxTrustedAppURL = maxTrustedAppURL

// VerifiedDigest is the digest recorded in verified.go.
const VerifiedDigest = verifiedDigest

// Checked reports whether New rendered the templates of s at start-up
// (checkTemplates).
func Checked(s *Sender) bool { return s.checked }
