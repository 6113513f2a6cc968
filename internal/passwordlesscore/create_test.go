package passwordlesscore

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/otp"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// mustCreate runs Create and fails the test on an error.
func mustCreate(t *testing.T, f *Flow, ev *trigger.CreateAuthChallengeEvent) CreateDecision {
	t.Helper()
	d, err := f.Create(ev)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	checkCreateDecision(t, f, d)
	return d
}

// checkCreateDecision checks what every decision must satisfy: the public
// parameters have exactly their three keys and no secret, the private
// parameters and the metadata carry the same valid round, and a message
// goes out exactly in fresh real rounds.
func checkCreateDecision(t *testing.T, f *Flow, d CreateDecision) {
	t.Helper()
	if len(d.Public) != 3 || d.Public[ParamChannel] == "" || d.Public[ParamDestination] == "" || d.Public[ParamCodeLength] == "" {
		t.Errorf("public parameters %v, want exactly channel, destination and codeLength", d.Public)
	}
	if len(d.private) == 0 || d.private[paramRound] == "" {
		t.Fatal("private parameters are empty: Cognito would fail the sign-in")
	}
	if d.private[paramRound] != d.metadata {
		t.Error("private parameters and challenge metadata carry different rounds")
	}
	r, err := parseRound(d.metadata)
	if err != nil {
		t.Fatalf("create wrote a round it cannot read: %v", err)
	}
	for k, v := range d.Public {
		if strings.Contains(v, r.code) || (r.token != "" && strings.Contains(v, r.token)) {
			t.Errorf("public parameter %s holds a secret", k)
		}
	}
	if got := d.Public[ParamCodeLength]; got != fmt.Sprint(len(r.code)) {
		t.Errorf("codeLength %s for a code of %d digits", got, len(r.code))
	}
	if d.Public[ParamChannel] != string(r.channel) || d.Channel != r.channel || d.Public[ParamDestination] != d.Destination {
		t.Errorf("public parameters %v disagree with the decision (%s, %s) or the round (%s)", d.Public, d.Channel, d.Destination, r.channel)
	}
	if (d.Decoy != "") != r.decoy {
		t.Errorf("decision decoy %q, round decoy %v", d.Decoy, r.decoy)
	}
	if (r.token != "") != f.cfg.MagicLink {
		t.Errorf("round has a token: %v, magic links: %v", r.token != "", f.cfg.MagicLink)
	}
	if wantSend := d.Fresh && d.Decoy == ""; (d.Delivery != nil) != wantSend {
		t.Fatalf("delivery %v, want one: %v (fresh %v, decoy %q)", d.Delivery, wantSend, d.Fresh, d.Decoy)
	}
	if d.Delivery != nil {
		m := d.Delivery
		if m.Code != r.code || m.Token != r.token || m.Channel != r.channel || !m.ExpiresAt.Equal(r.issued().Add(f.cfg.TTL)) {
			t.Errorf("delivery disagrees with the round")
		}
		if mask(m.Channel, m.To) != d.Destination {
			t.Errorf("destination %q is not the masked %s address", d.Destination, m.Channel)
		}
	}
}

