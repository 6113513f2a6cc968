// Package passwordlesscore is the SDK-free, template-free core of package
// passwordless, the passwordless sign-in of a user pool through Cognito's
// custom authentication triggers: a one-time code sent by email or SMS,
// optionally a magic link, optionally after the password. Users import
// package passwordless, which exposes what they need of this one; only
// the shipped define and verify functions (triggers/defineauth and
// triggers/verifyauth) import it directly.
//
// It holds two things, neither of which links the AWS SDK or the
// templates (text/template, html/template), so that define and verify stay
// about as small as an aws-lambda-go function, and start as fast (a test,
// TestDecidingFunctionsLinkNoSDK, keeps them so).
//
// The first is the configuration the three functions (define, create and
// verify) share, read from their environment and checked
// ([ConfigFromEnv]), and the two functions that need nothing more: define
// and verify, which only decide ([DefineFromEnv], [VerifyFromEnv]). Every
// function checks the whole configuration at start-up, so that a wrong
// value stops each of them with the same message naming the variable,
// whichever function a deployment starts first. Only create sends, so
// only it needs a sender and an app name ([Config.CheckCreate]); it is
// built by package passwordless, which adds the message templates and the
// AWS SDK clients.
//
// The second is the security-critical decisions of a sign-in, and nothing
// else: no AWS call and no message text. [FlowConfigFromEnv] reads the
// flow's own variables. A [Flow], built by [New] from a checked
// [FlowConfig], has one method per trigger. Each reads the typed event of
// package trigger and the clock, never changes the event, and returns a
// decision that says what to answer and why (a [Reason], for the log):
//
//	flow, err := passwordlesscore.New(cfg)
//	// define auth challenge
//	d := flow.Define(ev)
//	d.Apply(&ev.Response)
//	// create auth challenge
//	c, err := flow.Create(ev)  // a trigger.Denial, or an internal error
//	// ...send c.Delivery when it is not nil, then:
//	c.Apply(&ev.Response)
//	// verify auth challenge response
//	v := flow.Verify(ev)
//	v.Apply(&ev.Response)
//
// # The flow
//
// Cognito runs define, then create when define asks for a CUSTOM_CHALLENGE;
// the client answers; verify judges the answer; the session gains an entry
// {challengeName, challengeResult, challengeMetadata}; define runs again.
// One round is one create, one answer, one verify.
//
// Define, passwordless: an empty session starts a CUSTOM_CHALLENGE. A
// correct answer issues tokens. A wrong answer starts another round until
// FlowConfig.MaxAttempts wrong answers, which fail the sign-in. A client asks
// for a new code by answering with ClientMetadata {"action": "resend"}
// (optionally "channel": "email" or "sms"): verify refuses such an answer
// without looking at it, define starts another round without counting a
// wrong answer, and more than FlowConfig.MaxResends resends fail the sign-in.
// A session with any other challenge than CUSTOM_CHALLENGE fails.
//
// Define, with FlowConfig.RequirePassword: the session must start with SRP_A
// (define then asks for PASSWORD_VERIFIER) and a successful
// PASSWORD_VERIFIER (define then starts the first CUSTOM_CHALLENGE); the
// rounds after it follow the passwordless rules. A session that starts
// otherwise (empty, ADMIN_NO_SRP_AUTH, a device or MFA challenge, a custom
// challenge) or with a failed password step fails. Tokens never come
// without both factors.
//
// Define issues tokens only when the last session entry is a
// CUSTOM_CHALLENGE that verify found correct and every round state reads
// and adds up (below). Whatever the round states say, a session never has
// more than MaxAttempts+MaxResends rounds.
//
// Create, first round: draws a code of FlowConfig.OTPLength digits (and, with
// FlowConfig.MagicLink, a token) and picks the channel: the configured one,
// or with ChannelAuto the user's email, else the phone_number. Later
// rounds reuse the code, without sending it again, until FlowConfig.TTL has
// passed since it was drawn; then, and on every resend, a new code is
// drawn and sent. A resend may switch to the requested channel when the
// configuration allows it and the user has that attribute; otherwise it
// stays on the current one. The public challenge parameters hold only
// [ParamChannel], [ParamDestination] (masked, as "j***@e***.com" or
// "+*********23") and [ParamCodeLength]; never the code. The private
// challenge parameters, which only verify sees, hold the round state, and
// are never empty. [CreateDecision.Delivery] says what to send; this
// package sends nothing.
//
// Verify: trims the answer, refuses one that has neither the code's form
// nor the token's, compares in constant time, refuses a code older than
// FlowConfig.TTL (see package otp), and never accepts an answer that comes
// with a resend request.
//
// # Round state
//
// Create never sees the private parameters of earlier rounds, so what a
// later round needs travels in challengeMetadata, which Cognito repeats in
// every later session entry. The same text goes to verify in the private
// parameter "round". Its form is eight fields separated by '.':
//
//	otp1.<kind>.<resends>.<channel>.<mode>.<issued>.<code>.<token>
//
//	otp1      format and version; any other value is refused
//	kind      why create started the round: new (the first round), retry
//	          (after a wrong answer) or resend (after a resend request)
//	resends   resends asked for in the sign-in so far, this round's
//	          included: 0 to 99, 0 for new, at least 1 for resend
//	channel   email or sms
//	mode      live, or decoy for a round that can never succeed
//	issued    when the code was drawn, in Unix seconds
//	code      6 to 10 digits
//	token     the magic-link token (32 URL-safe base64 characters), or
//	          empty without magic links
//
// For example "otp1.retry.1.email.live.1700000000.123456." (at most 81
// bytes). Numbers have no sign and no leading zeros, so every state has
// exactly one text form. The parser is strict: a wrong field count, an
// unknown version, kind, channel or mode, a number out of range, a code or
// token of the wrong form, or a longer text than any valid state is an
// error that names the field and never repeats a value.
//
// Define tells a resend from a wrong answer through the kind: round i+1 of
// kind resend means answer i asked for a new code, of kind retry that it
// was wrong. It checks that the states add up: the first round is new,
// later rounds are retry or resend, only a resend adds one to the resend
// count, a retry keeps the channel, and a sign-in's rounds are all live or
// all decoys. The answer to the last round is judged by the clientMetadata
// of the current call, which Cognito gives verify and define alike.
//
// Why this is safe:
//
//   - challengeMetadata never reaches the client (Cognito keeps the session
//     on its side) and is written only by create, so the state cannot be
//     forged by a client. It holds the code, so it is a secret: package
//     trigger redacts challengeMetadata in every log, and decisions and
//     rounds print without it.
//   - Tokens depend on verify's verdict, not on the state: a state that does
//     not read, or does not add up, fails the sign-in, and cannot make a
//     wrong answer correct. Even a forged state could only re-label wrong
//     answers as resends, and the cap of MaxAttempts+MaxResends rounds
//     bounds the guesses all the same.
//   - Verify compares with the code of the current round only: a new code
//     replaces the old one, which is then refused.
//
// # Unknown users
//
// With PreventUserExistenceErrors, Cognito runs the triggers for a user
// who does not exist, with userNotFound set. The three triggers then act
// as for a real user, and the sign-in never succeeds:
//
//   - define follows the same rules (rounds, attempts, resends), and fails
//     where it would issue tokens;
//   - create draws a code as usual, marks the round a decoy, sends nothing
//     ([CreateDecision.Delivery] is nil; [CreateDecision.Decoy] says why),
//     and shows a plausible masked destination: the username masked when it
//     is itself an email address or phone number, else an address invented
//     from a digest of the username (keyed with FlowConfig.DecoyKey), so every
//     attempt for the same name looks the same. Its channel follows the
//     rule of a real user who has both an email and a phone number, never
//     the username. The handler should take about as long as a real send;
//   - verify refuses every answer.
//
// A real user who has no destination that the configuration allows gets
// the same decoy rounds, so that this does not reveal the account
// (ReasonNoDestination lets the log say so). With FlowConfig.RequirePassword,
// the password has already shown that the user exists, and create refuses
// with a [trigger.Deny] message instead.
package passwordlesscore
