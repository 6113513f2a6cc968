package metrics

// DefaultNamespace and DefaultService are the namespace and the service
// dimension of metrics when POWERTOOLS_METRICS_NAMESPACE and
// POWERTOOLS_SERVICE_NAME are unset.
const (
	DefaultNamespace = "cognitrig"
	DefaultService   = "cognitrig"
)

// The environment variables of the metrics, with the names of Powertools
// for AWS Lambda: the namespace, the service dimension, and "true" to
// write no metrics. trigger.OptionsFromEnv reads them; the CDK construct
// sets them.
const (
	EnvNamespace = "POWERTOOLS_METRICS_NAMESPACE"
	EnvService   = "POWERTOOLS_SERVICE_NAME"
	EnvDisabled  = "POWERTOOLS_METRICS_DISABLED"
)

// The names of the metrics cognitrig writes: its catalog. Each comment
// gives the unit and the dimensions besides service.
const (
	// ColdStart (Count; function_name) is written once per process, at
	// its first invocation, in a document of its own.
	ColdStart = "ColdStart"
	// Duration (Milliseconds; trigger) is how long the adapter took on an
	// invocation, as in its log line.
	Duration = "Duration"
	// Errors (Count; trigger, kind) counts invocations that failed; kind
	// is one of the Kind values.
	Errors = "Errors"
	// Denials (Count; trigger) counts invocations that refused with a
	// message for the user (a trigger.Denial). They are not Errors, but
	// Lambda counts them among the function's errors: the construct's
	// error alarm subtracts them.
	Denials = "Denials"

	// SignUpsAllowed (Count) counts sign-ups the pre sign-up function let
	// go on.
	SignUpsAllowed = "SignUpsAllowed"
	// SignUpsRefused (Count; reason) counts sign-ups it refused.
	SignUpsRefused = "SignUpsRefused"
	// FederatedLinked (Count) counts federated users linked to the native
	// user with the same email.
	FederatedLinked = "FederatedLinked"
	// FederatedNotLinked (Count; reason) counts federated first sign-ins
	// that were not linked.
	FederatedNotLinked = "FederatedNotLinked"

	// MessagesRendered (Count) counts custom message events for which the
	// function wrote a message.
	MessagesRendered = "MessagesRendered"
	// MessageFallbacks (Count; reason) counts messages the function left
	// to Cognito, or wrote in the fallback language or without the link.
	MessageFallbacks = "MessageFallbacks"

	// CodesSent (Count; channel) counts codes delivered to a user.
	CodesSent = "CodesSent"
	// ThrottleHits (Count; scope) counts sends refused by a send limit.
	ThrottleHits = "ThrottleHits"
	// AnswersRight (Count) counts right answers to a challenge.
	AnswersRight = "AnswersRight"
	// AnswersWrong (Count) counts wrong answers to a challenge.
	AnswersWrong = "AnswersWrong"
	// AnswersExpired (Count) counts answers given after the code expired.
	AnswersExpired = "AnswersExpired"
	// AnswersExhausted (Count) counts sign-ins that ran out of attempts.
	AnswersExhausted = "AnswersExhausted"
	// DecoysServed (Count) counts decoy challenges served for unknown
	// users.
	DecoysServed = "DecoysServed"
)

// The names of the dimensions of the catalog.
const (
	// DimService is on every metric: the service name.
	DimService = "service"
	// DimFunctionName is the Lambda function's name, on ColdStart.
	DimFunctionName = "function_name"
	// DimTrigger is the trigger, such as PreSignUp.
	DimTrigger = "trigger"
	// DimKind is the kind of an error: one of the Kind values.
	DimKind = "kind"
	// DimReason says why: one of the Reason values of the metric.
	DimReason = "reason"
	// DimChannel is how a code went out: ChannelEmail or ChannelSMS.
	DimChannel = "channel"
	// DimScope is the send limit that was hit: ScopeUser or ScopePool.
	DimScope = "scope"
)

// The values of the kind dimension of Errors: the outcomes of the
// invocation log line that are failures.
const (
	KindInvalidEvent = "invalid_event"
	KindError        = "error"
	KindTimeout      = "timeout"
	KindPanic        = "panic"
	KindUnrouted     = "unrouted"
)

// The values of the channel dimension of CodesSent.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// The values of the scope dimension of ThrottleHits.
const (
	ScopeUser = "user"
	ScopePool = "pool"
)

// The reasons of SignUpsRefused.
const (
	ReasonInvalidEmail     = "invalid_email"
	ReasonInvalidPhone     = "invalid_phone"
	ReasonEmailRequired    = "email_required"
	ReasonDomainBlocked    = "domain_blocked"
	ReasonDomainNotAllowed = "domain_not_allowed"
	// ReasonSeveralAccounts: a federated sign-in whose email belongs to
	// several accounts, which cannot be linked, is refused.
	ReasonSeveralAccounts = "several_accounts"
)

