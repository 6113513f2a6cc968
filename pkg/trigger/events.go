package trigger

import (
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// Event is implemented by every event type of this package. Middleware sees
// events through it.
type Event interface {
	// EventHeader returns the fields every trigger event shares.
	EventHeader() *Header
}

// Header holds the fields Cognito puts on every user-pool trigger event.
// It has the same JSON shape as aws-lambda-go's
// events.CognitoEventUserPoolsHeader, with a typed TriggerSource. UserName
// is empty when Cognito sends null (machine-to-machine token generation has
// no user); it is then left out of the answer, which Cognito does not read.
type Header struct {
	Version       string        `json:"version"`
	TriggerSource Source        `json:"triggerSource"`
	Region        string        `json:"region"`
	UserPoolID    string        `json:"userPoolId"`
	UserName      string        `json:"userName,omitempty"`
	CallerContext CallerContext `json:"callerContext"`
}

// event is implemented by the event types of this package: parts returns
// pointers to the request and the response (nil when the event has none),
// for the adapter to decode and encode.
type event interface {
	Event
	parts() (req, resp any)
}

// EventHeader returns h; it makes every event type an [Event].
func (h *Header) EventHeader() *Header { return h }

// CallerContext identifies the SDK and app client that caused the event.
type CallerContext = events.CognitoEventUserPoolsCallerContext

// ChallengeResult is one entry of a custom-auth session, oldest first.
// ChallengeMetadata is the value a create auth challenge trigger set for
// that round; it is empty when Cognito sends null (none was set).
type ChallengeResult struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResult   bool   `json:"challengeResult"`
	ChallengeMetadata string `json:"challengeMetadata,omitempty"`
}

// GroupConfiguration lists the user's groups and IAM roles. In a pre token
// generation response, a non-nil GroupConfiguration replaces the user's
// groups: an empty one removes them all. A nil slice or PreferredRole is
// JSON null.
type GroupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// PreSignUpEvent is sent to the pre sign-up trigger. Cognito ignores the
// response for PreSignUp_AdminCreateUser, and fails the sign-up when
// AutoVerifyEmail or AutoVerifyPhone is set without that attribute.
type PreSignUpEvent struct {
	Header
	Request  PreSignUpRequest  `json:"request"`
	Response PreSignUpResponse `json:"response"`
}

// PreSignUpRequest is the request of a pre sign-up event.
type PreSignUpRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// PreSignUpResponse is the response of a pre sign-up event. A nil field is
// JSON null, which Cognito reads as false; set one with [Bool].
type PreSignUpResponse struct {
	AutoConfirmUser *bool `json:"autoConfirmUser"`
	AutoVerifyEmail *bool `json:"autoVerifyEmail"`
	AutoVerifyPhone *bool `json:"autoVerifyPhone"`
}

// PostConfirmationEvent is sent to the post confirmation trigger.
type PostConfirmationEvent struct {
	Header
	Request  PostConfirmationRequest  `json:"request"`
	Response PostConfirmationResponse `json:"response"`
}

// PostConfirmationRequest is the request of a post confirmation event.
type PostConfirmationRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// PostConfirmationResponse is the (empty) response of a post confirmation
// event.
type PostConfirmationResponse struct{}

// PreAuthenticationEvent is sent to the pre authentication trigger. Return
// a [Denial] to refuse the sign-in.
type PreAuthenticationEvent struct {
	Header
	Request  PreAuthenticationRequest  `json:"request"`
	Response PreAuthenticationResponse `json:"response"`
}

// PreAuthenticationRequest is the request of a pre authentication event.
// ValidationData carries the ClientMetadata of InitiateAuth. UserNotFound
// is set when the app client prevents user existence errors and the user
// does not exist.
type PreAuthenticationRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	UserNotFound   bool              `json:"userNotFound"`
}

// PreAuthenticationResponse is the (empty) response of a pre
// authentication event.
type PreAuthenticationResponse struct{}

// PostAuthenticationEvent is sent to the post authentication trigger.
type PostAuthenticationEvent struct {
	Header
	Request  PostAuthenticationRequest  `json:"request"`
	Response PostAuthenticationResponse `json:"response"`
}

