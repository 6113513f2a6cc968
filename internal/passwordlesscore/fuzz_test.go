package passwordlesscore

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// fuzzConfig derives a configuration from a byte: password or not, magic
// link or not, and the limits.
func fuzzConfig(tb testing.TB, b byte) (*Flow, *triggertest.Clock) {
	return newFlow(tb, func(c *FlowConfig) {
		c.RequirePassword = b&1 != 0
		c.MagicLink = b&2 != 0
		c.MaxAttempts = 1 + int(b>>2&3) // 1 to 4
		c.MaxResends = int(b >> 4 & 3)  // 0 to 3
		c.Channel = [...]Channel{ChannelAuto, ChannelAuto, ChannelEmail, ChannelSMS}[b>>6]
	})
}

// Challenge names the fuzzers put in sessions: mostly CUSTOM_CHALLENGE.
var fuzzNames = [8]string{trigger.ChallengeCustom, trigger.ChallengeCustom, trigger.ChallengeCustom, trigger.ChallengeCustom,
	trigger.ChallengeSRPA, trigger.ChallengePasswordVerifier, "ADMIN_NO_SRP_AUTH", "SMS_MFA"}

// fuzzSession builds a session from shape, two bytes an entry. The first
// byte picks the name (bits 0-2), the result (bit 3) and the metadata
// (bits 4-5): a round state that continues the previous one as create
// would write it, such a state with one byte changed, raw, or none. The
// second byte picks a retry or a resend, a decoy, and the byte to change.
// With password set, the session starts with a successful SRP_A and
// PASSWORD_VERIFIER.
func fuzzSession(shape []byte, raw string, password bool) []trigger.ChallengeResult {
	var s []trigger.ChallengeResult
	if password {
		s = append(s, srpA, pv)
	}
	var prev *round
	for i := 0; i+1 < len(shape) && len(s) < 24; i += 2 {
		b0, b1 := shape[i], shape[i+1]
		e := trigger.ChallengeResult{ChallengeName: fuzzNames[b0&7], ChallengeResult: b0&8 != 0}
		if e.ChallengeName == trigger.ChallengeCustom {
			r := round{kind: kindNew, channel: ChannelEmail, decoy: b1&2 != 0, issuedAt: t0.Unix(), code: "123456"}
			if prev != nil {
				r = *prev
				r.kind = kindRetry
				if b1&1 != 0 {
					r.kind, r.resends = kindResend, min(r.resends+1, maxResendsField)
				}
			}
			switch b0 >> 4 & 3 {
			case 0:
				e.ChallengeMetadata = r.encode()
				prev = &r
			case 1:
				m := []byte(r.encode())
				m[int(b1>>2)%len(m)] ^= 1 + b1>>5
				e.ChallengeMetadata = string(m)
			case 2:
				e.ChallengeMetadata = raw
			}
		}
		s = append(s, e)
	}
	return s
}

// refFields splits a round state by the format's definition, to check
// decisions without the parser under test.
func refFields(s string) ([]string, bool) {
	f := strings.Split(s, ".")
	return f, len(f) == 8 && f[0] == "otp1"
}

