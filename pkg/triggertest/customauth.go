package triggertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Defaults of a [CustomAuth] simulator. They match the sample events under
// events/.
const (
	// DefaultUserPoolID is the user pool of the events; its region,
	// us-east-1, is the region of the events.
	DefaultUserPoolID = "us-east-1_EXAMPLE01"
	// DefaultClientID is the app client of the events.
	DefaultClientID = "1example23456789abcdefghij"
	// DefaultUsername is the userName of the events: the user's internal
	// username, as Cognito sends it when users sign in with an alias.
	DefaultUsername = "0f1e2d3c-0000-4000-8000-00000000000a"
	// DefaultSDKVersion is the callerContext.awsSdkVersion of the events.
	DefaultSDKVersion = "aws-sdk-unknown-unknown"
	// DefaultAuthSessionValidity is how long the client has to answer each
	// challenge: an app client's AuthSessionValidity when it sets none.
	DefaultAuthSessionValidity = 3 * time.Minute
	// MinAuthSessionValidity and MaxAuthSessionValidity bound the
	// AuthSessionValidity Cognito accepts, in whole minutes.
	MinAuthSessionValidity = 3 * time.Minute
	MaxAuthSessionValidity = 15 * time.Minute
	// TriggerAttempts is how many times Cognito invokes a trigger that does
	// not answer within its timeout before it fails the call.
	TriggerAttempts = 3
	// DefaultTriggerTimeout is how long Cognito waits for a trigger: a fixed
	// 5 seconds.
	DefaultTriggerTimeout = trigger.DefaultBudget
)

// DefaultUserAttributes returns the attributes of the default user of a
// [CustomAuth] simulator, those of the sample events. The map is new.
func DefaultUserAttributes() map[string]string {
	return map[string]string{
		"sub":                 DefaultUsername,
		"cognito:user_status": "CONFIRMED",
		"email":               "jane.doe@example.com",
		"email_verified":      "true",
		"given_name":          "Jane",
		"family_name":         "Example",
		"locale":              "en",
		"custom:tenant":       "tenant-example-a",
	}
}

// Operation names the Cognito API call during which the simulator invoked a
// trigger.
type Operation string

// The API calls of a custom-auth sign-in.
const (
	InitiateAuth           Operation = "InitiateAuth"
	RespondToAuthChallenge Operation = "RespondToAuthChallenge"
)

// Outcome is where a sign-in stands after a call to the simulator.
type Outcome int

// The outcomes of [CustomAuth.Start] and [CustomAuth.Respond]. The zero
// Outcome means the call was refused before it reached Cognito's logic
// (a misuse of the simulator, such as Respond before Start).
const (
	// OutcomeChallenge: the client was given a challenge to answer.
	OutcomeChallenge Outcome = iota + 1
	// OutcomeTokens: Cognito issued tokens; the sign-in succeeded.
	OutcomeTokens
	// OutcomeFailed: the sign-in is over without tokens. The call's error
	// says what the client was told.
	OutcomeFailed
)

// String returns the outcome's name.
func (o Outcome) String() string {
	switch o {
	case OutcomeChallenge:
		return "challenge"
	case OutcomeTokens:
		return "tokens"
	case OutcomeFailed:
		return "failed"
	}
	return "none"
}

// Result is what the client learns from one InitiateAuth or
// RespondToAuthChallenge call, and how far the sign-in has come.
type Result struct {
	// Outcome says whether the client got a challenge, tokens or a failure.
	Outcome Outcome
	// ChallengeName is the challenge the client must answer next, when
	// Outcome is OutcomeChallenge.
	ChallengeName string
	// Parameters are the publicChallengeParameters that the create auth
	// challenge trigger returned for that challenge, as the client receives
	// them (real Cognito also adds USERNAME). Nil for a PASSWORD_VERIFIER
	// challenge, whose SRP parameters the simulator does not compute.
	Parameters map[string]string
	// Rounds is the number of session entries so far: the challenges
	// answered in this sign-in, counting SRP_A.
	Rounds int
}

// Invocation is one trigger invocation made by the simulator.
type Invocation struct {
	// Kind is the trigger invoked.
	Kind trigger.Kind
	// Operation is the API call the client was making.
	Operation Operation
	// Event is the payload sent to the trigger.
	Event []byte
	// Output is what the trigger returned; nil when it failed.
	Output []byte
	// Err is the error the trigger returned, if any.
	Err error
}

// CustomAuthOption configures a [CustomAuth] simulator.
type CustomAuthOption func(*customAuthConfig)

