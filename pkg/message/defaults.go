package message

import (
	"embed"
	"io/fs"
)

// defaults holds the templates in pkg/message/templates, embedded when the
// program is built: the shared partials at the top and every file one
// folder down, so a new language folder needs no change here.
//
//go:embed templates/_*.html templates/*/*
var defaults embed.FS

// Defaults returns the templates this package ships, from the folder
// pkg/message/templates of the repository, as they were when the program
// was built: English (en) and Spanish (es) messages for every source of
// the custom message trigger, and SignIn, the sign-in code email (with a
// plain-text body, [Text]) and SMS of the passwordless trigger, ready for
// [Load]. The custom sender triggers (package customsender) use them too,
// with the plain-text bodies the custom message trigger does not need,
// and AccountTakeOver, their warning about a risky sign-in. To change a message or add a language, edit that folder and
// rebuild.
func Defaults() fs.FS {
	sub, err := fs.Sub(defaults, "templates")
	if err != nil {
		panic("message: the embedded templates have no templates folder: " + err.Error())
	}
	return sub
}

// LoadDefaults returns the set of [Defaults], for a function that starts
// often and uses few of its templates, such as the custom message
// trigger; the package documentation says why.
//
// When the templates are, byte for byte, those the package's tests last
// verified (their digest is in verified.go), it reads them without
// parsing them: each template is parsed when first rendered, so the first
// message of each kind pays for its own parsing (under a millisecond)
// and a start pays for none, and [NewCustomMessage] skips the
// check the tests did. Otherwise (templates edited, and the tests not run
// since) it is Load(Defaults()), and NewCustomMessage checks the set at
// start-up like any other.
func LoadDefaults() (*Set, error) {
	return loadVerified(Defaults(), verifiedDigest)
}

// loadVerified is LoadDefaults for the templates of fsys and the digest
// the tests verified.
func loadVerified(fsys fs.FS, verified string) (*Set, error) {
	s, matched, err := LoadMatching(fsys, verified)
	if matched {
		s.verified = true
	}
	return s, err
}

// LoadMatching returns the set of the templates of fsys, for a package
// whose tests verify templates of its own choice (such as a part of
// [Defaults]) and record their [Digest], as this package's tests do for
// [LoadDefaults]. When the digest of fsys is digest, it reads the
// templates without parsing them, as LoadDefaults does: each is parsed
// when first rendered, and matched is true. Otherwise it is [Load]:
// every template is parsed, and matched is false. The tests that record
// a digest must Load the templates first, so that no template that does
// not parse is ever matched.
//
// A match is the caller's to act on, and only for the checks its own
// tests did: the set is not trusted for the custom message trigger, so
// [NewCustomMessage] checks it as any set from Load, and Render checks
// every message before it is returned, whatever the set.
func LoadMatching(fsys fs.FS, digest string) (set *Set, matched bool, err error) {
	s, sum, err := read(fsys)
	if err != nil || sum != digest {
		s, err = parseAll(s, err)
		return s, false, err
	}
	return s, true, nil
}

// Digest returns the digest of the templates of fsys, which a test
// records once it has verified them, for [LoadMatching]: the SHA-256 of
// the name, length and contents of every file Load reads, in hex, so
// that any edit, added or removed file changes it. This package's tests
// record the digest of [Defaults] in verified.go. It parses nothing: the
// error, as Load's would, names each file of the folder that is not a
// template.
func Digest(fsys fs.FS) (string, error) {
	_, sum, err := read(fsys)
	return sum, err
}
