package passwordlesscore_test

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// TestSecretsStayOutOfTheLogs runs a sign-in with a magic link through the
// adapter at debug level, which logs whole events, with handlers that log
// their decisions, and looks for the code, the token and the round state
// in the logs.
func TestSecretsStayOutOfTheLogs(t *testing.T) {
	cfg := passwordlesscore.DefaultFlowConfig()
	cfg.MagicLink = true
	flow, err := passwordlesscore.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var outbox []passwordlesscore.Delivery
	define, create, verify := handlers(flow, &outbox, trigger.WithLogger(trigger.NewLogger(&logs, slog.LevelDebug)))

	c := invoke(create, load[trigger.CreateAuthChallengeEvent](eventsDir+"/createauth/CreateAuthChallenge_Authentication.json"))
	sent := outbox[0]
	for _, answer := range []string{sent.Code, sent.Token} {
		v := load[trigger.VerifyAuthChallengeEvent](eventsDir + "/verifyauth/VerifyAuthChallengeResponse_Authentication.json")
		v.Request.PrivateChallengeParameters, v.Request.ChallengeAnswer = c.Response.PrivateChallengeParameters, answer
		if v = invoke(verify, v); !*v.Response.AnswerCorrect {
			t.Fatal("the answer was refused")
		}
	}
	d := load[trigger.DefineAuthChallengeEvent](eventsDir + "/defineauth/DefineAuthChallenge_Authentication.right-answer.json")
	d.Request.Session[0].ChallengeMetadata = string(c.Response.ChallengeMetadata)
	if d = invoke(define, d); !*d.Response.IssueTokens {
		t.Fatal("no tokens")
	}
	// A later round, whose session repeats the round state.
	cr := load[trigger.CreateAuthChallengeEvent](eventsDir + "/createauth/CreateAuthChallenge_Authentication.json")
	cr.Request.Session = []trigger.ChallengeResult{{ChallengeName: trigger.ChallengeCustom, ChallengeMetadata: string(c.Response.ChallengeMetadata)}}
	invoke(create, cr)

	out := logs.String()
	if strings.Count(out, "\n") < 5 || !strings.Contains(out, `"decision"`) {
		t.Fatalf("expected the decisions in the log:\n%s", out)
	}
	// The code is looked for as a number of its own: timestamps are long
	// runs of digits that may hold any six.
	if regexp.MustCompile(`(^|[^0-9])` + sent.Code + `($|[^0-9])`).MatchString(out) {
		t.Errorf("the log shows the code:\n%s", out)
	}
	for name, secret := range map[string]string{
		"token": sent.Token, "round state": string(c.Response.ChallengeMetadata), "email": sent.To,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows the %s:\n%s", name, out)
		}
	}
}