// roundOf reads the round a decision carries.
func roundOf(t *testing.T, d CreateDecision) round {
	t.Helper()
	r, err := parseRound(d.metadata)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCreateFirstRound(t *testing.T) {
	emailOnly := map[string]string{"email": "jane.doe@example.com"}
	phoneOnly := map[string]string{"phone_number": "+15555550123"}
	tests := []struct {
		name    string
		channel Channel
		attrs   map[string]string
		want    Channel
		to      string
		dest    string
		decoy   Reason
	}{
		{"auto prefers email", ChannelAuto, jane(), ChannelEmail, "jane.doe@example.com", "j***@e***.com", ""},
		{"auto falls back to the phone", ChannelAuto, phoneOnly, ChannelSMS, "+15555550123", "+*********23", ""},
		{"auto, email only", ChannelAuto, emailOnly, ChannelEmail, "jane.doe@example.com", "j***@e***.com", ""},
		{"email", ChannelEmail, jane(), ChannelEmail, "jane.doe@example.com", "j***@e***.com", ""},
		{"sms", ChannelSMS, jane(), ChannelSMS, "+15555550123", "+*********23", ""},
		{"sms, phone only", ChannelSMS, phoneOnly, ChannelSMS, "+15555550123", "+*********23", ""},
		{"auto ignores a blank email", ChannelAuto, map[string]string{"email": "  ", "phone_number": "+15555550123"}, ChannelSMS, "+15555550123", "+*********23", ""},
		{"email, but the user has a phone only", ChannelEmail, phoneOnly, ChannelEmail, "", "", ReasonNoDestination},
		{"sms, but the user has an email only", ChannelSMS, emailOnly, ChannelSMS, "", "", ReasonNoDestination},
		{"auto, no attribute at all", ChannelAuto, map[string]string{}, ChannelEmail, "", "", ReasonNoDestination},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, func(c *FlowConfig) { c.Channel = tt.channel })
			ev := createEvent(nil, nil)
			ev.Request.UserAttributes = tt.attrs
			d := mustCreate(t, f, ev)
			r := roundOf(t, d)
			if d.Reason != ReasonStart || !d.Fresh || r.kind != kindNew || r.resends != 0 || r.issuedAt != t0.Unix() {
				t.Errorf("got reason %s, fresh %v, round %+v; want a new round issued now", d.Reason, d.Fresh, r.LogValue())
			}
			if d.Channel != tt.want || d.Decoy != tt.decoy {
				t.Fatalf("got channel %s, decoy %q; want %s, %q", d.Channel, d.Decoy, tt.want, tt.decoy)
			}
			if tt.decoy != "" {
				return
			}
			if d.Delivery.To != tt.to || d.Destination != tt.dest || d.Delivery.Resend {
				t.Errorf("got delivery to %q shown as %q (resend %v), want %q shown as %q", d.Delivery.To, d.Destination, d.Delivery.Resend, tt.to, tt.dest)
			}
			if len(d.Delivery.Code) != 6 || !otp.ValidCode(d.Delivery.Code) {
				t.Errorf("code of %d characters, want 6 digits", len(d.Delivery.Code))
			}
		})
	}
}

func TestCreateCodeLengthAndMagicLink(t *testing.T) {
	for _, tt := range []struct {
		length int
		magic  bool
	}{{6, false}, {8, true}, {10, true}} {
		f, _ := newFlow(t, func(c *FlowConfig) { c.OTPLength, c.MagicLink = tt.length, tt.magic })
		d := mustCreate(t, f, createEvent(nil, nil))
		if got := d.Public[ParamCodeLength]; got != fmt.Sprint(tt.length) {
			t.Errorf("codeLength %s, want %d", got, tt.length)
		}
		if tt.magic && !otp.ValidToken(d.Delivery.Token) {
			t.Errorf("magic link on: the delivery has no valid token")
		}
	}
}

func TestCreateNoDestinationWithPasswordDenies(t *testing.T) {
	f, _ := newFlow(t, func(c *FlowConfig) { c.RequirePassword = true; c.Channel = ChannelEmail })
	ev := createEvent([]trigger.ChallengeResult{srpA, pv}, nil)
	ev.Request.UserAttributes = map[string]string{"phone_number": "+15555550123"}
	_, err := f.Create(ev)
	var denial *trigger.Denial
	if !errors.As(err, &denial) || !strings.Contains(err.Error(), "no email address or phone number") {
		t.Fatalf("got %v, want a denial that says the account has no address", err)
	}
}

// firstRound runs a first create and returns the session entry it leads
// to, with the given result.
func firstRound(t *testing.T, f *Flow, ev *trigger.CreateAuthChallengeEvent, result bool) (CreateDecision, trigger.ChallengeResult) {
	t.Helper()
	d := mustCreate(t, f, ev)
	return d, custom(result, d.metadata)
}

