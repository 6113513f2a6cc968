package passwordlesscore

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// decoyLabel separates the decoy digest from any other use of the key.
const decoyLabel = "cognitrig/authflow decoy destination v1\x00"

// decoyTLDs are the top-level domains of invented addresses, weighted
// towards the most common one. Eight entries, so a byte picks evenly.
var decoyTLDs = [8]string{".com", ".com", ".com", ".com", ".com", ".net", ".org", ".de"}

// decoyAttributes are the attributes of a decoy user: an address for
// every channel, so that the configuration, a requested channel and the
// previous round decide the channel, never the username.
var decoyAttributes = map[string]string{attrEmail: "decoy", attrPhone: "decoy"}

// decoyChannel picks the channel of a decoy round by the rule of a real
// user's round ([Flow.destination]), for a user who has both an email and
// a phone number: the requested channel when the configuration allows it,
// else the current one, else the configured one, else, with ChannelAuto,
// email. An unknown username that looks like a phone number gets email
// under ChannelAuto too, as a real user with both attributes does.
func (f *Flow) decoyChannel(current, requested Channel) Channel {
	ch, _, _ := f.destination(decoyAttributes, current, requested)
	return ch
}

// decoyDestination returns the masked destination shown in a decoy round.
// It depends only on the username (without case), the channel and
// FlowConfig.DecoyKey, so every attempt for the same name looks the same. A
// username that is itself an email address or phone number is masked as
// a real user's would be; for other names, an address is invented from a
// digest of the name.
func (f *Flow) decoyDestination(username string, ch Channel) string {
	name := strings.ToLower(strings.TrimSpace(username))
	if ch == ChannelSMS && trigger.LooksLikePhone(name) {
		return trigger.MaskPhone(name)
	}
	if ch == ChannelEmail && trigger.LooksLikeEmail(name) {
		return trigger.MaskEmail(name)
	}
	sum := f.decoyDigest(name)
	if ch == ChannelSMS {
		// The shape MaskPhone gives a North American number.
		return "+*********" + string(rune('0'+sum[0]%10)) + string(rune('0'+sum[1]%10))
	}
	// Many addresses start with the username's first letter.
	first := 'a' + sum[2]%26
	if name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= '0' && name[0] <= '9') {
		first = name[0]
	}
	return string(rune(first)) + "***@" + string(rune('a'+sum[3]%26)) + "***" + decoyTLDs[sum[4]%8]
}

// decoyDigest hashes a username: HMAC-SHA256 under FlowConfig.DecoyKey, or
// plain SHA-256 without a key.
func (f *Flow) decoyDigest(name string) []byte {
	if len(f.cfg.DecoyKey) > 0 {
		m := hmac.New(sha256.New, f.cfg.DecoyKey)
		m.Write([]byte(decoyLabel))
		m.Write([]byte(name))
		return m.Sum(nil)
	}
	sum := sha256.Sum256([]byte(decoyLabel + name))
	return sum[:]
}