// FuzzDefine feeds define random sessions, round states, client metadata
// and configurations. It must never panic, must set exactly one outcome,
// and must keep these rules, checked from the session itself:
//
//   - tokens only when the last entry is a CUSTOM_CHALLENGE found correct,
//     with no resend request, for a user who exists, after no earlier
//     correct answer, every custom round carrying an otp1 state and the
//     last one live, and with RequirePassword after a successful SRP_A and
//     PASSWORD_VERIFIER; without it, only custom challenges;
//   - another challenge only while the wrong answers (rounds of kind retry,
//     and the last answer unless it asked for a resend) stay below
//     MaxAttempts and the resends within MaxResends, with at most
//     MaxAttempts+MaxResends rounds; PASSWORD_VERIFIER only right after
//     SRP_A.
func FuzzDefine(f *testing.F) {
	f.Add([]byte{}, "", "", "", byte(0), false)
	f.Add([]byte{0x08, 0}, "", "", "", byte(0), false)
	f.Add([]byte{0x00, 0, 0x08, 0}, "", "", "", byte(0x04), false)
	f.Add([]byte{0x00, 1, 0x00, 1, 0x08, 0}, "", "resend", "sms", byte(0x30), false)
	f.Add([]byte{0x08, 0}, "", "", "", byte(0x01), false)
	f.Add([]byte{0x04, 0, 0x05, 0, 0x08, 0}, "", "", "", byte(0x01), false)
	f.Add([]byte{0x28, 0}, "CODE-1", "", "", byte(0), false)
	f.Add([]byte{0x18, 0x7c}, "", "", "", byte(0), false)
	f.Add([]byte{0x08, 2}, "", "", "", byte(0), true)
	f.Fuzz(func(t *testing.T, shape []byte, raw, action, channel string, cfgByte byte, userNotFound bool) {
		flow, _ := fuzzConfig(t, cfgByte)
		cfg := flow.cfg
		ev := &trigger.DefineAuthChallengeEvent{}
		ev.Request.Session = fuzzSession(shape, raw, cfg.RequirePassword && len(shape)%3 != 0)
		ev.Request.ClientMetadata = map[string]string{MetadataAction: action, MetadataChannel: channel}
		ev.Request.UserNotFound = userNotFound
		d := flow.Define(ev)

		var r trigger.DefineAuthChallengeResponse
		d.Apply(&r)
		outcomes := 0
		for _, set := range []bool{r.ChallengeName != "", r.IssueTokens != nil && *r.IssueTokens, r.FailAuthentication != nil && *r.FailAuthentication} {
			if set {
				outcomes++
			}
		}
		if outcomes != 1 {
			t.Fatalf("%d outcomes set: %+v", outcomes, r)
		}

		s := ev.Request.Session
		resend := action == ActionResend
		var customs []trigger.ChallengeResult
		for _, e := range s {
			if e.ChallengeName == trigger.ChallengeCustom {
				customs = append(customs, e)
			}
		}
		switch d.Outcome {
		case OutcomeIssue:
			last := s[len(s)-1]
			switch {
			case last.ChallengeName != trigger.ChallengeCustom || !last.ChallengeResult:
				t.Fatalf("tokens without a correct last custom challenge: %+v", s)
			case resend:
				t.Fatal("tokens on a resend request")
			case userNotFound:
				t.Fatal("tokens for an unknown user")
			case len(customs) > cfg.MaxAttempts+cfg.MaxResends:
				t.Fatalf("tokens after %d rounds", len(customs))
			}
			if f, ok := refFields(last.ChallengeMetadata); !ok || f[4] != "live" {
				t.Fatalf("tokens for a round that is not a live otp1 round")
			}
			for _, e := range customs[:len(customs)-1] {
				if e.ChallengeResult {
					t.Fatal("tokens after an earlier correct answer")
				}
			}
			for _, e := range customs {
				if _, ok := refFields(e.ChallengeMetadata); !ok {
					t.Fatal("tokens with a round state that is not otp1")
				}
			}
			wrong := 0
			for i, e := range customs {
				if f, _ := refFields(e.ChallengeMetadata); i > 0 && f[1] == "retry" {
					wrong++
				}
			}
			lastFields, _ := refFields(last.ChallengeMetadata)
			if resends, _ := strconv.Atoi(lastFields[2]); wrong >= cfg.MaxAttempts || resends > cfg.MaxResends {
				t.Fatalf("tokens after %d wrong answers and %d resends", wrong, resends)
			}
			if cfg.RequirePassword {
				if len(s) < 3 || s[0] != srpA || s[1] != pv {
					t.Fatalf("tokens without the password: %+v", s)
				}
			} else if len(customs) != len(s) {
				t.Fatalf("tokens with a password step in a passwordless flow: %+v", s)
			}
		case OutcomeChallenge:
			if d.Challenge == trigger.ChallengePasswordVerifier {
				if !cfg.RequirePassword || len(s) != 1 || s[0] != srpA {
					t.Fatalf("PASSWORD_VERIFIER after %+v", s)
				}
				return
			}
			if d.Challenge != trigger.ChallengeCustom {
				t.Fatalf("challenge %q", d.Challenge)
			}
			if len(customs)+1 > cfg.MaxAttempts+cfg.MaxResends {
				t.Fatalf("round %d allowed", len(customs)+1)
			}
			if len(customs) == 0 {
				return
			}
			wrong, resends := 0, 0
			for i, e := range customs {
				f, ok := refFields(e.ChallengeMetadata)
				if !ok {
					t.Fatal("another round after a round state that is not otp1")
				}
				if i > 0 && f[1] == "retry" {
					wrong++
				}
				if i == len(customs)-1 {
					resends, _ = strconv.Atoi(f[2])
				}
			}
			if resend {
				resends++
			} else {
				wrong++
			}
			if wrong >= cfg.MaxAttempts || resends > cfg.MaxResends {
				t.Fatalf("another round after %d wrong answers and %d resends", wrong, resends)
			}
		}
	})
}