type customAuthConfig struct {
	poolID, region, clientID, sdkVersion string
	username                             string
	attributes                           map[string]string
	userNotFound                         bool
	validity                             time.Duration
	now                                  func() time.Time
	passwordFirst                        bool
	timeout                              time.Duration
}

// WithUserPool sets the user pool ID, such as "eu-west-1_AbCdEf123". The
// events' region is the part before the underscore.
func WithUserPool(id string) CustomAuthOption {
	region, rest, ok := strings.Cut(id, "_")
	if !ok || region == "" || rest == "" {
		panic(fmt.Sprintf("triggertest: user pool ID %q is not of the form <region>_<id>", id))
	}
	return func(c *customAuthConfig) { c.poolID, c.region = id, region }
}

// WithClientID sets the app client ID the events carry in callerContext.
func WithClientID(id string) CustomAuthOption {
	return func(c *customAuthConfig) { c.clientID = id }
}

// WithSDKVersion sets callerContext.awsSdkVersion, the SDK the client uses.
func WithSDKVersion(v string) CustomAuthOption {
	return func(c *customAuthConfig) { c.sdkVersion = v }
}

// WithUser sets the user who signs in: the userName Cognito puts in the
// events (the internal username) and the user's attributes. The map is
// copied.
func WithUser(username string, attributes map[string]string) CustomAuthOption {
	attrs := maps.Clone(attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	return func(c *customAuthConfig) {
		c.username, c.attributes, c.userNotFound = username, attrs, false
	}
}

// WithUnknownUser makes the client sign in as a user who does not exist,
// under the name it typed. Cognito then runs the triggers only when the app
// client has PreventUserExistenceErrors enabled, and sends them
// userNotFound=true with empty user attributes; the simulator does the same.
func WithUnknownUser(username string) CustomAuthOption {
	return func(c *customAuthConfig) {
		c.username, c.attributes, c.userNotFound = username, map[string]string{}, true
	}
}

// WithAuthSessionValidity sets the app client's AuthSessionValidity: how
// long the client has to answer each challenge. It must be a whole number
// of minutes from 3 to 15, as Cognito requires.
func WithAuthSessionValidity(d time.Duration) CustomAuthOption {
	if d < MinAuthSessionValidity || d > MaxAuthSessionValidity || d%time.Minute != 0 {
		panic(fmt.Sprintf("triggertest: AuthSessionValidity %v is not a whole number of minutes from 3 to 15", d))
	}
	return func(c *customAuthConfig) { c.validity = d }
}

// WithClock sets the clock that decides when a session expires, so a test
// can expire one without sleeping. It does not change the clock of the
// handlers, nor the real-time limit of each invocation.
func WithClock(now func() time.Time) CustomAuthOption {
	if now == nil {
		panic("triggertest: nil clock")
	}
	return func(c *customAuthConfig) { c.now = now }
}

// WithPasswordFirst makes the client start with the user's password, as
// for a password-then-code flow: the first define auth challenge event has
// the session [SRP_A], define is expected to name PASSWORD_VERIFIER, and the
// test answers that challenge with [CustomAuth.RespondPassword], choosing
// whether Cognito found the password correct.
func WithPasswordFirst() CustomAuthOption {
	return func(c *customAuthConfig) { c.passwordFirst = true }
}

// WithTriggerTimeout changes how long the simulator waits for each trigger
// invocation (default [DefaultTriggerTimeout], Cognito's fixed limit), so a
// test of a slow handler need not take 5 seconds. The invocation context
// has this deadline; an invocation that returns later is tried again, as
// Cognito tries it, [TriggerAttempts] times in all, and then fails the
// call as Cognito fails it.
func WithTriggerTimeout(d time.Duration) CustomAuthOption {
	if d <= 0 {
		panic("triggertest: trigger timeout must be positive")
	}
	return func(c *customAuthConfig) { c.timeout = d }
}

// state is where a simulated sign-in stands.
// ErrNotSimulated is in the error of a [CustomAuth] call when define auth
// challenge names a challenge the simulator does not simulate (see
// [CustomAuth]); the sign-in has ended.
var ErrNotSimulated = errors.New("triggertest: not simulated")

type state int

const (
	idle       state = iota // Start not called yet
	challenged              // the client holds a challenge and a session
	ended                   // tokens issued, or the sign-in failed
)

// CustomAuth simulates Amazon Cognito's custom authentication loop
// (AuthFlow CUSTOM_AUTH) around three trigger handlers. It drives them the
// way Cognito does, with JSON events, bytes in and bytes out, so the
// handlers may be in-process [trigger.Handler] values or functions running
// elsewhere behind a lambda.Handler.
//
// [CustomAuth.Start] plays InitiateAuth: define auth challenge runs with the
// session so far, then create auth challenge when define names
// CUSTOM_CHALLENGE. [CustomAuth.Respond] plays RespondToAuthChallenge:
// verify auth challenge response judges the answer, the session gains an
// entry {challengeName, challengeResult, challengeMetadata}, and define (and
// create) run again. Each call returns what the client would see: a
// challenge with its public parameters, tokens, or an error.
//
// The simulator keeps Cognito's side of the contract:
//
//   - every event has version "1", the trigger's triggerSource, the pool's
//     region and ID, the userName and callerContext{awsSdkVersion, clientId};
//   - the session is chronological and each entry carries the
//     challengeMetadata that create returned for that round;
//   - clientMetadata is sent only on RespondToAuthChallenge, and is left
//     out when the client sends none;
//   - privateChallengeParameters reach only verify, and challengeMetadata
//     only later sessions: the client sees public parameters alone;
//   - userNotFound and the user's attributes go to all three triggers.
//
// It fails the client's call the way Cognito does, with a [*CognitoError]:
//
//   - define set failAuthentication: NotAuthorizedException "Incorrect
//     username or password.";
//   - create returned no private challenge parameters: the same;
//   - a trigger returned an error: UserLambdaValidationException
//     "<Trigger> failed with error <message>.";
//   - a trigger took longer than its timeout at each of
//     [TriggerAttempts] invocations: UnexpectedLambdaException;
//   - a trigger returned anything but the whole event with a well-typed
//     response, or define set other than exactly one outcome:
//     InvalidLambdaResponseException "Unrecognizable lambda output" (what
//     Cognito answers to a define with no outcome, or two, is undocumented;
//     the simulator refuses it this way);
//   - the answer came after the AuthSessionValidity: NotAuthorizedException
//     "Invalid session for the user, session is expired.";
//   - the client answered after the sign-in ended: NotAuthorizedException
//     "Invalid session for the user.".
//
// A verify response whose answerCorrect is null counts as a wrong answer
// (undocumented too). Any failure ends the sign-in; [CustomAuth.Start]
// begins a new one. The
// simulator records every invocation for the test to inspect
// ([CustomAuth.Invocations], [CustomAuth.DefineEvents]…). It plays one
// client: its methods are safe for concurrent use but run one at a time.
type CustomAuth struct {
	define, create, verify lambda.Handler
	cfg                    customAuthConfig

	mu        sync.Mutex
	state     state
	challenge string            // the challenge the client holds
	private   map[string]string // privateChallengeParameters of that challenge
	metadata  *string           // challengeMetadata of that challenge
	expires   time.Time         // when the client's session expires
	session   []sessionEntry
	calls     []Invocation
}

// NewCustomAuth returns a simulator of Cognito's custom-auth loop over the
// define auth challenge, create auth challenge and verify auth challenge
// response handlers. Without options, the user is the one of the sample
// events (see the Default constants), in pool [DefaultUserPoolID], and
// sessions last [DefaultAuthSessionValidity] of real time.
func NewCustomAuth(define, create, verify lambda.Handler, opts ...CustomAuthOption) *CustomAuth {
	if define == nil || create == nil || verify == nil {
		panic("triggertest: NewCustomAuth needs define, create and verify handlers")
	}
	cfg := customAuthConfig{
		poolID:     DefaultUserPoolID,
		region:     "us-east-1",
		clientID:   DefaultClientID,
		sdkVersion: DefaultSDKVersion,
		username:   DefaultUsername,
		attributes: DefaultUserAttributes(),
		validity:   DefaultAuthSessionValidity,
		now:        time.Now,
		timeout:    DefaultTriggerTimeout,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return &CustomAuth{define: define, create: create, verify: verify, cfg: cfg}
}

// Start begins a new sign-in, as InitiateAuth with AuthFlow CUSTOM_AUTH
// does, abandoning any sign-in in progress. Define runs with an empty
// session, or [SRP_A] with [WithPasswordFirst]; then create, when define
// names CUSTOM_CHALLENGE.
//
// Start always returns a non-nil Result. The error is the exception the
// client would receive (a [*CognitoError]), or a problem of the simulation
// itself, such as a challenge it does not simulate or an ended ctx.
func (s *CustomAuth) Start(ctx context.Context) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.challenge, s.private, s.metadata = idle, "", nil, nil
	s.session = []sessionEntry{}
	if s.cfg.passwordFirst {
		s.session = append(s.session, sessionEntry{ChallengeName: trigger.ChallengeSRPA, ChallengeResult: true})
	}
	return s.next(ctx, InitiateAuth, nil)
}

// Respond answers the current CUSTOM_CHALLENGE, as RespondToAuthChallenge
// does with ChallengeResponses ANSWER=answer and the given ClientMetadata
// (nil: none). Verify judges the answer; the session gains the entry of
// this round; define runs, then create when define names CUSTOM_CHALLENGE.
// All three receive clientMetadata.
//
// Respond always returns a non-nil Result; its error is as for
// [CustomAuth.Start]. Calling it before Start, or while the current
// challenge is PASSWORD_VERIFIER, is a misuse: it changes nothing and
// returns a plain error with a zero Outcome.
func (s *CustomAuth) Respond(ctx context.Context, answer string, clientMetadata map[string]string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res, err := s.checkSession(trigger.ChallengeCustom, "Respond"); err != nil {
		return res, err
	}
	md := optionalMap(clientMetadata)
	req := verifyRequest{
		UserAttributes:             s.attributes(),
		PrivateChallengeParameters: maps.Clone(s.private),
		ChallengeAnswer:            answer,
		ClientMetadata:             md,
		UserNotFound:               s.cfg.userNotFound,
	}
	resp, err := s.invoke(ctx, RespondToAuthChallenge, s.verify, trigger.KindVerifyAuthChallenge, trigger.SourceVerifyAuthChallenge, req, emptyVerifyResponse)
	if err != nil {
		return s.fail(err)
	}
	correct, err := boolField(resp, "answerCorrect")
	if err != nil {
		return s.fail(invalidOutput(trigger.KindVerifyAuthChallenge, err.Error()))
	}
	// A verdict left null counts as a wrong answer (unverified: Cognito
	// documents only true and false).
	s.session = append(s.session, sessionEntry{
		ChallengeName:     s.challenge,
		ChallengeResult:   correct != nil && *correct,
		ChallengeMetadata: s.metadata,
	})
	return s.next(ctx, RespondToAuthChallenge, md)
}

// RespondPassword answers the current PASSWORD_VERIFIER challenge, as
// RespondToAuthChallenge does with the SRP password claim and the given
// ClientMetadata. Cognito checks the password itself; correct is the result
// the test chooses for that check (always false for an unknown user). The
// session gains a PASSWORD_VERIFIER entry with that result, then define runs
// (and create, when define names CUSTOM_CHALLENGE). No verify runs.
//
// Results and errors are as for [CustomAuth.Respond].
func (s *CustomAuth) RespondPassword(ctx context.Context, correct bool, clientMetadata map[string]string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res, err := s.checkSession(trigger.ChallengePasswordVerifier, "RespondPassword"); err != nil {
		return res, err
	}
	s.session = append(s.session, sessionEntry{
		ChallengeName:   trigger.ChallengePasswordVerifier,
		ChallengeResult: correct && !s.cfg.userNotFound,
	})
	return s.next(ctx, RespondToAuthChallenge, optionalMap(clientMetadata))
}

// Session returns the session entries of the current sign-in so far,
// oldest first, as define would receive them next. A challengeMetadata that
// is null reads as "".
func (s *CustomAuth) Session() []trigger.ChallengeResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]trigger.ChallengeResult, len(s.session))
	for i, e := range s.session {
		out[i] = trigger.ChallengeResult{ChallengeName: e.ChallengeName, ChallengeResult: e.ChallengeResult}
		if e.ChallengeMetadata != nil {
			out[i].ChallengeMetadata = *e.ChallengeMetadata
		}
	}
	return out
}

