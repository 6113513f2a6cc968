package passwordless

import (
	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
)

// The configuration of the three functions lives in the SDK-free core of
// this package (internal/passwordlesscore), which the shipped define and
// verify functions import directly so that they link neither the AWS SDK
// nor the templates. The names below are that configuration: the same
// types (aliases), the same values and the same checks.

// Config is the configuration of the passwordless functions. The three
// functions of one user pool must share it: define counts the attempts and
// resends that create and verify allow, and verify accepts magic-link
// tokens only when create sends them. Its fields:
//
//   - Flow, a [FlowConfig]: the policy of the sign-in (code length and
//     life, attempts, resends, channel, password first, magic links, the
//     decoy key and the clock);
//   - AppName, AppURL: what messages call and link the app (APP_NAME,
//     APP_URL); create requires AppName;
//   - the embedded notify.Settings: how codes are sent (EMAIL_FROM,
//     SES_CONFIGURATION_SET, SMS_SENDER_ID, SMS_ORIGINATION_NUMBER,
//     SMS_ALLOWED_CALLING_CODES, SMS_ALLOW_ALL_COUNTRIES);
//   - MagicLinkURL: the page that finishes a sign-in by link, or "";
//   - ThrottleTable: the DynamoDB table of the send limits, or "", which
//     create accepts only with AllowUnlimitedSends;
//   - PoolSendLimit, a [SendLimit]: the most codes sent across the pool
//     per window (zero: [DefaultPoolSendLimit]);
//   - DecoyKeySecretARN: the Secrets Manager secret that holds the decoy
//     key (DECOY_KEY_SECRET_ARN), which create reads at its first
//     invocation (WithSecretsManager), instead of Flow.DecoyKey;
//   - AllowUnlimitedSends, AllowPredictableDecoys: the explicit choices to
//     run create without send limits or without a decoy key.
//
// Its CheckCreate method reports what create needs besides: a sender, an
// app name, a throttle table or AllowUnlimitedSends, a decoy key (or its
// secret) or AllowPredictableDecoys, and SMS countries for SMS.
type Config = core.Config

// ConfigFromEnv reads the configuration of the passwordless functions
// from the environment and checks it, naming every wrong variable and
// both variables of a contradiction. Values are trimmed. The variables
// are those of the Env constants below and of notify.SettingsFromEnv;
// docs/passwordless.md describes each. It does not require what only
// create needs; Config.CheckCreate does.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	return core.ConfigFromEnv(getenv)
}

// FlowConfig is the policy of a passwordless sign-in, Config.Flow: code
// length (OTPLength) and life (TTL), wrong answers (MaxAttempts) and
// resends (MaxResends) allowed, the Channel, RequirePassword, MagicLink,
// the DecoyKey and the clock (Now; nil means time.Now). Build one with
// [DefaultFlowConfig] and change what you need; [New] checks it, naming
// each field out of range.
type FlowConfig = core.FlowConfig

// DefaultFlowConfig returns the defaults of the passwordless functions:
// 6-digit codes valid for 3 minutes, 3 wrong answers, 2 resends, no
// password, the channel chosen by the user's attributes (ChannelAuto), no
// magic link.
func DefaultFlowConfig() FlowConfig { return core.DefaultFlowConfig() }

// Channel is how a code reaches the user: [ChannelEmail], [ChannelSMS] or
// [ChannelAuto] (OTP_CHANNEL).
type Channel = core.Channel

// The channels. A configuration may name any of the three; a round always
// uses email or SMS. ChannelEmail sends codes to the user's email
// attribute, ChannelSMS to the phone_number attribute; ChannelAuto sends
// them by email when the user has an email attribute, otherwise by SMS,
// and a resend may switch between the two.
const (
	ChannelEmail = core.ChannelEmail
	ChannelSMS   = core.ChannelSMS
	ChannelAuto  = core.ChannelAuto
)

// SendLimit is a number of sends per window, as POOL_SEND_LIMIT writes it:
// COUNT/WINDOW, such as 1000/1h. Its String method writes it back.
type SendLimit = core.SendLimit

