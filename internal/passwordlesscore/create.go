package passwordlesscore

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/pkg/otp"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Attribute names create reads.
const (
	attrEmail = "email"
	attrPhone = "phone_number"
)

// CreateDecision is the decision of create auth challenge: the challenge
// to present and, in a round that drew a new code for a real user, the
// message to send. Apply it with [CreateDecision.Apply]; send the message
// before returning the event, and fail the invocation if sending fails.
//
// The private challenge parameters and the challenge metadata hold the
// code: they are reachable only through Apply, and the decision prints
// without them.
type CreateDecision struct {
	// Reason is ReasonStart (first round), ReasonReuse (the previous
	// round's code again), ReasonResend (a new code the client asked for)
	// or ReasonExpired (a new code because the last one expired).
	Reason Reason
	// Decoy is ReasonUserNotFound or ReasonNoDestination when the round
	// can never succeed and nothing is sent; "" for a real round. A
	// handler should spend about as long on a Fresh decoy round as on a
	// real send, so that unknown users cannot be told by timing.
	Decoy Reason
	// Fresh reports whether the round drew a new code: a real user gets a
	// message in such a round.
	Fresh bool
	// Channel is the round's channel, ChannelEmail or ChannelSMS.
	Channel Channel
	// Destination is the masked address or number shown to the client.
	Destination string
	// Resends counts the resends of the sign-in so far.
	Resends int
	// Public holds the public challenge parameters: ParamChannel,
	// ParamDestination and ParamCodeLength.
	Public map[string]string
	// Delivery is the message to send, or nil when there is none: in a
	// round that reuses a code, and in every decoy round.
	Delivery *Delivery

	private  map[string]string
	metadata string
}

// Apply sets the challenge on r: the public and private challenge
// parameters and the challenge metadata.
func (d CreateDecision) Apply(r *trigger.CreateAuthChallengeResponse) {
	r.PublicChallengeParameters = d.Public
	r.PrivateChallengeParameters = d.private
	r.ChallengeMetadata = trigger.String(d.metadata)
}

// String describes the decision without its secrets.
func (d CreateDecision) String() string {
	s := fmt.Sprintf("create %s round by %s to %s, resends %d, fresh %t", d.Reason, d.Channel, d.Destination, d.Resends, d.Fresh)
	if d.Decoy != "" {
		s += ", decoy (" + string(d.Decoy) + ")"
	}
	return s
}

// GoString describes the decision without its secrets.
func (d CreateDecision) GoString() string { return d.String() }

// LogValue shows the decision in a log line, without its secrets.
func (d CreateDecision) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 7) // one allocation, whatever is set
	attrs = append(attrs,
		slog.String("reason", string(d.Reason)),
		slog.String("channel", string(d.Channel)),
		slog.String("destination", d.Destination),
		slog.Int("resends", d.Resends),
		slog.Bool("fresh", d.Fresh),
		slog.Bool("send", d.Delivery != nil),
	)
	if d.Decoy != "" {
		attrs = append(attrs, slog.String("decoy", string(d.Decoy)))
	}
	return slog.GroupValue(attrs...)
}

// Delivery is a message to send: a code, and with magic links a token, to
// an email address or phone number. It holds secrets and personal data, so
// it prints masked through fmt and log/slog; read its fields to send it.
type Delivery struct {
	// Channel is ChannelEmail or ChannelSMS.
	Channel Channel
	// To is the user's email address or phone number, unmasked.
	To string
	// Code is the code, a secret.
	Code string
	// Token is the magic-link token, a secret; "" unless FlowConfig.MagicLink.
	Token string
	// ExpiresAt is when the code and token stop being accepted.
	ExpiresAt time.Time
	// Resend reports whether the client asked for this code.
	Resend bool
}

// String describes the message without its secrets, with To masked.
func (d Delivery) String() string {
	return fmt.Sprintf("%s to %s, code [REDACTED], expires %s", d.Channel, mask(d.Channel, d.To), d.ExpiresAt.UTC().Format(time.RFC3339))
}

// GoString describes the message without its secrets.
func (d Delivery) GoString() string { return d.String() }

// LogValue shows the message in a log line, without its secrets.
func (d Delivery) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("channel", string(d.Channel)),
		slog.String("to", mask(d.Channel, d.To)),
		slog.Bool("link", d.Token != ""),
		slog.Time("expires_at", d.ExpiresAt),
		slog.Bool("resend", d.Resend),
	)
}