// The reasons of FederatedNotLinked.
const (
	// ReasonNoEmail: the identity provider gave no email.
	ReasonNoEmail = "no_email"
	// ReasonNoNativeUser: no native user has the email (a new user).
	ReasonNoNativeUser = "no_native_user"
	// ReasonSeveralNativeUsers: several native users have the email.
	ReasonSeveralNativeUsers = "several_native_users"
	// ReasonProviderUnverified: the provider does not assert the email
	// verified, and is not trusted to link without it.
	ReasonProviderUnverified = "provider_unverified"
	// ReasonNativeUnverified: the native user never verified the email.
	ReasonNativeUnverified = "native_unverified"
	// ReasonProviderUnknown: the provider cannot be told from the userName.
	ReasonProviderUnknown = "provider_unknown"
	// ReasonLinkFailed: a call to Cognito failed.
	ReasonLinkFailed = "link_failed"
)

// The reasons of MessageFallbacks.
const (
	// ReasonLanguage: the user's locale has no templates; the message is
	// written in the fallback language.
	ReasonLanguage = "language"
	// ReasonNoLink: VERIFICATION=link, but Cognito sent no link; the email
	// shows the code.
	ReasonNoLink = "no_link"
	// ReasonNoTemplate, ReasonMissingValue, ReasonNotShown, ReasonTooLong,
	// ReasonBadCharacter and ReasonTemplateFailed: a message could not be
	// rendered (see the errors of package message) and is left to Cognito.
	ReasonNoTemplate     = "no_template"
	ReasonMissingValue   = "missing_value"
	ReasonNotShown       = "not_shown"
	ReasonTooLong        = "too_long"
	ReasonBadCharacter   = "bad_character"
	ReasonTemplateFailed = "template_failed"
)

// Other replaces a value of a catalog dimension (reason, kind, channel,
// scope) that the catalog does not list for the metric.
const Other = "other"

// Redacted replaces a dimension value that may not go into a metric: one
// that is too long, has characters outside the safe set, or looks like a
// user's data.
const Redacted = "redacted"

// spec is what the catalog says of one metric.
type spec struct {
	unit Unit
	dims []string // besides service, in the order they are written
}

var (
	noDims      = []string{}
	triggerDims = []string{DimTrigger}
	errorDims   = []string{DimTrigger, DimKind}
	reasonDims  = []string{DimReason}
	channelDims = []string{DimChannel}
	scopeDims   = []string{DimScope}
	coldDims    = []string{DimFunctionName}
)

// catalog returns the spec of a metric of the catalog.
func catalog(name string) (spec, bool) {
	switch name {
	case ColdStart:
		return spec{UnitCount, coldDims}, true
	case Duration:
		return spec{UnitMilliseconds, triggerDims}, true
	case Denials:
		return spec{UnitCount, triggerDims}, true
	case Errors:
		return spec{UnitCount, errorDims}, true
	case SignUpsRefused, FederatedNotLinked, MessageFallbacks:
		return spec{UnitCount, reasonDims}, true
	case CodesSent:
		return spec{UnitCount, channelDims}, true
	case ThrottleHits:
		return spec{UnitCount, scopeDims}, true
	case SignUpsAllowed, FederatedLinked, MessagesRendered,
		AnswersRight, AnswersWrong, AnswersExpired, AnswersExhausted, DecoysServed:
		return spec{UnitCount, noDims}, true
	}
	return spec{}, false
}

// allowed reports whether value is one the catalog lists for the dimension
// dim of the metric (a metric of the catalog, or "" for a metric of the
// user's own), and whether the catalog constrains the dimension at all.
func allowed(metric, dim, value string) (ok, constrained bool) {
	switch dim {
	case DimKind:
		switch value {
		case KindInvalidEvent, KindError, KindTimeout, KindPanic, KindUnrouted:
			return true, true
		}
		return metric != Errors && snakeWord(value), true
	case DimChannel:
		switch value {
		case ChannelEmail, ChannelSMS:
			return true, true
		}
		return metric != CodesSent && snakeWord(value), true
	case DimScope:
		switch value {
		case ScopeUser, ScopePool:
			return true, true
		}
		return metric != ThrottleHits && snakeWord(value), true
	case DimTrigger:
		return triggerName(value), true
	case DimReason:
		switch metric {
		case SignUpsRefused:
			switch value {
			case ReasonInvalidEmail, ReasonInvalidPhone, ReasonEmailRequired,
				ReasonDomainBlocked, ReasonDomainNotAllowed, ReasonSeveralAccounts:
				return true, true
			}
			return false, true
		case FederatedNotLinked:
			switch value {
			case ReasonNoEmail, ReasonNoNativeUser, ReasonSeveralNativeUsers, ReasonProviderUnverified,
				ReasonNativeUnverified, ReasonProviderUnknown, ReasonLinkFailed:
				return true, true
			}
			return false, true
		case MessageFallbacks:
			switch value {
			case ReasonLanguage, ReasonNoLink, ReasonNoTemplate, ReasonMissingValue,
				ReasonNotShown, ReasonTooLong, ReasonBadCharacter, ReasonTemplateFailed:
				return true, true
			}
			return false, true
		}
		return snakeWord(value), true
	}
	return true, false
}
