// Package appenv checks APP_NAME and APP_URL, the name and address of the
// app that the messages of the custom message trigger, the custom senders
// and passwordless create show, by Cognito's rules for the text of a
// message. Package message and package passwordlesscore (the SDK-free
// core of package passwordless) both check the variables with it, with
// the same words; it links neither the AWS SDK nor the templates, which
// passwordless define and verify must not link.
package appenv

import (
	"errors"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cognitrig/cognitrig/internal/envvar"
)

// The environment variables.
const (
	// EnvName is the name of the app as its users know it.
	EnvName = "APP_NAME"
	// EnvURL is the app's http or https address.
	EnvURL = "APP_URL"
)

// MaxName is the longest APP_NAME accepted, in characters: the default SMS
// texts, which show it, then stay within Cognito's 140 characters.
const MaxName = 40

// Units is the length of s in UTF-16 code units, as Cognito counts the
// length of a message: most emoji count two.
func Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// ErrNoName is the error of a function that sends messages and has no
// APP_NAME.
var ErrNoName = envvar.Wrap(EnvName, errors.New("APP_NAME is not set; set it to the name of your app as its users know it: messages show it"))

// CheckName reports what is wrong with an APP_NAME, trimmed: more than
// MaxName characters, or not one line of plain text. It accepts "":
// whether the name is required is the caller's to say.
func CheckName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case n > MaxName:
		return envvar.Errorf(EnvName, "%s is %d characters long; use at most %d", EnvName, n, MaxName)
	case !Clean(name):
		return envvar.Errorf(EnvName, "%s=%q has a line break or a control character; use one line of plain text", EnvName, name)
	}
	return nil
}

// NormalizeURL returns an APP_URL, trimmed, without its trailing slashes,
// or an error when it is not an http or https address without user
// information and characters Cognito refuses. It accepts "", for no
// address.
func NormalizeURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || !Clean(s) || strings.ContainsAny(s, " \"'<>") {
		return "", envvar.Errorf(EnvURL, "%s=%q is not an http or https address; use one such as https://app.example.com, or leave it unset", EnvURL, s)
	}
	return strings.TrimRight(s, "/"), nil
}

// Allowed reports whether Cognito accepts r in a message: its patterns
// allow letters, marks, symbols, numbers, punctuation and ASCII white
// space.
func Allowed(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= ' ' && r < 0x7f || r >= '\t' && r <= '\r'
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P)
}

// Clean reports whether v is one line of characters Cognito accepts in a
// message, without doubled or outer spaces.
func Clean(v string) bool {
	if v != "" && (v[0] == ' ' || v[len(v)-1] == ' ') || strings.Contains(v, "  ") {
		return false
	}
	for _, r := range v {
		if r != ' ' && (!Allowed(r) || unicode.IsSpace(r)) {
			return false
		}
	}
	return utf8.ValidString(v)
}
