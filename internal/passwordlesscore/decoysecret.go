package passwordlesscore

import (
	"errors"
	"fmt"
	"strings"
)

// MaxSecretNameLength is the longest name of a Secrets Manager secret.
const MaxSecretNameLength = 512

// ParseDecoyKey reads a decoy key as DECOY_KEY and the SecretString of the
// secret DECOY_KEY_SECRET_ARN names hold it: at least 16 bytes, in hex or
// in standard or URL-safe base64, with surrounding white space (a final
// newline) ignored. Its error says what is wrong and never repeats s.
func ParseDecoyKey(s string) ([]byte, error) {
	return decodeKey(strings.TrimSpace(s))
}

// CheckSecretID reports whether s can name a Secrets Manager secret: an
// ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME) or a
// secret's name (1 to MaxSecretNameLength letters, digits and /_+=.@-).
// The error says which part is wrong.
func CheckSecretID(s string) error {
	if !strings.HasPrefix(s, "arn:") {
		if err := checkSecretName(s); err != nil {
			return fmt.Errorf("%q is not a secret's ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME), and as a name it %w", s, err)
		}
		return nil
	}
	parts := strings.SplitN(s, ":", 7)
	switch {
	case len(parts) >= 3 && parts[2] != "secretsmanager":
		return fmt.Errorf("%q is the ARN of a %s resource; give the ARN of a Secrets Manager secret", s, clip(parts[2]))
	case len(parts) < 7:
		return fmt.Errorf("%q is not a secret's ARN: it has %d of the 7 parts of arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME", s, len(parts))
	case parts[1] == "":
		return fmt.Errorf("%q is not a secret's ARN: the partition (aws) is empty", s)
	case parts[3] == "":
		return fmt.Errorf("%q is not a secret's ARN: the region is empty", s)
	case len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "":
		return fmt.Errorf("%q is not a secret's ARN: the account is not 12 digits", s)
	case parts[5] != "secret":
		return fmt.Errorf("%q is not a secret's ARN: the resource type is not secret", s)
	}
	if err := checkSecretName(parts[6]); err != nil {
		return fmt.Errorf("%q is not a secret's ARN: the name %w", s, err)
	}
	return nil
}

// checkSecretName checks the name of a secret, as Secrets Manager allows it.
func checkSecretName(s string) error {
	if s == "" {
		return errors.New("is empty")
	}
	if len(s) > MaxSecretNameLength {
		return fmt.Errorf("has %d characters, more than %d", len(s), MaxSecretNameLength)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+=.@-", r)) {
			return errors.New("has characters other than letters, digits and /_+=.@-")
		}
	}
	return nil
}