func TestCreateLaterRounds(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(*FlowConfig)
		attrs   map[string]string
		advance time.Duration
		md      map[string]string
		reason  Reason
		fresh   bool
		channel Channel
		kind    kind
		resends int
	}{
		{name: "reuse after a wrong answer", advance: time.Minute,
			reason: ReasonReuse, channel: ChannelEmail, kind: kindRetry},
		{name: "reuse a second before expiry", advance: 3*time.Minute - time.Second,
			reason: ReasonReuse, channel: ChannelEmail, kind: kindRetry},
		{name: "new code at expiry", advance: 3 * time.Minute,
			reason: ReasonExpired, fresh: true, channel: ChannelEmail, kind: kindRetry},
		{name: "resend", advance: time.Second, md: resendMetadata,
			reason: ReasonResend, fresh: true, channel: ChannelEmail, kind: kindResend, resends: 1},
		{name: "resend to sms", md: map[string]string{"action": "resend", "channel": "sms"},
			reason: ReasonResend, fresh: true, channel: ChannelSMS, kind: kindResend, resends: 1},
		{name: "resend to the same channel", md: map[string]string{"action": "resend", "channel": "email"},
			reason: ReasonResend, fresh: true, channel: ChannelEmail, kind: kindResend, resends: 1},
		{name: "resend to sms without a phone stays on email", attrs: map[string]string{"email": "jane.doe@example.com"}, md: map[string]string{"action": "resend", "channel": "sms"},
			reason: ReasonResend, fresh: true, channel: ChannelEmail, kind: kindResend, resends: 1},
		{name: "resend to sms when only email is allowed stays on email", mod: func(c *FlowConfig) { c.Channel = ChannelEmail }, md: map[string]string{"action": "resend", "channel": "sms"},
			reason: ReasonResend, fresh: true, channel: ChannelEmail, kind: kindResend, resends: 1},
		{name: "resend to an unknown channel stays", md: map[string]string{"action": "resend", "channel": "fax"},
			reason: ReasonResend, fresh: true, channel: ChannelEmail, kind: kindResend, resends: 1},
		{name: "a channel without a resend is ignored", md: map[string]string{"channel": "sms"},
			reason: ReasonReuse, channel: ChannelEmail, kind: kindRetry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, clk := newFlow(t, tt.mod)
			ev := createEvent(nil, nil)
			if tt.attrs != nil {
				ev.Request.UserAttributes = tt.attrs
			}
			first, e := firstRound(t, f, ev, false)
			clk.Advance(tt.advance)
			ev.Request.Session, ev.Request.ClientMetadata = []trigger.ChallengeResult{e}, tt.md
			d := mustCreate(t, f, ev)
			r, prev := roundOf(t, d), roundOf(t, first)
			if d.Reason != tt.reason || d.Fresh != tt.fresh || d.Channel != tt.channel || r.kind != tt.kind || r.resends != tt.resends || d.Resends != tt.resends {
				t.Fatalf("got %s, fresh %v, %s, kind %s, resends %d; want %s, fresh %v, %s, kind %s, resends %d",
					d.Reason, d.Fresh, d.Channel, r.kind, r.resends, tt.reason, tt.fresh, tt.channel, tt.kind, tt.resends)
			}
			if !tt.fresh && (r.code != prev.code || r.issuedAt != prev.issuedAt || r.token != prev.token) {
				t.Error("a reused round changed its code or time of issue")
			}
			if tt.fresh && r.issuedAt != clk.Now().Unix() {
				t.Error("a fresh round kept the old time of issue")
			}
			if tt.fresh && d.Delivery.Resend != (tt.kind == kindResend) {
				t.Errorf("delivery says resend %v", d.Delivery.Resend)
			}
		})
	}
}

func TestCreateKeepsTheSwitchedChannel(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := createEvent(nil, nil)
	_, e1 := firstRound(t, f, ev, false)
	ev.Request.Session, ev.Request.ClientMetadata = []trigger.ChallengeResult{e1}, map[string]string{"action": "resend", "channel": "sms"}
	d2 := mustCreate(t, f, ev)
	ev.Request.Session, ev.Request.ClientMetadata = []trigger.ChallengeResult{e1, custom(false, d2.metadata)}, nil
	d3 := mustCreate(t, f, ev)
	if d3.Channel != ChannelSMS || d3.Reason != ReasonReuse || d3.Destination != "+*********23" {
		t.Errorf("after a switch to sms, the next round is %s by %s to %s", d3.Reason, d3.Channel, d3.Destination)
	}
}

func TestCreateRefuses(t *testing.T) {
	f, _ := newFlow(t, nil)
	good := mustCreate(t, f, createEvent(nil, nil))
	tests := []struct {
		name string
		ev   func() *trigger.CreateAuthChallengeEvent
		want string
	}{
		{"another challenge", func() *trigger.CreateAuthChallengeEvent {
			ev := createEvent(nil, nil)
			ev.Request.ChallengeName = trigger.ChallengePasswordVerifier
			return ev
		}, `asked for "PASSWORD_VERIFIER"; it creates only CUSTOM_CHALLENGE`},
		{"unreadable previous round", func() *trigger.CreateAuthChallengeEvent {
			return createEvent([]trigger.ChallengeResult{custom(false, "CODE-1")}, nil)
		}, "session entry 1: round state"},
		{"more resends than allowed", func() *trigger.CreateAuthChallengeEvent {
			return createEvent([]trigger.ChallengeResult{custom(false, state(kindResend, 2))}, resendMetadata)
		}, "3 resends, more than the 2 allowed"},
		{"the address is gone", func() *trigger.CreateAuthChallengeEvent {
			ev := createEvent([]trigger.ChallengeResult{custom(false, good.metadata)}, nil)
			delete(ev.Request.UserAttributes, "email")
			return ev
		}, "the user's email attribute is gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Create(tt.ev())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if _, ok := errors.AsType[*trigger.Denial](err); ok {
				t.Errorf("an internal error is a denial: %v", err)
			}
		})
	}
}

