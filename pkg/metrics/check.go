package metrics

import (
	"fmt"
	"math"
)

// The limits of EMF and of this package.
const (
	// MaxDimensions is EMF's limit on the dimensions of a set, service
	// included.
	MaxDimensions = 30
	// MaxMetrics is EMF's limit on the metrics of one document.
	MaxMetrics = 100
	// MaxValues is EMF's limit on the values of one metric in a document.
	MaxValues = 100
	// MaxRecords is how many distinct records an invocation keeps; later
	// ones are dropped.
	MaxRecords = 200

	maxName     = 255
	maxDimName  = 64
	maxDimValue = 64
	// maxConfigValue is the longest service or function name.
	maxConfigValue = 128
	maxSnakeWord   = 40
	maxNamespace   = 255
	// maxAbs is the largest magnitude CloudWatch takes; smaller non-zero
	// magnitudes than minAbs are written as 0.
	maxAbs = 1e108
	minAbs = 1e-108
)

// metricName reports whether s is a valid metric name: 1 to 255 letters,
// digits, '_', '-' or '.', starting with a letter.
func metricName(s string) bool {
	if len(s) == 0 || len(s) > maxName || !letter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !letter(c) && !digit(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// dimName reports whether s is a valid dimension name: 1 to 64 letters,
// digits or '_', starting with a letter.
func dimName(s string) bool {
	if len(s) == 0 || len(s) > maxDimName || !letter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !letter(c) && !digit(c) && c != '_' {
			return false
		}
	}
	return true
}

// SafeValue reports whether s may be a dimension value: 1 to 64 letters,
// digits, '_', '-', '.', ':' or '/', with no run of six digits or more
// (a code, a phone number) and not shaped like a UUID (a user's sub).
func SafeValue(s string) bool {
	if len(s) == 0 || len(s) > maxDimValue {
		return false
	}
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if digit(c) {
			if run++; run >= 6 {
				return false
			}
			continue
		}
		run = 0
		if !letter(c) && c != '_' && c != '-' && c != '.' && c != ':' && c != '/' {
			return false
		}
	}
	return !uuidShaped(s)
}

// uuidShaped reports whether s holds 8-4-4-4-12 hexadecimal digits.
func uuidShaped(s string) bool {
	for i := 0; i+36 <= len(s); i++ {
		if isUUID(s[i : i+36]) {
			return true
		}
	}
	return false
}

func isUUID(s string) bool {
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !digit(c) && (c|0x20 < 'a' || c|0x20 > 'f') {
				return false
			}
		}
	}
	return true
}

// snakeWord reports whether s is a snake_case word: 1 to 40 lower-case
// letters, digits and '_', starting with a letter.
func snakeWord(s string) bool {
	if len(s) == 0 || len(s) > maxSnakeWord || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && !digit(c) && c != '_' {
			return false
		}
	}
	return true
}

// triggerName reports whether s looks like a trigger's name: 1 to 40
// letters, starting with a capital.
func triggerName(s string) bool {
	if len(s) == 0 || len(s) > 40 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !letter(s[i]) {
			return false
		}
	}
	return true
}

// CheckNamespace returns an error saying what is wrong with ns as a
// CloudWatch namespace, or nil: 1 to 255 letters, digits, spaces or
// . - _ / # :, not starting with AWS/ (reserved for AWS) or ':'.
func CheckNamespace(ns string) error {
	if ns == "" || len(ns) > maxNamespace {
		return fmt.Errorf("namespace %q is not 1 to %d characters long", clip(ns), maxNamespace)
	}
	for i := 0; i < len(ns); i++ {
		if c := ns[i]; !letter(c) && !digit(c) && c != ' ' && c != '.' && c != '-' && c != '_' && c != '/' && c != '#' && c != ':' {
			return fmt.Errorf("namespace %q has a character CloudWatch does not take; use letters, digits, spaces and . - _ / # :", clip(ns))
		}
	}
	if len(ns) >= 4 && ns[:4] == "AWS/" || ns[0] == ':' {
		return fmt.Errorf("namespace %q starts with AWS/ or ':', which CloudWatch reserves; choose another", clip(ns))
	}
	return nil
}

// CheckService returns an error saying what is wrong with s as the value
// of the service dimension, or nil: 1 to 128 letters, digits and _ - . : /.
// It is configuration, not a user's data, so that it may hold any digits.
func CheckService(s string) error {
	if !configValue(s) {
		return fmt.Errorf("service name %q is not 1 to %d letters, digits and _ - . : /", clip(s), maxConfigValue)
	}
	return nil
}

// configValue reports whether s may be the value of a dimension that
// configuration sets (service, function_name): 1 to 128 letters, digits
// and _ - . : /.
func configValue(s string) bool {
	if len(s) == 0 || len(s) > maxConfigValue {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !letter(c) && !digit(c) && c != '_' && c != '-' && c != '.' && c != ':' && c != '/' {
			return false
		}
	}
	return true
}

// finite returns v as CloudWatch takes it, and whether it takes it at all.
func finite(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > maxAbs {
		return 0, false
	}
	if math.Abs(v) < minAbs {
		return 0, true
	}
	return v, true
}

func letter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func digit(c byte) bool  { return c >= '0' && c <= '9' }

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