// Invocations returns every trigger invocation the simulator has made,
// across sign-ins, oldest first.
func (s *CustomAuth) Invocations() []Invocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invocation, len(s.calls))
	for i, c := range s.calls {
		c.Event, c.Output = slices.Clone(c.Event), slices.Clone(c.Output)
		out[i] = c
	}
	return out
}

// DefineEvents returns the events sent to define auth challenge, oldest
// first, decoded as the handler received them (their responses empty).
func (s *CustomAuth) DefineEvents() []*trigger.DefineAuthChallengeEvent {
	return sentEvents[trigger.DefineAuthChallengeEvent](s, trigger.KindDefineAuthChallenge)
}

// CreateEvents returns the events sent to create auth challenge, oldest
// first, decoded as the handler received them (their responses empty).
func (s *CustomAuth) CreateEvents() []*trigger.CreateAuthChallengeEvent {
	return sentEvents[trigger.CreateAuthChallengeEvent](s, trigger.KindCreateAuthChallenge)
}

// VerifyEvents returns the events sent to verify auth challenge response,
// oldest first, decoded as the handler received them (their responses
// empty).
func (s *CustomAuth) VerifyEvents() []*trigger.VerifyAuthChallengeEvent {
	return sentEvents[trigger.VerifyAuthChallengeEvent](s, trigger.KindVerifyAuthChallenge)
}