// FuzzVerify feeds verify random answers, round states (raw, or valid and
// built from the inputs), client metadata and clocks. It must never panic,
// and an answer is correct only when, checked without the parser under
// test, the state is a live otp1 round, the user exists, the client did not
// ask for a resend, the round has not expired, and the trimmed answer is
// its code, or its token with magic links. Conversely, the round's own
// code, sent on time, is always correct.
func FuzzVerify(f *testing.F) {
	f.Add("123456", "", []byte("123456"), int64(0), byte(0x01), "")
	f.Add(" 123456\n", "", []byte("123456"), int64(60), byte(0x01), "")
	f.Add("123456", "otp1.new.0.email.live.1700000000.123456.", []byte{}, int64(0), byte(0), "")
	f.Add(testToken, "otp1.new.0.email.live.1700000000.123456."+testToken, []byte{}, int64(0), byte(0x08), "")
	f.Add("123456", "", []byte("123456"), int64(0), byte(0x01), "resend")
	f.Add("123456", "", []byte("123456"), int64(-3600), byte(0x05), "")
	f.Add("", "CODE-1", []byte{}, int64(0), byte(0), "")
	f.Fuzz(func(t *testing.T, answer, raw string, codeSrc []byte, offset int64, flags byte, action string) {
		magic := flags&8 != 0
		flow, clk := newFlow(t, func(c *FlowConfig) { c.MagicLink = magic })
		offset %= int64(2 * MaxTTL / time.Second)
		clk.Set(t0.Add(time.Duration(offset) * time.Second))

		state := raw
		if flags&1 != 0 {
			// A valid round whose code comes from codeSrc.
			n := 6 + len(codeSrc)%5
			code := make([]byte, n)
			for i := range code {
				code[i] = '0'
				if i < len(codeSrc) {
					code[i] = '0' + codeSrc[i]%10
				}
			}
			r := round{kind: kindNew, channel: ChannelEmail, decoy: flags&2 != 0, issuedAt: t0.Unix(), code: string(code)}
			if flags&16 != 0 {
				r.token = testToken
			}
			state = r.encode()
			if flags&4 != 0 {
				answer = " " + r.code + "\t"
			}
		}
		ev := verifyEvent(state, answer, map[string]string{MetadataAction: action})
		ev.Request.UserNotFound = flags&32 != 0
		d := flow.Verify(ev)
		d.Apply(&ev.Response)
		if ev.Response.AnswerCorrect == nil || *ev.Response.AnswerCorrect != d.Correct {
			t.Fatal("the verdict was not applied")
		}

		fields, ok := refFields(state)
		want := ok && fields[4] == "live" && !ev.Request.UserNotFound && action != ActionResend
		if want {
			issued, err := strconv.ParseInt(fields[5], 10, 64)
			now := clk.Now().Unix()
			want = err == nil && now-issued < int64(flow.cfg.TTL/time.Second) && issued-now <= int64(30)
		}
		a := strings.TrimSpace(answer)
		want = want && len(fields) == 8 && (a == fields[6] || (magic && fields[7] != "" && a == fields[7]))
		if d.Correct && !want {
			t.Fatalf("answer %q found correct for state %q at %+ds (%s)", answer, state, offset, d.Reason)
		}
		if want && !d.Correct && flags&1 != 0 {
			t.Fatalf("the round's own code or token was refused: %s", d.Reason)
		}
	})
}

