package passwordlesscore

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Shapes of a masked destination, as the client sees it.
var (
	maskedEmail = regexp.MustCompile(`^[^@*]\*\*\*@[^@*]\*\*\*\.[a-z]+$`)
	maskedPhone = regexp.MustCompile(`^\+\*+[0-9]{2}$`)
)

// shape names the kind of a masked destination.
func shape(dest string) string {
	switch {
	case maskedEmail.MatchString(dest):
		return "email"
	case maskedPhone.MatchString(dest):
		return "phone"
	}
	return "other:" + dest
}

// TestDecoyChannelsAreDrawnLikeRealOnes runs the same sign-ins for
// unknown users and for real users who have both an email and a phone
// number, under every configured channel, with every username kind and
// every sequence of later rounds a client can ask for, and compares what
// the client sees in each round: channel, shape of the destination, code
// length and reason. The two distributions must be the same, or the
// channel tells an attacker which usernames exist.
func TestDecoyChannelsAreDrawnLikeRealOnes(t *testing.T) {
	usernames := []string{"jane.doe@example.com", "Kim@Example.org", "+15555550123", "+447700900123", "jane", "user_42", ""}
	requests := []map[string]string{
		nil, // a wrong answer, then another try
		resendMetadata,
		{MetadataAction: ActionResend, MetadataChannel: "sms"},
		{MetadataAction: ActionResend, MetadataChannel: "email"},
	}
	for _, ch := range []Channel{ChannelAuto, ChannelEmail, ChannelSMS} {
		f, _ := newFlow(t, func(c *FlowConfig) { c.Channel = ch })
		real, decoy := map[string]int{}, map[string]int{}
		for _, name := range usernames {
			for i, second := range requests {
				for _, unknown := range []bool{false, true} {
					ev := createEvent(nil, nil)
					if unknown {
						ev.UserName, ev.Request.UserAttributes, ev.Request.UserNotFound = name, map[string]string{}, true
					} else {
						ev.Request.UserAttributes = realUserNamed(name)
					}
					tally := real
					if unknown {
						tally = decoy
					}
					first, e := firstRound(t, f, ev, false)
					ev.Request.Session, ev.Request.ClientMetadata = []trigger.ChallengeResult{e}, second
					later := mustCreate(t, f, ev)
					for n, d := range []CreateDecision{first, later} {
						tally[fmt.Sprintf("request %d round %d: %s to %s, %s digits, %s", i, n+1,
							d.Public[ParamChannel], shape(d.Destination), d.Public[ParamCodeLength], d.Reason)]++
					}
				}
			}
		}
		if !maps.Equal(real, decoy) {
			t.Errorf("OTP_CHANNEL=%s: real users and unknown users see different rounds\nreal:  %v\ndecoy: %v",
				ch, slices.Sorted(maps.Keys(real)), slices.Sorted(maps.Keys(decoy)))
		}
	}
}

// realUserNamed returns the attributes of a real user with both an email
// and a phone number, who signs in with name (an alias when it is an
// address).
func realUserNamed(name string) map[string]string {
	attrs := jane()
	switch {
	case trigger.LooksLikeEmail(name):
		attrs["email"] = name
	case trigger.LooksLikePhone(name):
		attrs["phone_number"] = name
	}
	return attrs
}
