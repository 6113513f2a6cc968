package customsender

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// MaxCiphertext is the largest code accepted, in bytes once decoded. A
// code Cognito encrypts is about 500 to 700 bytes (one encrypted data key,
// a signature); the limit keeps a forged event from making the Encryption
// SDK read megabytes.
const MaxCiphertext = 16 << 10

// ErrCiphertext is wrapped by the errors about a code that is not AWS
// Encryption SDK ciphertext at all: retrying cannot help.
var ErrCiphertext = errors.New("the code is not AWS Encryption SDK ciphertext")

// The smallest possible message: a version 1 header without encryption
// context or data keys is longer than this, so a shorter code cannot be one.
const minCiphertext = 64

// algorithmSuites are the suite IDs of the AWS Encryption SDK message
// format, by message format version.
var algorithmSuites = map[byte][]uint16{
	1: {0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378},
	2: {0x0478, 0x0578},
}

// DecodeCiphertext decodes the code of a custom sender event, standard
// base64 as Cognito sends it, and checks that it starts like an AWS
// Encryption SDK message (format version 1 or 2, a known algorithm suite)
// of a plausible size, before any call to KMS. The error wraps
// [ErrCiphertext] and never repeats the code.
func DecodeCiphertext(code string) ([]byte, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, fmt.Errorf("%w: it is empty", ErrCiphertext)
	}
	if base64.StdEncoding.DecodedLen(len(code)) > MaxCiphertext {
		return nil, fmt.Errorf("%w: it is longer than %d bytes", ErrCiphertext, MaxCiphertext)
	}
	b, err := base64.StdEncoding.DecodeString(code)
	if err != nil {
		return nil, fmt.Errorf("%w: it is not standard base64", ErrCiphertext)
	}
	if len(b) < minCiphertext {
		return nil, fmt.Errorf("%w: %d bytes is too short for a message", ErrCiphertext, len(b))
	}
	version := b[0]
	suites, ok := algorithmSuites[version]
	if !ok {
		return nil, fmt.Errorf("%w: message format version %#02x, want 0x01 or 0x02", ErrCiphertext, version)
	}
	at := 1
	if version == 1 {
		if b[1] != 0x80 {
			return nil, fmt.Errorf("%w: message type %#02x, want 0x80", ErrCiphertext, b[1])
		}
		at = 2
	}
	suite := uint16(b[at])<<8 | uint16(b[at+1])
	for _, s := range suites {
		if s == suite {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%w: unknown algorithm suite %#04x for message format version %d", ErrCiphertext, suite, version)
}
