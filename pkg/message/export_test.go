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

// RenderByTemplate is Render without the template's plan: it runs the
// template.
func RenderByTemplate(s *Set, lang, name string, p Part, d Data, must ...Field) (string, error) {
	e, values, err := s.prepare(lang, name, p, d, must)
	if err != nil {
		return "", err
	}
	return s.run(e, lang, p, d, values, must)
}

// HasPlan reports whether the template of a part has a plan: it has run
// once, and can be rendered without running it again.
func HasPlan(s *Set, lang, name string, p Part) bool {
	e, ok := s.lookup(lang, name, p)
	return ok && e.readyPlan() != nil
}

// PlanVariants is the number of variants the plan of a part holds.
func PlanVariants(s *Set, lang, name string, p Part) int {
	e, ok := s.lookup(lang, name, p)
	if !ok || e.readyPlan() == nil {
		return 0
	}
	pl := e.readyPlan()
	pl.mu.RLock()
	defer pl.mu.RUnlock()
	return len(pl.variants)
}

const MaxVariants = maxVariants