// PostAuthenticationRequest is the request of a post authentication event.
type PostAuthenticationRequest struct {
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	UserAttributes Attributes        `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// PostAuthenticationResponse is the (empty) response of a post
// authentication event.
type PostAuthenticationResponse struct{}

// PreTokenGenerationEvent is sent to a version 1 pre token generation
// trigger (Header.Version "1"), which may change ID-token claims (strings
// only) and groups.
type PreTokenGenerationEvent struct {
	Header
	Request  PreTokenGenerationRequest  `json:"request"`
	Response PreTokenGenerationResponse `json:"response"`
}

// PreTokenGenerationRequest is the request of a version 1 pre token
// generation event. Its GroupConfiguration has the type of the response's
// GroupOverrideDetails, so a handler can copy it there.
type PreTokenGenerationRequest struct {
	UserAttributes     Attributes         `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string  `json:"clientMetadata"`
}

// PreTokenGenerationResponse is the response of a version 1 pre token
// generation event. A nil ClaimsOverrideDetails changes nothing.
type PreTokenGenerationResponse struct {
	ClaimsOverrideDetails *ClaimsOverrideDetails `json:"claimsOverrideDetails"`
}

// ClaimsOverrideDetails is what a version 1 pre token generation trigger
// changes in the ID token. A nil GroupOverrideDetails keeps the user's
// groups.
type ClaimsOverrideDetails struct {
	ClaimsToAddOrOverride map[string]string   `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string            `json:"claimsToSuppress"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails"`
}

// PreTokenGenerationV2Event is sent to a version 2 or version 3 pre token
// generation trigger (Header.Version "2" or "3"), which may change ID- and
// access-token claims of any JSON type, scopes and groups. Version 3 also
// receives TokenGeneration_ClientCredentials, with no user.
type PreTokenGenerationV2Event struct {
	Header
	Request  PreTokenGenerationV2Request  `json:"request"`
	Response PreTokenGenerationV2Response `json:"response"`
}

// PreTokenGenerationV2Request is the request of a version 2 or 3 pre token
// generation event.
type PreTokenGenerationV2Request struct {
	UserAttributes     Attributes         `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string  `json:"clientMetadata"`
	Scopes             []string           `json:"scopes"`
}

// PreTokenGenerationV2Response is the response of a version 2 or 3 pre
// token generation event. A nil ClaimsAndScopeOverrideDetails changes
// nothing.
type PreTokenGenerationV2Response struct {
	ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails"`
}

// ClaimsAndScopeOverrideDetails is what a version 2 or 3 pre token
// generation trigger changes. Each nil member changes nothing; a non-nil
// GroupOverrideDetails replaces the user's groups.
type ClaimsAndScopeOverrideDetails struct {
	IDTokenGeneration     *IDTokenGeneration     `json:"idTokenGeneration"`
	AccessTokenGeneration *AccessTokenGeneration `json:"accessTokenGeneration"`
	GroupOverrideDetails  *GroupConfiguration    `json:"groupOverrideDetails"`
}

// IDTokenGeneration changes ID-token claims. Claim values may be of any
// JSON type.
type IDTokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
}

// AccessTokenGeneration changes access-token claims and scopes.
type AccessTokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
	ScopesToAdd           []string       `json:"scopesToAdd"`
	ScopesToSuppress      []string       `json:"scopesToSuppress"`
}

// CustomMessageEvent is sent to the custom message trigger. A message must
// contain Request.CodeParameter; for CustomMessage_AdminCreateUser it must
// also contain Request.UsernameParameter.
type CustomMessageEvent struct {
	Header
	Request  CustomMessageRequest  `json:"request"`
	Response CustomMessageResponse `json:"response"`
}

// CustomMessageRequest is the request of a custom message event.
type CustomMessageRequest struct {
	UserAttributes    Attributes        `json:"userAttributes"`
	CodeParameter     String            `json:"codeParameter"`
	UsernameParameter String            `json:"usernameParameter"`
	LinkParameter     String            `json:"linkParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata"`
}

