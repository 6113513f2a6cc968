// Package events holds the sample events of this repository, one JSON file
// for each trigger source that Amazon Cognito sends to a user-pool Lambda
// trigger, embedded so that the tests of any module can load them:
//
//	payload := triggertest.LoadFS(t, events.FS, "presignup/PreSignUp_SignUp.json")
//
// The files are the ones under events/ in the repository, at the same paths
// relative to that folder; events/README.md describes their layout, naming
// and contents. The package imports only embed and io/fs, so importing it
// adds nothing to a module's dependencies.
package events

import (
	"embed"
	"io/fs"
)

// A new folder needs a line here (the package's test names any file left
// out).
//
//go:embed createauth/*.json customemailsender/*.json custommessage/*.json customsmssender/*.json
//go:embed defineauth/*.json inboundfederation/*.json
//go:embed postauthentication/*.json postconfirmation/*.json preauthentication/*.json
//go:embed presignup/*.json pretokengen-v1/*.json pretokengen-v2/*.json pretokengen-v3/*.json
//go:embed usermigration/*.json verifyauth/*.json
var files embed.FS

// FS holds the sample events at <dir>/<TriggerSource>.json and
// <dir>/<TriggerSource>.<variant>.json, such as
// "presignup/PreSignUp_SignUp.json" or
// "defineauth/DefineAuthChallenge_Authentication.wrong-answer.json", where
// <dir> is the name of the function under triggers/ that handles the
// event. Paths are slash-separated and have no "events/" prefix. It holds
// every file of the folder. It is read-only; callers must not assign to it.
var FS fs.FS = files
