// Package customsender is the custom email sender and custom SMS sender
// triggers of a user pool, ready to deploy: Cognito hands them every code
// it would send (sign-up, resent and password-reset codes, attribute
// verification, temporary passwords, sign-in codes of MFA and of
// choice-based passwordless sign-in, EMAIL_OTP and SMS_OTP) encrypted
// under the pool's KMS key, and they deliver it themselves, through
// Amazon SES v2 or Amazon SNS, in the user's language.
//
// For each event the [Sender]:
//
//   - decrypts the code with the AWS Encryption SDK and a strict AWS KMS
//     keyring on the pool's key ([KMSDecrypter]), after checking that it
//     has the form of the SDK's messages ([DecodeCiphertext]); the KMS
//     calls get the invocation's deadline; a temporary password, which
//     Cognito HTML-escapes, is unescaped;
//   - writes the message of the trigger source from the templates of
//     package message, in the language of the user's locale attribute:
//     the custom message trigger's texts (SignUp, ResendCode,
//     ForgotPassword, UpdateUserAttribute, VerifyUserAttribute,
//     AdminCreateUser), the passwordless trigger's SignIn for the sign-in
//     code, and AccountTakeOver, the warning about a risky sign-in that
//     carries no code; an email has a subject, an HTML and a text body;
//   - sends it through package notify, which retries within the deadline
//     and tells a refusal for good ([notify.Rejected]) from a failure; an
//     SMS goes only to the countries of SMS_ALLOWED_CALLING_CODES (or
//     every one, with SMS_ALLOW_ALL_COUNTRIES=true), and the SMS trigger
//     refuses to start with neither ([Config.Check]).
//
// Cognito invokes these triggers asynchronously: Lambda retries an
// invocation that fails, twice by default, a minute or more apart. A
// failed decryption or delivery returns an error, so that the failure
// shows in the function's error metrics and a transient one is retried;
// nothing was sent, so the retry sends at most once. To keep an event
// that Lambda delivers twice from sending twice, a Sender remembers the
// digests of the last codes its process sent and skips them. Duplicates
// that reach another instance, and a send that succeeded though its
// answer was lost, still send twice: the plaintext code is the same, so
// the user sees the same code again.
//
// The plaintext never reaches a log or an error. triggers/customemailsender
// and triggers/customsmssender are mains over emailsender.FromEnv and
// smssender.FromEnv (packages pkg/customsender/emailsender and
// pkg/customsender/smssender), which build the functions in any program,
// with a fake decrypter and senders in tests. This package imports
// neither the SES nor the SNS sender, so that each function links only its
// own channel's AWS client ([Function]). docs/customsenders.md describes
// the configuration, the IAM permissions and the key policy.
package customsender
