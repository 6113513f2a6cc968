package passwordlesscore

import (
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const eventsDir = "../../events"

// t0 is the time of issue of the rounds the tests build.
var t0 = time.Unix(1_700_000_000, 0)

// newFlow returns a Flow of the default configuration changed by mod,
// with a clock set to t0.
func newFlow(tb testing.TB, mod func(*FlowConfig)) (*Flow, *triggertest.Clock) {
	tb.Helper()
	c := triggertest.NewClock(t0)
	cfg := DefaultFlowConfig()
	cfg.Now = c.Now
	if mod != nil {
		mod(&cfg)
	}
	f, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return f, c
}

// state returns the text of an email round issued at t0 with code 123456.
func state(k kind, resends int) string {
	return round{kind: k, resends: resends, channel: ChannelEmail, issuedAt: t0.Unix(), code: "123456"}.encode()
}

// decoyState is state for a decoy round.
func decoyState(k kind, resends int) string {
	return round{kind: k, resends: resends, channel: ChannelEmail, decoy: true, issuedAt: t0.Unix(), code: "123456"}.encode()
}

// entry returns a session entry.
func entry(name string, result bool, metadata string) trigger.ChallengeResult {
	return trigger.ChallengeResult{ChallengeName: name, ChallengeResult: result, ChallengeMetadata: metadata}
}

// custom returns a CUSTOM_CHALLENGE session entry.
func custom(result bool, metadata string) trigger.ChallengeResult {
	return entry(trigger.ChallengeCustom, result, metadata)
}

// Password-phase entries.
var (
	srpA       = entry(trigger.ChallengeSRPA, true, "")
	srpAFailed = entry(trigger.ChallengeSRPA, false, "")
	pv         = entry(trigger.ChallengePasswordVerifier, true, "")
	pvFailed   = entry(trigger.ChallengePasswordVerifier, false, "")
)

var resendMetadata = map[string]string{MetadataAction: ActionResend}

// jane returns the attributes of the user of the sample events.
func jane() map[string]string {
	return map[string]string{
		"sub":          "0f1e2d3c-0000-4000-8000-00000000000a",
		"email":        "jane.doe@example.com",
		"phone_number": "+15555550123",
		"locale":       "en",
	}
}

// createEvent returns a create auth challenge event for jane with the
// given session and client metadata.
func createEvent(session []trigger.ChallengeResult, md map[string]string) *trigger.CreateAuthChallengeEvent {
	ev := &trigger.CreateAuthChallengeEvent{}
	ev.TriggerSource = trigger.SourceCreateAuthChallenge
	ev.UserName = "0f1e2d3c-0000-4000-8000-00000000000a"
	ev.Request.UserAttributes = jane()
	ev.Request.ChallengeName = trigger.ChallengeCustom
	ev.Request.Session = session
	ev.Request.ClientMetadata = md
	return ev
}

// verifyEvent returns a verify event with the given round state and answer.
func verifyEvent(roundState, answer string, md map[string]string) *trigger.VerifyAuthChallengeEvent {
	ev := &trigger.VerifyAuthChallengeEvent{}
	ev.TriggerSource = trigger.SourceVerifyAuthChallenge
	ev.Request.UserAttributes = jane()
	ev.Request.PrivateChallengeParameters = map[string]string{paramRound: roundState}
	ev.Request.ChallengeAnswer = answer
	ev.Request.ClientMetadata = md
	return ev
}