// Create prepares the CUSTOM_CHALLENGE round that define asked for. It
// never changes ev; apply the decision with [CreateDecision.Apply].
//
// The first round draws a code (and a token with magic links) and picks
// the channel. A later round reuses the previous round's code until it
// expires, and draws a new one when it has expired or when the client
// asked for a resend (which may switch the channel to another the
// configuration allows and the user has). Rounds of an unknown user, and
// of a user who has no destination the configuration allows, are decoys:
// the same public parameters with a plausible masked destination derived
// from the username, and nothing to send.
//
// A user with no destination is told so by a [trigger.Deny] error when
// FlowConfig.RequirePassword is set, since the password has then shown that
// the user exists. Other errors are internal: a challenge other than
// CUSTOM_CHALLENGE, or a session whose round state cannot be read.
func (f *Flow) Create(ev *trigger.CreateAuthChallengeEvent) (CreateDecision, error) {
	req := &ev.Request
	if req.ChallengeName != trigger.ChallengeCustom {
		return CreateDecision{}, fmt.Errorf("authflow: create auth challenge was asked for %s; it creates only %s", clip(req.ChallengeName), trigger.ChallengeCustom)
	}
	prev, hasPrev, err := lastRound(req.Session)
	if err != nil {
		return CreateDecision{}, fmt.Errorf("authflow: %w", err)
	}
	now := f.now()

	d := CreateDecision{Reason: ReasonStart, Fresh: true}
	r := round{kind: kindNew}
	var requested Channel
	if hasPrev {
		r = prev
		if resendRequested(req.ClientMetadata) {
			r.kind, r.resends = kindResend, prev.resends+1
			d.Reason = ReasonResend
			requested = Channel(req.ClientMetadata[MetadataChannel])
		} else {
			r.kind = kindRetry
			d.Reason, d.Fresh = ReasonReuse, false
			if otp.Expired(prev.issued(), now, f.cfg.TTL) {
				d.Reason, d.Fresh = ReasonExpired, true
			}
		}
	}
	if r.resends > f.cfg.MaxResends {
		return CreateDecision{}, fmt.Errorf("authflow: the client asked for %d resends, more than the %d allowed; define must fail such a sign-in", r.resends, f.cfg.MaxResends)
	}

	// Channel and destination.
	switch {
	case req.UserNotFound:
		d.Decoy = ReasonUserNotFound
	case hasPrev && prev.decoy:
		d.Decoy = ReasonNoDestination
	}
	var to string
	if d.Decoy == "" {
		var ok bool
		r.channel, to, ok = f.destination(req.UserAttributes, r.channel, requested)
		switch {
		case ok:
		case hasPrev:
			return CreateDecision{}, fmt.Errorf("authflow: the user's %s attribute is gone since the previous round", attribute(r.channel))
		case f.cfg.RequirePassword:
			return CreateDecision{}, trigger.Deny("We cannot send you a sign-in code: your account has no email address or phone number for it. Please contact support.")
		default:
			// Hide that the user exists: show what an unknown user sees.
			d.Decoy, r.channel = ReasonNoDestination, ""
		}
	}
	if d.Decoy != "" {
		r.decoy = true
		r.channel = f.decoyChannel(r.channel, requested)
		d.Destination = f.decoyDestination(ev.UserName, r.channel)
	} else {
		d.Destination = mask(r.channel, to)
	}

	if d.Fresh {
		if r.code, err = otp.NewCode(f.cfg.OTPLength); err != nil {
			return CreateDecision{}, fmt.Errorf("authflow: %w", err)
		}
		r.token = ""
		if f.cfg.MagicLink {
			r.token = otp.NewToken()
		}
		r.issuedAt = now.Unix()
	}
	if d.Fresh && d.Decoy == "" {
		d.Delivery = &Delivery{
			Channel:   r.channel,
			To:        to,
			Code:      r.code,
			Token:     r.token,
			ExpiresAt: r.issued().Add(f.cfg.TTL),
			Resend:    r.kind == kindResend,
		}
	}

	state := r.encode()
	d.Channel, d.Resends = r.channel, r.resends
	d.Public = map[string]string{
		ParamChannel:     string(r.channel),
		ParamDestination: d.Destination,
		ParamCodeLength:  strconv.Itoa(len(r.code)),
	}
	d.private = map[string]string{paramRound: state}
	d.metadata = state
	return d, nil
}

// lastRound returns the round state of the session's last CUSTOM_CHALLENGE
// entry, if there is one.
func lastRound(session []trigger.ChallengeResult) (round, bool, error) {
	for i := len(session) - 1; i >= 0; i-- {
		if session[i].ChallengeName != trigger.ChallengeCustom {
			continue
		}
		r, err := parseRound(session[i].ChallengeMetadata)
		if err != nil {
			return round{}, false, fmt.Errorf("session entry %d: %w", i+1, err)
		}
		return r, true, nil
	}
	return round{}, false, nil
}

// destination picks the channel and address of a real user's round:
// the requested channel when the configuration allows it and the user has
// it; else the current channel (of the previous round) when there is one;
// else, in a first round, the configured channel, or with ChannelAuto the
// email and then the phone number. ok is false when the user lacks the
// attribute.
func (f *Flow) destination(attrs map[string]string, current, requested Channel) (ch Channel, to string, ok bool) {
	if (requested == ChannelEmail || requested == ChannelSMS) && f.cfg.allows(requested) {
		if to := address(attrs, requested); to != "" {
			return requested, to, true
		}
	}
	if current != "" {
		to := address(attrs, current)
		return current, to, to != ""
	}
	if f.cfg.Channel != ChannelAuto {
		to := address(attrs, f.cfg.Channel)
		return f.cfg.Channel, to, to != ""
	}
	for _, ch := range [...]Channel{ChannelEmail, ChannelSMS} {
		if to := address(attrs, ch); to != "" {
			return ch, to, true
		}
	}
	return ChannelEmail, "", false
}

// address returns the user's attribute for ch, trimmed.
func address(attrs map[string]string, ch Channel) string {
	return strings.TrimSpace(attrs[attribute(ch)])
}

// attribute names the user attribute of ch.
func attribute(ch Channel) string {
	if ch == ChannelSMS {
		return attrPhone
	}
	return attrEmail
}

// mask hides most of an address for the client and the log.
func mask(ch Channel, to string) string {
	if ch == ChannelSMS {
		return trigger.MaskPhone(to)
	}
	return trigger.MaskEmail(to)
}