func sentEvents[E any](s *CustomAuth, k trigger.Kind) []*E {
	var out []*E
	for _, c := range s.Invocations() {
		if c.Kind != k {
			continue
		}
		ev := new(E)
		if err := json.Unmarshal(c.Event, ev); err != nil {
			panic(fmt.Sprintf("triggertest: decode a %s event the simulator built: %v", k, err))
		}
		out = append(out, ev)
	}
	return out
}

// checkSession refuses a call that does not answer the challenge the client
// holds. A sign-in that ended, or whose session expired, gets Cognito's
// error; a call to the wrong method is a misuse of the simulator.
func (s *CustomAuth) checkSession(challenge, method string) (*Result, error) {
	switch s.state {
	case idle:
		return &Result{}, fmt.Errorf("triggertest: %s called before Start", method)
	case ended:
		return s.failedResult(), &CognitoError{
			Exception: NotAuthorizedException,
			Message:   "Invalid session for the user.",
			Reason:    "the sign-in has ended; call Start to begin another",
		}
	}
	if s.challenge != challenge {
		return &Result{}, fmt.Errorf("triggertest: %s answers %s, but the current challenge is %s", method, challenge, s.challenge)
	}
	if s.cfg.now().After(s.expires) {
		return s.fail(&CognitoError{
			Exception: NotAuthorizedException,
			Message:   "Invalid session for the user, session is expired.",
			Reason:    fmt.Sprintf("the challenge was not answered within the AuthSessionValidity of %v", s.cfg.validity),
		})
	}
	return nil, nil
}

