package customsender

import (
	"github.com/cognitrig/cognitrig/internal/appenv"
	"github.com/cognitrig/cognitrig/pkg/message"
)

// maxTrustedAppURL is the longest APP_URL, in bytes, of the
// configurations with which TestGoldenVerified renders the shipped
// templates; their longest APP_NAME is message.MaxAppName UTF-16 code
// units.
const maxTrustedAppURL = 200

// trusted reports whether TestGoldenVerified, which renders the shipped
// templates as checkTemplates does for every configuration within the
// bounds above, covers cfg, so that New may skip checkTemplates for the
// templates it verified (verifiedDigest). APP_NAME and APP_URL are all of
// cfg that reaches a template (samples). The test renders both senders'
// parts with the shortest and the longest of each, the longest made of
// '&', which escaping lengthens most where the templates show them (to
// "&amp;" in HTML text and in an href, where html/template writes any
// other byte in three characters at most, or an unsafe address as the 9
// of "#ZgotmplZ"), and, for APP_NAME, of emoji, which Cognito counts
// twice: a value within the bounds cannot make a part longer than the
// longest did. The values must be one line of characters Cognito accepts
// (appenv.Clean), which ConfigFromEnv requires and a Config built in Go
// need not have.
func trusted(cfg Config) bool {
	return appenv.Clean(cfg.AppName) && appenv.Units(cfg.AppName) <= message.MaxAppName &&
		appenv.Clean(cfg.AppURL) && len(cfg.AppURL) <= maxTrustedAppURL
}