// The bounds of POOL_SEND_LIMIT, those of package throttle's PoolLimit.
const (
	MaxPoolSendCount  = core.MaxPoolSendCount
	MinPoolSendWindow = core.MinPoolSendWindow
	MaxPoolSendWindow = core.MaxPoolSendWindow
)

// DefaultPoolSendLimit returns the pool-wide send limit of create when
// POOL_SEND_LIMIT is unset: 1000 codes per hour.
func DefaultPoolSendLimit() SendLimit { return core.DefaultPoolSendLimit() }

// ParseSendLimit reads COUNT/WINDOW: COUNT is 1 to MaxPoolSendCount, in
// ASCII digits without sign or leading zero; WINDOW a Go duration (such
// as 1h, 30m, 1h30m) from MinPoolSendWindow to MaxPoolSendWindow, in
// whole seconds. It refuses anything else, saying what is wrong.
func ParseSendLimit(s string) (SendLimit, error) { return core.ParseSendLimit(s) }

// MaxAppName is the longest APP_NAME accepted, in characters, as for the
// custom message trigger (message.MaxAppName): the SMS, which shows it,
// must stay within 140 characters.
const MaxAppName = core.MaxAppName

// The environment variables of the three functions, besides the
// notify.Settings ones. They are a public contract: the CDK construct
// sets them, and docs/passwordless.md describes each. The policy of the
// flow: OTP_CHANNEL (email, sms or auto), OTP_LENGTH (6 to 10 digits),
// OTP_TTL (1m to 15m), OTP_MAX_ATTEMPTS, OTP_MAX_RESENDS,
// MAGIC_LINK_URL (set: magic links on), REQUIRE_PASSWORD (true: password
// first, then code) and the secret that keys the destinations shown for
// unknown users: DECOY_KEY_SECRET_ARN (the ARN or name of the Secrets
// Manager secret that holds it, read by create at its first invocation)
// or DECOY_KEY (the key itself), not both. The send limits: SEND_THROTTLE_TABLE (the
// DynamoDB table of the limits per user and across the pool) and
// POOL_SEND_LIMIT (COUNT/WINDOW, read by ParseSendLimit). The explicit
// choices: ALLOW_UNLIMITED_SENDS=true runs create without the throttle
// table, so without any limit on sends; ALLOW_PREDICTABLE_DECOYS=true
// runs it without a decoy key, so that anyone can compute the
// destinations shown for unknown users and tell them from real users'.
// The app: APP_NAME (required by create) and APP_URL, in messages.
const (
	EnvChannel                = core.EnvChannel
	EnvLength                 = core.EnvLength
	EnvTTL                    = core.EnvTTL
	EnvMaxAttempts            = core.EnvMaxAttempts
	EnvMaxResends             = core.EnvMaxResends
	EnvMagicLinkURL           = core.EnvMagicLinkURL
	EnvRequirePassword        = core.EnvRequirePassword
	EnvDecoyKey               = core.EnvDecoyKey
	EnvDecoyKeySecretARN      = core.EnvDecoyKeySecretARN
	EnvThrottleTable          = core.EnvThrottleTable
	EnvPoolSendLimit          = core.EnvPoolSendLimit
	EnvAllowUnlimitedSends    = core.EnvAllowUnlimitedSends
	EnvAllowPredictableDecoys = core.EnvAllowPredictableDecoys
	EnvAppName                = core.EnvAppName
	EnvAppURL                 = core.EnvAppURL
)

// The client metadata a client sends with RespondToAuthChallenge to ask
// for a new code: {MetadataAction: ActionResend}, with any ANSWER, and
// optionally {MetadataChannel: "email" or "sms"} to switch channels.
// ActionResend is compared exactly. docs/passwordless.md shows them in use.
const (
	MetadataAction  = core.MetadataAction
	ActionResend    = core.ActionResend
	MetadataChannel = core.MetadataChannel
)

// The public challenge parameters create sends the client, a public
// contract with client apps: ParamChannel, the channel of the code
// ("email" or "sms"); ParamDestination, the masked address or number it
// went to (such as "j***@e***.com"); ParamCodeLength, its number of
// digits, in decimal.
const (
	ParamChannel     = core.ParamChannel
	ParamDestination = core.ParamDestination
	ParamCodeLength  = core.ParamCodeLength
)