// next runs define with the session so far and acts on its decision:
// tokens, failure, or the next challenge (through create for
// CUSTOM_CHALLENGE). md is the client's metadata, nil on InitiateAuth.
func (s *CustomAuth) next(ctx context.Context, op Operation, md *map[string]string) (*Result, error) {
	session := slices.Clone(s.session)
	req := defineRequest{
		UserAttributes: s.attributes(),
		Session:        session,
		ClientMetadata: md,
		UserNotFound:   s.cfg.userNotFound,
	}
	resp, err := s.invoke(ctx, op, s.define, trigger.KindDefineAuthChallenge, trigger.SourceDefineAuthChallenge, req, emptyDefineResponse)
	if err != nil {
		return s.fail(err)
	}
	name, issue, fail, err := defineOutcome(resp)
	if err != nil {
		return s.fail(invalidOutput(trigger.KindDefineAuthChallenge, err.Error()))
	}
	switch {
	case issue:
		s.state = ended
		return &Result{Outcome: OutcomeTokens, Rounds: len(s.session)}, nil
	case fail:
		return s.fail(&CognitoError{
			Exception: NotAuthorizedException,
			Message:   "Incorrect username or password.",
			Trigger:   trigger.KindDefineAuthChallenge,
			Reason:    "define auth challenge set failAuthentication",
		})
	case name == trigger.ChallengePasswordVerifier && s.cfg.passwordFirst && len(session) > 0 && session[len(session)-1].ChallengeName == trigger.ChallengeSRPA:
		s.present(name, nil, nil)
		return &Result{Outcome: OutcomeChallenge, ChallengeName: name, Rounds: len(s.session)}, nil
	case name != trigger.ChallengeCustom:
		return s.fail(fmt.Errorf("%w: define auth challenge named the challenge %q, which the simulator does not simulate here (it simulates CUSTOM_CHALLENGE, and PASSWORD_VERIFIER right after SRP_A with WithPasswordFirst)", ErrNotSimulated, clip(name)))
	}

	creq := createRequest{
		UserAttributes: s.attributes(),
		ChallengeName:  name,
		Session:        session,
		ClientMetadata: md,
		UserNotFound:   s.cfg.userNotFound,
	}
	resp, err = s.invoke(ctx, op, s.create, trigger.KindCreateAuthChallenge, trigger.SourceCreateAuthChallenge, creq, emptyCreateResponse)
	if err != nil {
		return s.fail(err)
	}
	public, private, metadata, err := createChallenge(resp)
	if err != nil {
		return s.fail(invalidOutput(trigger.KindCreateAuthChallenge, err.Error()))
	}
	if len(private) == 0 {
		return s.fail(&CognitoError{
			Exception: NotAuthorizedException,
			Message:   "Incorrect username or password.",
			Trigger:   trigger.KindCreateAuthChallenge,
			Reason:    "create auth challenge returned no privateChallengeParameters",
		})
	}
	s.present(name, private, metadata)
	return &Result{Outcome: OutcomeChallenge, ChallengeName: name, Parameters: public, Rounds: len(s.session)}, nil
}