// CustomMessageResponse is the response of a custom message event. Fields
// left empty go back as null, which tells Cognito to use its own message.
// EmailMessage and EmailSubject are accepted only when the pool sends email
// through Amazon SES.
type CustomMessageResponse struct {
	SMSMessage   String `json:"smsMessage"`
	EmailMessage String `json:"emailMessage"`
	EmailSubject String `json:"emailSubject"`
}

// DefineAuthChallengeEvent is sent to the define auth challenge trigger,
// which decides the next step of a custom-auth sign-in.
type DefineAuthChallengeEvent struct {
	Header
	Request  DefineAuthChallengeRequest  `json:"request"`
	Response DefineAuthChallengeResponse `json:"response"`
}

// DefineAuthChallengeRequest is the request of a define auth challenge
// event. ClientMetadata comes only from RespondToAuthChallenge.
type DefineAuthChallengeRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata"`
	UserNotFound   bool              `json:"userNotFound"`
}

// Challenge names of the custom-auth loop, as define names them in
// [DefineAuthChallengeResponse.Challenge] and Cognito in a session's
// [ChallengeResult].
const (
	// ChallengeCustom is the challenge a create auth challenge trigger
	// prepares and a verify auth challenge response trigger judges.
	ChallengeCustom = "CUSTOM_CHALLENGE"
	// ChallengeSRPA is the first session entry of a sign-in that starts
	// with the user's password (Secure Remote Password, step A).
	ChallengeSRPA = "SRP_A"
	// ChallengePasswordVerifier is the password step that define may name
	// after ChallengeSRPA. Cognito checks the password itself.
	ChallengePasswordVerifier = "PASSWORD_VERIFIER"
)

// DefineAuthChallengeResponse is the response of a define auth challenge
// event. Set exactly one outcome with [DefineAuthChallengeResponse.Issue],
// [DefineAuthChallengeResponse.Fail] or
// [DefineAuthChallengeResponse.Challenge]; the adapter refuses any other
// combination. The methods point the flags into the response itself, so
// copy a response only before calling them.
type DefineAuthChallengeResponse struct {
	ChallengeName      String `json:"challengeName"`
	IssueTokens        *bool  `json:"issueTokens"`
	FailAuthentication *bool  `json:"failAuthentication"`

	// flags backs the pointers the methods set, sparing an allocation.
	flags [2]bool
}

// Issue ends the sign-in successfully: Cognito issues tokens.
func (r *DefineAuthChallengeResponse) Issue() { r.set("", true, false) }

// Fail ends the sign-in unsuccessfully.
func (r *DefineAuthChallengeResponse) Fail() { r.set("", false, true) }

// Challenge asks Cognito to present the named challenge next, usually
// [ChallengeCustom] (or [ChallengePasswordVerifier] after [ChallengeSRPA]).
func (r *DefineAuthChallengeResponse) Challenge(name string) { r.set(String(name), false, false) }

func (r *DefineAuthChallengeResponse) set(name String, issue, fail bool) {
	r.flags = [2]bool{issue, fail}
	r.ChallengeName, r.IssueTokens, r.FailAuthentication = name, &r.flags[0], &r.flags[1]
}

// outcomes counts the outcomes the response sets.
func (r *DefineAuthChallengeResponse) outcomes() int {
	n := 0
	if r.ChallengeName != "" {
		n++
	}
	if r.IssueTokens != nil && *r.IssueTokens {
		n++
	}
	if r.FailAuthentication != nil && *r.FailAuthentication {
		n++
	}
	return n
}

// checkResponse enforces exactly one outcome. It changes nothing: the
// methods set all three members, and Cognito reads a null flag as false.
func (e *DefineAuthChallengeEvent) checkResponse() error {
	if n := e.Response.outcomes(); n != 1 {
		return fmt.Errorf("define auth challenge response sets %d outcomes: set exactly one with Issue, Fail or Challenge", n)
	}
	return nil
}

// CreateAuthChallengeEvent is sent to the create auth challenge trigger,
// which prepares the challenge Define named.
type CreateAuthChallengeEvent struct {
	Header
	Request  CreateAuthChallengeRequest  `json:"request"`
	Response CreateAuthChallengeResponse `json:"response"`
}

