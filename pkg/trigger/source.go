package trigger

import "slices"

// Kind names a user-pool trigger. The values are the member names of the
// user pool's LambdaConfig, which are also the names Cognito puts in front
// of a trigger's error message ("PreSignUp failed with error ...").
type Kind string

// The user-pool triggers.
const (
	KindPreSignUp           Kind = "PreSignUp"
	KindPostConfirmation    Kind = "PostConfirmation"
	KindPreAuthentication   Kind = "PreAuthentication"
	KindPostAuthentication  Kind = "PostAuthentication"
	KindPreTokenGeneration  Kind = "PreTokenGeneration"
	KindCustomMessage       Kind = "CustomMessage"
	KindDefineAuthChallenge Kind = "DefineAuthChallenge"
	KindCreateAuthChallenge Kind = "CreateAuthChallenge"
	KindVerifyAuthChallenge Kind = "VerifyAuthChallengeResponse"
	KindUserMigration       Kind = "UserMigration"
	KindCustomEmailSender   Kind = "CustomEmailSender"
	KindCustomSMSSender     Kind = "CustomSMSSender"
	KindInboundFederation   Kind = "InboundFederation"
)

// kinds lists every trigger in the order of the LambdaConfig members in
// Cognito's documentation.
var kinds = [...]Kind{
	KindPreSignUp, KindCustomMessage, KindPostConfirmation, KindPreAuthentication,
	KindPostAuthentication, KindDefineAuthChallenge, KindCreateAuthChallenge,
	KindVerifyAuthChallenge, KindPreTokenGeneration, KindUserMigration,
	KindCustomSMSSender, KindCustomEmailSender, KindInboundFederation,
}

// Kinds returns every trigger, in the order of the LambdaConfig members in
// Cognito's documentation. The slice is the caller's.
func Kinds() []Kind { return slices.Clone(kinds[:]) }

// The LambdaVersion values of a user pool's LambdaConfig: the version of
// the events a trigger's function expects.
const (
	LambdaV1 = "V1_0"
	LambdaV2 = "V2_0"
	LambdaV3 = "V3_0"
)

// LambdaVersions returns the LambdaVersion values the trigger's
// LambdaConfig member accepts, the default (the one Cognito assumes when
// none is given) first, or nil for a trigger without versions: V1_0, V2_0
// and V3_0 for pre token generation; V1_0 for the custom senders and
// inbound federation.
func (k Kind) LambdaVersions() []string {
	switch k {
	case KindPreTokenGeneration:
		return []string{LambdaV1, LambdaV2, LambdaV3}
	case KindCustomSMSSender, KindCustomEmailSender, KindInboundFederation:
		return []string{LambdaV1}
	}
	return nil
}

// Synchronous reports whether Cognito waits for the trigger's answer. Only
// the custom sender triggers are invoked asynchronously; the others must
// answer within Cognito's 5 seconds.
func (k Kind) Synchronous() bool {
	return k != KindCustomEmailSender && k != KindCustomSMSSender
}

// Source is the triggerSource of an event: which trigger fired and why.
type Source string