// present hands the client a challenge and a fresh session.
func (s *CustomAuth) present(name string, private map[string]string, metadata *string) {
	s.state, s.challenge, s.private, s.metadata = challenged, name, private, metadata
	s.expires = s.cfg.now().Add(s.cfg.validity)
}

// fail ends the sign-in and returns a failed Result with err.
func (s *CustomAuth) fail(err error) (*Result, error) {
	s.state, s.challenge, s.private, s.metadata = ended, "", nil, nil
	return s.failedResult(), err
}

func (s *CustomAuth) failedResult() *Result {
	return &Result{Outcome: OutcomeFailed, Rounds: len(s.session)}
}

// attributes returns a copy of the user's attributes for one event.
func (s *CustomAuth) attributes() map[string]string { return maps.Clone(s.cfg.attributes) }

// invoke sends one event to h, records the invocation, and returns the
// response members of the output once it passed Cognito's checks. Its
// errors are Cognito's ([*CognitoError]) or the ended ctx's.
func (s *CustomAuth) invoke(ctx context.Context, op Operation, h lambda.Handler, k trigger.Kind, src trigger.Source, req any, emptyResponse string) (map[string]json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("triggertest: %w", err)
	}
	hd := eventHeader{
		Version:       "1",
		TriggerSource: src,
		Region:        s.cfg.region,
		UserPoolID:    s.cfg.poolID,
		UserName:      s.cfg.username,
		CallerContext: trigger.CallerContext{AWSSDKVersion: s.cfg.sdkVersion, ClientID: s.cfg.clientID},
	}
	payload, err := json.Marshal(event{eventHeader: hd, Request: req, Response: json.RawMessage(emptyResponse)})
	if err != nil {
		return nil, fmt.Errorf("triggertest: encode the %s event: %w", k, err)
	}

	var (
		out     []byte
		herr    error
		elapsed time.Duration
	)
	for attempt := 1; ; attempt++ {
		ictx := lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
			AwsRequestID:       RequestID,
			InvokedFunctionArn: "arn:aws:lambda:" + s.cfg.region + ":123456789012:function:" + string(k),
		})
		ictx, cancel := context.WithTimeout(ictx, s.cfg.timeout)
		start := time.Now()
		out, herr = h.Invoke(ictx, payload)
		elapsed = time.Since(start)
		cancel()
		if herr != nil {
			out = nil
		}
		s.calls = append(s.calls, Invocation{Kind: k, Operation: op, Event: payload, Output: slices.Clone(out), Err: herr})

		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("triggertest: %w", err)
		}
		if elapsed <= s.cfg.timeout {
			break
		}
		if attempt == TriggerAttempts {
			return nil, &CognitoError{
				Exception: UnexpectedLambdaException,
				Message:   string(k) + " invocation failed due to error Socket timeout while invoking Lambda function.",
				Trigger:   k,
				Reason:    fmt.Sprintf("%d invocations each took longer than %v, the last %v", TriggerAttempts, s.cfg.timeout, elapsed.Round(time.Millisecond)),
			}
		}
	}
	if herr != nil {
		return nil, &CognitoError{
			Exception: UserLambdaValidationException,
			Message:   string(k) + " failed with error " + herr.Error() + ".",
			Trigger:   k,
			Reason:    "the function returned an error",
		}
	}
	resp, reason := wholeEvent(hd, out)
	if reason != "" {
		return nil, invalidOutput(k, reason)
	}
	return resp, nil
}

// optionalMap returns a pointer to a copy of m, or nil when m is nil: a nil
// ClientMetadata is left out of the events, an empty one is sent as {}.
func optionalMap(m map[string]string) *map[string]string {
	if m == nil {
		return nil
	}
	c := maps.Clone(m)
	return &c
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
