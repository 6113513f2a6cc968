package passwordless

import (
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/cognitrig/cognitrig/internal/appenv"
	core "github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/otp"
)

// signInTemplates is a template folder (package message's, for Load)
// reduced to what create renders: the partials and the MessageName files
// of every language. Loading it takes a third of the time that loading
// every message takes, at every cold start.
type signInTemplates struct{ fsys fs.FS }

// keep reports whether the file named name (a base name) is a partial or
// a part of MessageName. Folders have no dot in their names and are kept.
func keep(name string) bool {
	return !strings.Contains(name, ".") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, MessageName+".")
}

// Open opens the file name of the folder, unless it is left out.
func (t signInTemplates) Open(name string) (fs.File, error) {
	if name != "." && !keep(path.Base(name)) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return t.fsys.Open(name)
}

// ReadDir lists the folder name without what is left out.
func (t signInTemplates) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(t.fsys, name)
	if err != nil {
		return nil, err
	}
	kept := make([]fs.DirEntry, 0, len(entries))
	for _, e := range entries {
		if keep(e.Name()) {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// The longest values of the configurations with which TestGoldenVerified
// renders the shipped sign-in message, besides an APP_NAME of MaxAppName
// UTF-16 code units: APP_URL and MAGIC_LINK_URL in bytes, and the life of
// a code in minutes.
const (
	maxTrustedAppURL  = 200
	maxTrustedLinkURL = 500
	maxTrustedMinutes = int(core.MaxTTL / time.Minute)
)

// trusted reports whether TestGoldenVerified, which renders the shipped
// sign-in message as checkTemplates does for every configuration within
// the bounds above, covers cfg, so that New may skip checkTemplates for
// the templates it verified (verifiedDigest). The test renders every
// code length and every life in minutes that Config allows, with and
// without a magic link, and the shortest and the longest APP_NAME,
// APP_URL and MAGIC_LINK_URL, the longest made of '&', which escaping
// lengthens most (to "&amp;" in HTML, where no other character Cognito
// accepts grows more), or, for APP_NAME, of emoji, which Cognito counts
// twice: a value within the bounds cannot make a part longer than the
// longest did. The values must be of characters Cognito accepts, on one
// line (appenv.Clean), which ConfigFromEnv requires of APP_NAME and
// APP_URL but not of MAGIC_LINK_URL, and a Config built in Go need not
// have.
func trusted(cfg Config) bool {
	name, link, f := cfg.AppName, cfg.MagicLinkURL, cfg.Flow
	return appenv.Clean(name) && appenv.Units(name) <= MaxAppName &&
		appenv.Clean(cfg.AppURL) && len(cfg.AppURL) <= maxTrustedAppURL &&
		(!f.MagicLink || appenv.Clean(link) && len(link) <= maxTrustedLinkURL) &&
		f.OTPLength >= otp.MinLength && f.OTPLength <= otp.MaxLength &&
		minutes(f.TTL) <= maxTrustedMinutes
}