// CreateAuthChallengeRequest is the request of a create auth challenge
// event.
type CreateAuthChallengeRequest struct {
	UserAttributes Attributes        `json:"userAttributes"`
	ChallengeName  string            `json:"challengeName"`
	Session        []ChallengeResult `json:"session"`
	ClientMetadata map[string]string `json:"clientMetadata"`
	UserNotFound   bool              `json:"userNotFound"`
}

// CreateAuthChallengeResponse is the response of a create auth challenge
// event. PublicChallengeParameters reach the client;
// PrivateChallengeParameters reach only the verify trigger and must not be
// empty; ChallengeMetadata appears in later session entries.
type CreateAuthChallengeResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          String            `json:"challengeMetadata"`
}

// VerifyAuthChallengeEvent is sent to the verify auth challenge response
// trigger, which judges the client's answer.
type VerifyAuthChallengeEvent struct {
	Header
	Request  VerifyAuthChallengeRequest  `json:"request"`
	Response VerifyAuthChallengeResponse `json:"response"`
}

// VerifyAuthChallengeRequest is the request of a verify auth challenge
// event. ChallengeAnswer is the client's ANSWER, a secret: never log it.
type VerifyAuthChallengeRequest struct {
	UserAttributes             Attributes        `json:"userAttributes"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeAnswer            string            `json:"challengeAnswer"`
	ClientMetadata             map[string]string `json:"clientMetadata"`
	UserNotFound               bool              `json:"userNotFound"`
}

// VerifyAuthChallengeResponse is the response of a verify auth challenge
// event. Set AnswerCorrect with [VerifyAuthChallengeResponse.SetAnswerCorrect],
// which points it into the response itself (copy a response only before).
type VerifyAuthChallengeResponse struct {
	AnswerCorrect *bool `json:"answerCorrect"`

	verdict bool // backs AnswerCorrect when set by SetAnswerCorrect
}

// SetAnswerCorrect records the verdict on the client's answer.
func (r *VerifyAuthChallengeResponse) SetAnswerCorrect(ok bool) {
	r.verdict = ok
	r.AnswerCorrect = &r.verdict
}

// UserMigrationEvent is sent to the user migration trigger when a user who
// is not in the pool signs in or asks for a password reset.
type UserMigrationEvent struct {
	Header
	Request  UserMigrationRequest  `json:"request"`
	Response UserMigrationResponse `json:"response"`
}

// UserMigrationRequest is the request of a user migration event. Password
// is the user's password (UserMigration_Authentication only), a secret:
// never log it.
type UserMigrationRequest struct {
	Password       String            `json:"password"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// UserMigrationResponse is the response of a user migration event.
// UserAttributes is required for the user to be migrated.
type UserMigrationResponse struct {
	UserAttributes         Attributes `json:"userAttributes"`
	FinalUserStatus        String     `json:"finalUserStatus"`
	MessageAction          String     `json:"messageAction"`
	DesiredDeliveryMediums []string   `json:"desiredDeliveryMediums"`
	ForceAliasCreation     *bool      `json:"forceAliasCreation"`
	EnableSMSMFA           *bool      `json:"enableSMSMFA"`
}

// CustomEmailSenderEvent is sent, asynchronously, to the custom email
// sender trigger. Cognito ignores what the function returns.
type CustomEmailSenderEvent struct {
	Header
	Request CustomSenderRequest `json:"request"`
}

// CustomSMSSenderEvent is sent, asynchronously, to the custom SMS sender
// trigger. Cognito ignores what the function returns.
type CustomSMSSenderEvent struct {
	Header
	Request CustomSenderRequest `json:"request"`
}

// CustomSenderRequest is the request of a custom email or SMS sender event.
// Code is the code or temporary password encrypted with the AWS Encryption
// SDK under the pool's KMS key (null for account takeover notifications);
// once decrypted it is a secret: never log it.
type CustomSenderRequest struct {
	Type           string            `json:"type"`
	Code           String            `json:"code"`
	ClientMetadata map[string]string `json:"clientMetadata"`
	UserAttributes Attributes        `json:"userAttributes"`
}

// InboundFederationEvent is sent to the inbound federation trigger when a
// federated user signs in, to map the provider's attributes.
type InboundFederationEvent struct {
	Header
	Request  InboundFederationRequest  `json:"request"`
	Response InboundFederationResponse `json:"response"`
}

// InboundFederationRequest is the request of an inbound federation event.
// Its token response holds the provider's tokens: never log them.
type InboundFederationRequest struct {
	ProviderName string                      `json:"providerName"`
	ProviderType string                      `json:"providerType"`
	Attributes   InboundFederationAttributes `json:"attributes"`
}

// InboundFederationAttributes are what the identity provider sent: the
// token response, the claims of the ID token and of the userInfo endpoint
// (OIDC), or the SAML assertion's attributes. Claims such as
// email_verified or exp may be JSON booleans and numbers; [Attributes]
// holds them as their string form.
type InboundFederationAttributes struct {
	TokenResponse Attributes `json:"tokenResponse,omitempty"`
	IDToken       Attributes `json:"idToken,omitempty"`
	UserInfo      Attributes `json:"userInfo,omitempty"`
	SAMLResponse  Attributes `json:"samlResponse,omitempty"`
}

// InboundFederationResponse is the response of an inbound federation event:
// the user-pool attributes to set, by name.
type InboundFederationResponse struct {
	UserAttributesToMap map[string]string `json:"userAttributesToMap"`
}

// NewEvent returns a new, empty event of the type Cognito sends for source
// (and, for pre token generation, version), or nil for an unknown source.
// It is what a router or a test decodes an unknown payload into.
func NewEvent(source Source, version string) Event {
	switch source.Kind() {
	case KindPreSignUp:
		return new(PreSignUpEvent)
	case KindPostConfirmation:
		return new(PostConfirmationEvent)
	case KindPreAuthentication:
		return new(PreAuthenticationEvent)
	case KindPostAuthentication:
		return new(PostAuthenticationEvent)
	case KindPreTokenGeneration:
		if isV2(version) {
			return new(PreTokenGenerationV2Event)
		}
		return new(PreTokenGenerationEvent)
	case KindCustomMessage:
		return new(CustomMessageEvent)
	case KindDefineAuthChallenge:
		return new(DefineAuthChallengeEvent)
	case KindCreateAuthChallenge:
		return new(CreateAuthChallengeEvent)
	case KindVerifyAuthChallenge:
		return new(VerifyAuthChallengeEvent)
	case KindUserMigration:
		return new(UserMigrationEvent)
	case KindCustomEmailSender:
		return new(CustomEmailSenderEvent)
	case KindCustomSMSSender:
		return new(CustomSMSSenderEvent)
	case KindInboundFederation:
		return new(InboundFederationEvent)
	}
	return nil
}

func (e *PreSignUpEvent) parts() (req, resp any)            { return &e.Request, &e.Response }
func (e *PostConfirmationEvent) parts() (req, resp any)     { return &e.Request, &e.Response }
func (e *PreAuthenticationEvent) parts() (req, resp any)    { return &e.Request, &e.Response }
func (e *PostAuthenticationEvent) parts() (req, resp any)   { return &e.Request, &e.Response }
func (e *PreTokenGenerationEvent) parts() (req, resp any)   { return &e.Request, &e.Response }
func (e *PreTokenGenerationV2Event) parts() (req, resp any) { return &e.Request, &e.Response }
func (e *CustomMessageEvent) parts() (req, resp any)        { return &e.Request, &e.Response }
func (e *DefineAuthChallengeEvent) parts() (req, resp any)  { return &e.Request, &e.Response }
func (e *CreateAuthChallengeEvent) parts() (req, resp any)  { return &e.Request, &e.Response }
func (e *VerifyAuthChallengeEvent) parts() (req, resp any)  { return &e.Request, &e.Response }
func (e *UserMigrationEvent) parts() (req, resp any)        { return &e.Request, &e.Response }
func (e *InboundFederationEvent) parts() (req, resp any)    { return &e.Request, &e.Response }
func (e *CustomEmailSenderEvent) parts() (req, resp any)    { return &e.Request, nil }
func (e *CustomSMSSenderEvent) parts() (req, resp any)      { return &e.Request, nil }