// Trigger sources, grouped by trigger. Where the Cognito documentation
// spells a source two ways, both are listed and both are accepted.
const (
	SourcePreSignUpSignUp           Source = "PreSignUp_SignUp"
	SourcePreSignUpAdminCreateUser  Source = "PreSignUp_AdminCreateUser"
	SourcePreSignUpExternalProvider Source = "PreSignUp_ExternalProvider"

	SourcePostConfirmationConfirmSignUp         Source = "PostConfirmation_ConfirmSignUp"
	SourcePostConfirmationConfirmForgotPassword Source = "PostConfirmation_ConfirmForgotPassword"

	SourcePreAuthentication  Source = "PreAuthentication_Authentication"
	SourcePostAuthentication Source = "PostAuthentication_Authentication"

	SourceTokenGenerationHostedAuth           Source = "TokenGeneration_HostedAuth"
	SourceTokenGenerationAuthentication       Source = "TokenGeneration_Authentication"
	SourceTokenGenerationNewPasswordChallenge Source = "TokenGeneration_NewPasswordChallenge"
	SourceTokenGenerationAuthenticateDevice   Source = "TokenGeneration_AuthenticateDevice"
	SourceTokenGenerationRefreshTokens        Source = "TokenGeneration_RefreshTokens"
	// SourceTokenGenerationClientCredentials is sent only to version 3
	// pre token generation triggers, for machine-to-machine tokens.
	SourceTokenGenerationClientCredentials Source = "TokenGeneration_ClientCredentials"

	SourceCustomMessageSignUp              Source = "CustomMessage_SignUp"
	SourceCustomMessageAdminCreateUser     Source = "CustomMessage_AdminCreateUser"
	SourceCustomMessageResendCode          Source = "CustomMessage_ResendCode"
	SourceCustomMessageForgotPassword      Source = "CustomMessage_ForgotPassword"
	SourceCustomMessageUpdateUserAttribute Source = "CustomMessage_UpdateUserAttribute"
	SourceCustomMessageVerifyUserAttribute Source = "CustomMessage_VerifyUserAttribute"
	SourceCustomMessageAuthentication      Source = "CustomMessage_Authentication"

	SourceDefineAuthChallenge Source = "DefineAuthChallenge_Authentication"
	SourceCreateAuthChallenge Source = "CreateAuthChallenge_Authentication"
	SourceVerifyAuthChallenge Source = "VerifyAuthChallengeResponse_Authentication"
	// SourceVerifyAuthChallengeAlt is the spelling one table of the Cognito
	// documentation uses.
	SourceVerifyAuthChallengeAlt Source = "VerifyAuthChallenge_Authentication"

	SourceUserMigrationAuthentication Source = "UserMigration_Authentication"
	SourceUserMigrationForgotPassword Source = "UserMigration_ForgotPassword"

	SourceCustomEmailSenderSignUp                      Source = "CustomEmailSender_SignUp"
	SourceCustomEmailSenderResendCode                  Source = "CustomEmailSender_ResendCode"
	SourceCustomEmailSenderForgotPassword              Source = "CustomEmailSender_ForgotPassword"
	SourceCustomEmailSenderUpdateUserAttribute         Source = "CustomEmailSender_UpdateUserAttribute"
	SourceCustomEmailSenderVerifyUserAttribute         Source = "CustomEmailSender_VerifyUserAttribute"
	SourceCustomEmailSenderAdminCreateUser             Source = "CustomEmailSender_AdminCreateUser"
	SourceCustomEmailSenderAccountTakeOverNotification Source = "CustomEmailSender_AccountTakeOverNotification"
	SourceCustomEmailSenderAuthentication              Source = "CustomEmailSender_Authentication"

	SourceCustomSMSSenderSignUp              Source = "CustomSMSSender_SignUp"
	SourceCustomSMSSenderResendCode          Source = "CustomSMSSender_ResendCode"
	SourceCustomSMSSenderForgotPassword      Source = "CustomSMSSender_ForgotPassword"
	SourceCustomSMSSenderUpdateUserAttribute Source = "CustomSMSSender_UpdateUserAttribute"
	SourceCustomSMSSenderVerifyUserAttribute Source = "CustomSMSSender_VerifyUserAttribute"
	SourceCustomSMSSenderAdminCreateUser     Source = "CustomSMSSender_AdminCreateUser"
	SourceCustomSMSSenderAuthentication      Source = "CustomSMSSender_Authentication"

	SourceInboundFederation Source = "InboundFederation_ExternalProvider"
)

// customSmsPrefix is the second spelling of the custom SMS sender sources
// that the Cognito documentation also uses ("CustomSmsSender_SignUp").
const customSmsPrefix = "CustomSmsSender_"

