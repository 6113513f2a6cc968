package passwordlesscore

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/otp"
)

// The round state format (see the package documentation):
//
//	otp1.<kind>.<resends>.<channel>.<mode>.<issued>.<code>.<token>
const (
	// roundVersion is the first field: the format and its version. A
	// future format changes it, and this version refuses the other.
	roundVersion = "otp1"
	// roundFields is the number of '.'-separated fields.
	roundFields = 8
	// maxRoundLen is the longest valid round state: the longest value of
	// each field, and the separators.
	maxRoundLen = len(roundVersion) + len("resend") + 2 + len("email") + len("decoy") + 10 + otp.MaxLength + otp.TokenLength + roundFields - 1
	// maxResendsField bounds the resend counter a round state may carry.
	maxResendsField = 99
)

// kind says why create started a round.
type kind uint8

// The kinds of round. The zero kind is not valid.
const (
	// kindNew is the first round of a sign-in.
	kindNew kind = iota + 1
	// kindRetry follows a wrong answer.
	kindRetry
	// kindResend follows a client's request for a new code.
	kindResend
)

var kindNames = [...]string{kindNew: "new", kindRetry: "retry", kindResend: "resend"}

func (k kind) String() string {
	if k >= kindNew && k <= kindResend {
		return kindNames[k]
	}
	return "invalid"
}

// round is the state of one challenge round: what create decided, carried
// to later rounds in challengeMetadata and to verify in the private
// challenge parameters. It holds the code: it never prints.
type round struct {
	kind     kind
	resends  int     // resends asked for in the sign-in so far, this round's included
	channel  Channel // ChannelEmail or ChannelSMS
	decoy    bool    // a round that can never succeed: nothing was sent
	issuedAt int64   // when code and token were drawn, in Unix seconds
	code     string
	token    string // "" without magic links
}

// encode returns the round state in its text form. The round must be
// valid (as parseRound would return it).
func (r round) encode() string {
	mode := "live"
	if r.decoy {
		mode = "decoy"
	}
	b := make([]byte, 0, maxRoundLen)
	b = append(b, roundVersion...)
	b = append(b, '.')
	b = append(b, r.kind.String()...)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.resends), 10)
	b = append(b, '.')
	b = append(b, r.channel...)
	b = append(b, '.')
	b = append(b, mode...)
	b = append(b, '.')
	b = strconv.AppendInt(b, r.issuedAt, 10)
	b = append(b, '.')
	b = append(b, r.code...)
	b = append(b, '.')
	b = append(b, r.token...)
	return string(b)
}

// errRound prefixes every error of parseRound. The errors name the field
// that is wrong and never repeat a value, which may be a secret.
const errRound = "round state: "

// parseRound reads a round state strictly: every field must have exactly
// the form encode writes, so that encode(parseRound(s)) == s.
func parseRound(s string) (round, error) {
	if s == "" {
		return round{}, errors.New(errRound + "empty; the create auth challenge trigger of this package sets one in every round")
	}
	if len(s) > maxRoundLen {
		return round{}, fmt.Errorf(errRound+"%d bytes, longer than any valid state (%d)", len(s), maxRoundLen)
	}
	var f [roundFields]string
	rest := s
	for i := range f {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, ".")
		if ok == (i == roundFields-1) {
			if i < roundFields-1 {
				return round{}, fmt.Errorf(errRound+"%d fields, want %d", i+1, roundFields)
			}
			return round{}, fmt.Errorf(errRound+"more than %d fields", roundFields)
		}
	}
	if f[0] != roundVersion {
		return round{}, errors.New(errRound + "unknown format or version (want " + roundVersion + "); was it written by another create auth challenge trigger?")
	}
	var r round
	switch f[1] {
	case "new":
		r.kind = kindNew
	case "retry":
		r.kind = kindRetry
	case "resend":
		r.kind = kindResend
	default:
		return round{}, errors.New(errRound + "kind is not new, retry or resend")
	}
	n, ok := decimal(f[2], 2)
	if !ok || n > maxResendsField {
		return round{}, fmt.Errorf(errRound+"resend count is not a number from 0 to %d", maxResendsField)
	}
	r.resends = int(n)
	switch {
	case r.kind == kindNew && r.resends != 0:
		return round{}, errors.New(errRound + "a new round with resends")
	case r.kind == kindResend && r.resends == 0:
		return round{}, errors.New(errRound + "a resend round without resends")
	}
	switch ch := Channel(f[3]); ch {
	case ChannelEmail, ChannelSMS:
		r.channel = ch
	default:
		return round{}, errors.New(errRound + "channel is not email or sms")
	}
	switch f[4] {
	case "live":
	case "decoy":
		r.decoy = true
	default:
		return round{}, errors.New(errRound + "mode is not live or decoy")
	}
	if r.issuedAt, ok = decimal(f[5], 10); !ok || r.issuedAt == 0 {
		return round{}, errors.New(errRound + "time of issue is not a positive number of seconds")
	}
	if r.code = f[6]; !otp.ValidCode(r.code) {
		return round{}, fmt.Errorf(errRound+"code is not %d to %d digits", otp.MinLength, otp.MaxLength)
	}
	if r.token = f[7]; r.token != "" && !otp.ValidToken(r.token) {
		return round{}, fmt.Errorf(errRound+"token is not %d characters of URL-safe base64", otp.TokenLength)
	}
	return r, nil
}

// decimal parses s as a number of at most digits decimal digits, written
// without sign or leading zeros.
func decimal(s string, digits int) (int64, bool) {
	if s == "" || len(s) > digits || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// issued returns the round's time of issue.
func (r round) issued() time.Time { return time.Unix(r.issuedAt, 0) }

// secret returns what verify checks an answer against; the token only
// when magic links are on.
func (r round) secret(magicLink bool) otp.Secret {
	s := otp.Secret{Code: r.code, IssuedAt: r.issued()}
	if magicLink {
		s.Token = r.token
	}
	return s
}

// String hides the round, which holds the code.
func (r round) String() string { return "round(" + r.kind.String() + ", [REDACTED])" }

// GoString hides the round from %#v.
func (r round) GoString() string { return r.String() }

// LogValue shows only what is not secret.
func (r round) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", r.kind.String()),
		slog.Int("resends", r.resends),
		slog.String("channel", string(r.channel)),
		slog.Bool("decoy", r.decoy),
		slog.Int64("issued_at", r.issuedAt),
	)
}