var inventedEmail = regexp.MustCompile(`^[a-z0-9]\*\*\*@[a-z]\*\*\*\.(com|net|org|de)$`)

func TestCreateUnknownUser(t *testing.T) {
	tests := []struct {
		name     string
		channel  Channel
		username string
		want     Channel
		dest     string // "" to match inventedEmail
	}{
		{"email username", ChannelAuto, "nobody@example.com", ChannelEmail, "n***@e***.com"},
		{"email username in another case", ChannelAuto, "Nobody@Example.COM", ChannelEmail, "n***@e***.com"},
		{"phone username gets email, as a real user with both attributes", ChannelAuto, "+15555550199", ChannelEmail, ""},
		{"phone username, sms", ChannelSMS, "+15555550199", ChannelSMS, "+*********99"},
		{"phone username, email channel", ChannelEmail, "+15555550199", ChannelEmail, ""},
		{"opaque username", ChannelAuto, "someone", ChannelEmail, ""},
		{"opaque username, sms", ChannelSMS, "someone", ChannelSMS, "+*********"},
		{"empty username", ChannelAuto, "", ChannelEmail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := newFlow(t, func(c *FlowConfig) { c.Channel = tt.channel })
			ev := createEvent(nil, nil)
			ev.UserName, ev.Request.UserAttributes, ev.Request.UserNotFound = tt.username, map[string]string{}, true
			d := mustCreate(t, f, ev)
			if d.Decoy != ReasonUserNotFound || d.Delivery != nil || !d.Fresh || d.Channel != tt.want {
				t.Fatalf("got decoy %q, delivery %v, fresh %v, channel %s; want a fresh decoy by %s with nothing to send", d.Decoy, d.Delivery, d.Fresh, d.Channel, tt.want)
			}
			switch {
			case tt.dest == "" && !inventedEmail.MatchString(d.Destination):
				t.Errorf("destination %q does not look like a masked address", d.Destination)
			case tt.dest != "" && !strings.HasPrefix(d.Destination, tt.dest):
				t.Errorf("destination %q, want %q", d.Destination, tt.dest)
			}
			if again := mustCreate(t, f, ev); again.Destination != d.Destination || !maps.Equal(again.Public, d.Public) {
				t.Errorf("a second attempt shows %v, the first %v", again.Public, d.Public)
			}
		})
	}
}

func TestCreateUnknownUserLooksLikeARealOne(t *testing.T) {
	f, _ := newFlow(t, nil)
	real := mustCreate(t, f, createEvent(nil, nil))
	ev := createEvent(nil, nil)
	ev.UserName, ev.Request.UserAttributes, ev.Request.UserNotFound = "jane.doe@example.com", map[string]string{}, true
	decoy := mustCreate(t, f, ev)
	if !maps.Equal(real.Public, decoy.Public) {
		t.Errorf("an unknown user typing jane's address sees %v, jane sees %v", decoy.Public, real.Public)
	}
}

func TestCreateUnknownUserLaterRounds(t *testing.T) {
	f, clk := newFlow(t, nil)
	ev := createEvent(nil, nil)
	ev.UserName, ev.Request.UserAttributes, ev.Request.UserNotFound = "someone", map[string]string{}, true
	first, e1 := firstRound(t, f, ev, false)

	ev.Request.Session = []trigger.ChallengeResult{e1}
	reuse := mustCreate(t, f, ev)
	if reuse.Reason != ReasonReuse || reuse.Destination != first.Destination || reuse.Fresh {
		t.Errorf("second round: %v", reuse)
	}
	ev.Request.ClientMetadata = map[string]string{"action": "resend", "channel": "sms"}
	resend := mustCreate(t, f, ev)
	if resend.Reason != ReasonResend || resend.Channel != ChannelSMS || !resend.Fresh || resend.Delivery != nil {
		t.Errorf("resend to sms: %v", resend)
	}
	clk.Advance(time.Hour)
	ev.Request.ClientMetadata = nil
	expired := mustCreate(t, f, ev)
	if expired.Reason != ReasonExpired || !expired.Fresh || expired.Delivery != nil {
		t.Errorf("after expiry: %v", expired)
	}
}