var sourceKinds = map[Source]Kind{
	SourcePreSignUpSignUp:           KindPreSignUp,
	SourcePreSignUpAdminCreateUser:  KindPreSignUp,
	SourcePreSignUpExternalProvider: KindPreSignUp,

	SourcePostConfirmationConfirmSignUp:         KindPostConfirmation,
	SourcePostConfirmationConfirmForgotPassword: KindPostConfirmation,

	SourcePreAuthentication:  KindPreAuthentication,
	SourcePostAuthentication: KindPostAuthentication,

	SourceTokenGenerationHostedAuth:           KindPreTokenGeneration,
	SourceTokenGenerationAuthentication:       KindPreTokenGeneration,
	SourceTokenGenerationNewPasswordChallenge: KindPreTokenGeneration,
	SourceTokenGenerationAuthenticateDevice:   KindPreTokenGeneration,
	SourceTokenGenerationRefreshTokens:        KindPreTokenGeneration,
	SourceTokenGenerationClientCredentials:    KindPreTokenGeneration,

	SourceCustomMessageSignUp:              KindCustomMessage,
	SourceCustomMessageAdminCreateUser:     KindCustomMessage,
	SourceCustomMessageResendCode:          KindCustomMessage,
	SourceCustomMessageForgotPassword:      KindCustomMessage,
	SourceCustomMessageUpdateUserAttribute: KindCustomMessage,
	SourceCustomMessageVerifyUserAttribute: KindCustomMessage,
	SourceCustomMessageAuthentication:      KindCustomMessage,

	SourceDefineAuthChallenge:    KindDefineAuthChallenge,
	SourceCreateAuthChallenge:    KindCreateAuthChallenge,
	SourceVerifyAuthChallenge:    KindVerifyAuthChallenge,
	SourceVerifyAuthChallengeAlt: KindVerifyAuthChallenge,

	SourceUserMigrationAuthentication: KindUserMigration,
	SourceUserMigrationForgotPassword: KindUserMigration,

	SourceCustomEmailSenderSignUp:                      KindCustomEmailSender,
	SourceCustomEmailSenderResendCode:                  KindCustomEmailSender,
	SourceCustomEmailSenderForgotPassword:              KindCustomEmailSender,
	SourceCustomEmailSenderUpdateUserAttribute:         KindCustomEmailSender,
	SourceCustomEmailSenderVerifyUserAttribute:         KindCustomEmailSender,
	SourceCustomEmailSenderAdminCreateUser:             KindCustomEmailSender,
	SourceCustomEmailSenderAccountTakeOverNotification: KindCustomEmailSender,
	SourceCustomEmailSenderAuthentication:              KindCustomEmailSender,

	SourceCustomSMSSenderSignUp:              KindCustomSMSSender,
	SourceCustomSMSSenderResendCode:          KindCustomSMSSender,
	SourceCustomSMSSenderForgotPassword:      KindCustomSMSSender,
	SourceCustomSMSSenderUpdateUserAttribute: KindCustomSMSSender,
	SourceCustomSMSSenderVerifyUserAttribute: KindCustomSMSSender,
	SourceCustomSMSSenderAdminCreateUser:     KindCustomSMSSender,
	SourceCustomSMSSenderAuthentication:      KindCustomSMSSender,

	SourceInboundFederation: KindInboundFederation,
}

// Kind returns the trigger the source belongs to, or "" for a source this
// package does not know. Both documented spellings of the custom SMS sender
// and verify auth challenge sources are known.
func (s Source) Kind() Kind {
	if k, ok := sourceKinds[s]; ok {
		return k
	}
	if alt, ok := s.canonicalSMS(); ok {
		return sourceKinds[alt]
	}
	return ""
}

// Canonical returns the spelling of the source that this package's
// constants use: "CustomSmsSender_SignUp" becomes "CustomSMSSender_SignUp"
// and "VerifyAuthChallenge_Authentication" becomes
// "VerifyAuthChallengeResponse_Authentication". Other sources are returned
// unchanged, so handlers can switch on the constants alone.
func (s Source) Canonical() Source {
	if s == SourceVerifyAuthChallengeAlt {
		return SourceVerifyAuthChallenge
	}
	if alt, ok := s.canonicalSMS(); ok {
		return alt
	}
	return s
}

func (s Source) canonicalSMS() (Source, bool) {
	if len(s) <= len(customSmsPrefix) || string(s[:len(customSmsPrefix)]) != customSmsPrefix {
		return "", false
	}
	alt := Source("CustomSMSSender_" + string(s[len(customSmsPrefix):]))
	if sourceKinds[alt] != KindCustomSMSSender {
		return "", false
	}
	return alt, true
}

// Sources returns every trigger source this package knows, in both
// spellings where the documentation has two, sorted by trigger and name.
func Sources() []Source {
	out := make([]Source, 0, len(sourceKinds)+8)
	for s, k := range sourceKinds {
		out = append(out, s)
		if k == KindCustomSMSSender {
			out = append(out, Source(customSmsPrefix+string(s[len("CustomSMSSender_"):])))
		}
	}
	slices.Sort(out)
	return out
}

// sourceNames returns the sources of trigger k, in this package's spelling,
// sorted, for error messages.
func sourceNames(k Kind) []string {
	var out []string
	for s, sk := range sourceKinds {
		if sk == k && s != SourceVerifyAuthChallengeAlt {
			out = append(out, string(s))
		}
	}
	slices.Sort(out)
	return out
}
