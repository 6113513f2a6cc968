// Package otp draws and checks the one-time secrets of passwordless
// sign-in: numeric codes that a person types, and magic-link tokens that a
// browser carries back.
//
// Codes ([NewCode]) have [MinLength] to [MaxLength] decimal digits, each
// drawn from crypto/rand by rejection sampling: a random byte is kept only
// when it is below 250, the largest multiple of ten that fits in a byte,
// so every digit has exactly 25 of the 250 kept values and none is
// favored. (Taking a byte modulo 10 without rejection would favor 0–5;
// scaling a random fraction by 9 instead of 10 would never draw a 9.)
//
// Tokens ([NewToken]) are [TokenBytes] random bytes in URL-safe base64
// without padding: [TokenLength] characters that fit in a URL fragment
// unchanged.
//
// A [Secret] is what one challenge round issued: a code, an optional
// token and the time of issue. [Secret.Check] judges an answer: it trims
// white space, refuses an answer that has neither the code's form (its
// length, ASCII digits only) nor the token's, compares in constant time
// with crypto/subtle, and refuses a secret older than its time to live
// ([Expired]). Secrets print as "[REDACTED]" through fmt and log/slog.
package otp