func TestCreateDecoyKey(t *testing.T) {
	plain, _ := newFlow(t, nil)
	keyed, _ := newFlow(t, func(c *FlowConfig) { c.DecoyKey = []byte("0123456789abcdef0123456789abcdef") })
	// With 26×26×8 possible invented addresses, a few names must differ.
	differ := 0
	for _, name := range []string{"alpha", "bravo", "charlie", "delta"} {
		a, b := plain.decoyDestination(name, ChannelEmail), keyed.decoyDestination(name, ChannelEmail)
		if !inventedEmail.MatchString(a) || !inventedEmail.MatchString(b) {
			t.Errorf("%s: invented %q and %q", name, a, b)
		}
		if a != b {
			differ++
		}
		if name[0] != a[0] || name[0] != b[0] {
			t.Errorf("%s: invented addresses %q, %q do not start with the name's letter", name, a, b)
		}
	}
	if differ == 0 {
		t.Error("the decoy key changes no invented address")
	}
	if got := keyed.decoyDestination("nobody@example.com", ChannelEmail); got != "n***@e***.com" {
		t.Errorf("an email username is masked as it is, keyed or not: got %q", got)
	}
}

func TestCreateNoDestinationIsADecoy(t *testing.T) {
	f, _ := newFlow(t, func(c *FlowConfig) { c.Channel = ChannelSMS })
	ev := createEvent(nil, nil)
	ev.Request.UserAttributes = map[string]string{"email": "jane.doe@example.com"}
	first, e1 := firstRound(t, f, ev, false)
	if first.Decoy != ReasonNoDestination || first.Channel != ChannelSMS || first.Delivery != nil {
		t.Fatalf("first round: %v", first)
	}
	ev.Request.Session, ev.Request.ClientMetadata = []trigger.ChallengeResult{e1}, resendMetadata
	if d := mustCreate(t, f, ev); d.Decoy != ReasonNoDestination || d.Delivery != nil {
		t.Errorf("a resend of a decoy round: %v", d)
	}
}

func TestCreateOnFixtures(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := triggertest.LoadEvent[trigger.CreateAuthChallengeEvent](t, eventsDir+"/createauth/CreateAuthChallenge_Authentication.json")
	d := mustCreate(t, f, ev)
	if d.Reason != ReasonStart || d.Delivery == nil || d.Delivery.To != "jane.doe@example.com" || d.Destination != "j***@e***.com" {
		t.Errorf("first round of the fixture: %v", d)
	}
	d.Apply(&ev.Response)
	if len(ev.Response.PrivateChallengeParameters) == 0 || ev.Response.ChallengeMetadata == "" || len(ev.Response.PublicChallengeParameters) != 3 {
		t.Errorf("applied response: public %v, %d private, metadata set %v", ev.Response.PublicChallengeParameters, len(ev.Response.PrivateChallengeParameters), ev.Response.ChallengeMetadata != "")
	}

	second := triggertest.LoadEvent[trigger.CreateAuthChallengeEvent](t, eventsDir+"/createauth/CreateAuthChallenge_Authentication.second-round.json")
	if _, err := f.Create(second); err == nil {
		t.Error("the fixture's CODE-1 metadata was accepted")
	}
}

func TestCreateDoesNotChangeTheEvent(t *testing.T) {
	f, _ := newFlow(t, nil)
	ev := createEvent(nil, nil)
	attrs := maps.Clone(ev.Request.UserAttributes)
	_ = mustCreate(t, f, ev)
	if ev.Response.PublicChallengeParameters != nil || ev.Response.PrivateChallengeParameters != nil || ev.Response.ChallengeMetadata != "" || !maps.Equal(attrs, ev.Request.UserAttributes) {
		t.Errorf("Create changed the event")
	}
}

func TestCreateDecisionPrintsNoSecret(t *testing.T) {
	f, _ := newFlow(t, func(c *FlowConfig) { c.MagicLink = true })
	d := mustCreate(t, f, createEvent(nil, nil))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, noTime)).Info("created", "decision", d, "delivery", d.Delivery, "delivery_value", *d.Delivery)
	outs := []string{
		fmt.Sprint(d), fmt.Sprintf("%v %+v %#v", d, d, d),
		fmt.Sprint(d.Delivery), fmt.Sprintf("%v %+v %#v", *d.Delivery, *d.Delivery, *d.Delivery),
		logs.String(),
	}
	for _, out := range outs {
		for _, secret := range []string{d.Delivery.Code, d.Delivery.Token, d.metadata, "jane.doe@example.com", "+15555550123"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q shows a secret or personal data", out)
			}
		}
	}
	if !strings.Contains(logs.String(), "j***@e***.com") {
		t.Errorf("the log does not show the masked destination: %s", logs.String())
	}
}

// noTime drops the time from log lines: its digits could hold a code by
// chance.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}
