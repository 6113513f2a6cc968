package passwordlesscore

import (
	"errors"
	"fmt"
	"time"

	"github.com/cognitrig/cognitrig/pkg/otp"
)

// Channel is how a code reaches the user.
type Channel string

// The channels. A [FlowConfig] may name any of the three; a round always uses
// email or SMS.
const (
	// ChannelEmail sends codes to the user's email attribute.
	ChannelEmail Channel = "email"
	// ChannelSMS sends codes to the user's phone_number attribute.
	ChannelSMS Channel = "sms"
	// ChannelAuto sends codes by email when the user has an email
	// attribute, otherwise by SMS; a resend may switch between the two.
	ChannelAuto Channel = "auto"
)

// ParseChannel returns the channel named s: "email", "sms" or "auto".
func ParseChannel(s string) (Channel, error) {
	switch c := Channel(s); c {
	case ChannelEmail, ChannelSMS, ChannelAuto:
		return c, nil
	}
	return "", fmt.Errorf("channel %q is not known; use email, sms or auto", s)
}

// Limits of a [FlowConfig].
const (
	// MaxTTL is the longest life of a code: Cognito's longest
	// AuthSessionValidity, after which the sign-in is over anyway.
	MaxTTL = 15 * time.Minute
	// MinTTL is the shortest life of a code that a person can still type
	// in time.
	MinTTL = time.Minute
	// MaxAttemptsLimit is the most wrong answers a FlowConfig may allow. Ten
	// guesses at a 6-digit code succeed once in 100,000 sign-ins.
	MaxAttemptsLimit = 10
	// MaxResendsLimit is the most resends a FlowConfig may allow.
	MaxResendsLimit = 10
)

// FlowConfig is the policy of a passwordless sign-in. Build one with
// [DefaultFlowConfig] and change what you need; [New] checks it.
type FlowConfig struct {
	// OTPLength is the number of digits of a code, from otp.MinLength (6)
	// to otp.MaxLength (10).
	OTPLength int
	// TTL is how long a code (and its magic-link token) is valid after it
	// was drawn, from MinTTL to MaxTTL.
	TTL time.Duration
	// MaxAttempts is the number of wrong answers after which the sign-in
	// fails, from 1 to MaxAttemptsLimit.
	MaxAttempts int
	// MaxResends is the number of new codes a client may ask for in one
	// sign-in, from 0 to MaxResendsLimit; one more request fails the
	// sign-in.
	MaxResends int
	// RequirePassword makes the sign-in password first (SRP_A,
	// PASSWORD_VERIFIER), then code. Without it, a session with any
	// challenge but CUSTOM_CHALLENGE fails.
	RequirePassword bool
	// Channel is how codes reach users: ChannelEmail, ChannelSMS or
	// ChannelAuto.
	Channel Channel
	// MagicLink adds a token to each round, which the email carries in a
	// link and which verify accepts in place of the code.
	MagicLink bool
	// DecoyKey, when set, keys the derivation of the masked destinations
	// shown for unknown users (see the package documentation). Without it,
	// someone who knows this package can tell a decoy from a real user
	// whose username is neither an email address nor a phone number. Use
	// at least 16 random bytes that stay the same across deployments.
	DecoyKey []byte
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DefaultFlowConfig returns the defaults of the passwordless triggers: 6-digit
// codes valid for 3 minutes, 3 wrong answers, 2 resends, no password, the
// channel chosen by the user's attributes, no magic link.
func DefaultFlowConfig() FlowConfig {
	return FlowConfig{
		OTPLength:   6,
		TTL:         3 * time.Minute,
		MaxAttempts: 3,
		MaxResends:  2,
		Channel:     ChannelAuto,
	}
}

// Check reports every field of c that is out of range, naming each.
func (c FlowConfig) Check() error {
	var errs []error
	if c.OTPLength < otp.MinLength || c.OTPLength > otp.MaxLength {
		errs = append(errs, fmt.Errorf("OTPLength %d is out of range; use %d to %d digits", c.OTPLength, otp.MinLength, otp.MaxLength))
	}
	if c.TTL < MinTTL || c.TTL > MaxTTL {
		errs = append(errs, fmt.Errorf("TTL %v is out of range; use %v to %v", c.TTL, MinTTL, MaxTTL))
	}
	if c.MaxAttempts < 1 || c.MaxAttempts > MaxAttemptsLimit {
		errs = append(errs, fmt.Errorf("MaxAttempts %d is out of range; use 1 to %d", c.MaxAttempts, MaxAttemptsLimit))
	}
	if c.MaxResends < 0 || c.MaxResends > MaxResendsLimit {
		errs = append(errs, fmt.Errorf("MaxResends %d is out of range; use 0 to %d", c.MaxResends, MaxResendsLimit))
	}
	if _, err := ParseChannel(string(c.Channel)); err != nil {
		errs = append(errs, fmt.Errorf("Channel: %w", err))
	}
	if len(c.DecoyKey) > 0 && len(c.DecoyKey) < 16 {
		errs = append(errs, fmt.Errorf("DecoyKey has %d bytes; use at least 16 random bytes, or none", len(c.DecoyKey)))
	}
	return errors.Join(errs...)
}

// allows reports whether the configuration lets codes go by ch.
func (c FlowConfig) allows(ch Channel) bool {
	return c.Channel == ChannelAuto || c.Channel == ch
}