// FuzzFlow plays whole sign-ins with random steps against a model of the
// rules: each step is a correct, wrong, stale or random answer, a resend
// (perhaps to another channel), or time passing. At every step, define's
// outcome must be the model's: tokens exactly when the answer is the
// current code or token, on time, for a real user; failure exactly when
// the wrong answers reach MaxAttempts or the resends exceed MaxResends.
func FuzzFlow(f *testing.F) {
	f.Add([]byte{0}, byte(0), false, "")
	f.Add([]byte{1, 1, 0}, byte(0x04), false, "")
	f.Add([]byte{2, 3, 2, 0}, byte(0x30), false, "")
	f.Add([]byte{4, 0, 0}, byte(0x02), false, "")
	f.Add([]byte{5, 6, 7, 0}, byte(0x02), true, "123456")
	f.Fuzz(func(t *testing.T, steps []byte, cfgByte byte, userNotFound bool, randomAnswer string) {
		flow, clk := fuzzConfig(t, cfgByte&^1) // no password: the model starts at the code
		cfg := flow.cfg
		s := newSignIn(t, flow)
		if userNotFound {
			s.userName, s.attrs, s.userNotFound = "nobody@example.com", map[string]string{}, true
		}
		s.expect(s.start(), OutcomeChallenge)
		wrong, resends := 0, 0
		var oldCodes []string
		for _, step := range steps {
			cur, err := parseRound(s.metadata)
			if err != nil {
				t.Fatal(err)
			}
			now := clk.Now()
			var answer string
			var md map[string]string
			switch step % 8 {
			case 0:
				answer = cur.code
			case 1:
				answer = "x" + cur.code
			case 2:
				md = resendMetadata
			case 3:
				md = map[string]string{MetadataAction: ActionResend, MetadataChannel: "sms"}
			case 4:
				clk.Advance(cfg.TTL)
				continue
			case 5:
				answer = cur.token
			case 6:
				if len(oldCodes) > 0 {
					answer = oldCodes[int(step>>3)%len(oldCodes)]
				}
			case 7:
				answer = randomAnswer
			}
			if step&0x80 != 0 {
				answer = " " + answer + "\n"
			}

			// The model.
			a := strings.TrimSpace(answer)
			onTime := now.Sub(cur.issued()) < cfg.TTL
			correct := !userNotFound && md == nil && onTime &&
				(a == cur.code || (cfg.MagicLink && cur.token != "" && a == cur.token))
			want := OutcomeChallenge
			switch {
			case correct:
				want = OutcomeIssue
			case md != nil:
				resends++
				if resends > cfg.MaxResends {
					want = OutcomeFail
				}
			default:
				wrong++
				if wrong >= cfg.MaxAttempts {
					want = OutcomeFail
				}
			}

			sentBefore := len(s.sent)
			got := s.answer(answer, md)
			if got != want {
				t.Fatalf("step %d (%d): got %v (%s), the model says %v after %d wrong answers and %d resends", step%8, step, got, s.reason, want, wrong, resends)
			}
			if got != OutcomeChallenge {
				return
			}
			next, err := parseRound(s.metadata)
			if err != nil {
				t.Fatal(err)
			}
			fresh := md != nil || !onTime
			if fresh && next.issuedAt != clk.Now().Unix() {
				t.Fatal("a new code was expected, the round was not issued now")
			}
			if !fresh && (next.code != cur.code || next.token != cur.token || next.issuedAt != cur.issuedAt) {
				t.Fatal("a reused round changed its code, token or time of issue")
			}
			if sent := len(s.sent) - sentBefore; sent != 0 && (userNotFound || !fresh) || sent == 0 && fresh && !userNotFound {
				t.Fatalf("%d messages sent in a round that is fresh %v, for an unknown user %v", sent, fresh, userNotFound)
			}
			if limit := 1 + cfg.MaxResends + cfg.MaxAttempts - 1; len(s.sent) > limit {
				t.Fatalf("%d messages in one sign-in, more than %d", len(s.sent), limit)
			}
			if fresh {
				oldCodes = append(oldCodes, cur.code)
			}
		}
	})
}
