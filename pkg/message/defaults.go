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
