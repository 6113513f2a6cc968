// Package message writes the email and SMS messages a user pool sends:
// verification codes, temporary passwords, password resets and sign-in
// codes, in the user's language.
//
// Messages are Go templates kept in an [fs.FS], one folder per language
// and up to four files per message, one a [Part], plus optional partials
// shared by the HTML bodies:
//
//	en/SignIn.subject.txt   the email subject, plain text (text/template)
//	en/SignIn.html          the email body, HTML (html/template)
//	en/SignIn.txt           the email's plain-text body (text/template)
//	en/SignIn.sms.txt       the SMS text, plain text (text/template)
//	_layout.html            partial of every language: the frame ("layout")
//	en/_phrases.html        partial of en only: the frame's English words
//
// A message has the files of the parts its sender uses: the custom message
// trigger sends no plain-text body, so its messages have three.
//
// [Load] parses such a folder into a [Set]; [Defaults] is the folder this
// package ships (pkg/message/templates in the repository), with English
// and Spanish messages for every custom message trigger source and the
// SignIn message of the passwordless trigger. A Set picks the language
// for a user's locale ([Set.Language]) and renders a part of a message
// from [Data] ([Set.Render]) with Cognito's rules enforced: the parts that
// must show the code (or the username, or the link) do, the length limits
// hold, and values that come from the user are escaped in HTML and
// stripped of characters Cognito refuses. [Set.Check] runs the same rules
// over every language, so that a broken template stops a function at
// start-up rather than at a user's sign-up.
//
// The code, username and link reach a template as opaque values: they
// survive any escaping (even inside an href), so Cognito's placeholders
// such as {####} arrive in the message exactly as Cognito sent them.
//
// [CustomMessage] is the custom message trigger built on a Set, configured
// by [Config] (see [ConfigFromEnv] for the environment it reads); [FromEnv]
// builds it from the environment, as triggers/custommessage does. When a
// message cannot be rendered for an unusual user, it logs why and leaves
// the response fields null, so that Cognito sends its own message instead
// of failing the user's request.
//
// # Start-up
//
// Parsing every template and rendering each with sample data, which is how
// [NewCustomMessage] makes sure that a broken template stops a function
// before it meets a user, cost the custom message trigger about 6 ms of
// every cold start (2.6 ms to parse, 3.4 ms to check, on a 2-core x86
// machine). Yet the shipped templates are embedded and cannot change after
// the build. So the package's tests do that check once, for every
// configuration the function trusts them with (TestGoldenVerified: every
// file parses, and every template the custom message trigger uses renders
// within Cognito's rules in every language, for each sender and
// verification, with the shortest and the longest APP_NAME and APP_URL),
// and record in verified.go the digest of the templates they checked;
// go test -run TestGolden -update rewrites it with the golden files.
//
// [LoadDefaults], which the custom message trigger uses, hashes the
// embedded templates as it reads them (a fraction of a millisecond). When
// they are those the tests checked, it parses none: each template is
// parsed when first rendered, so the first message of each kind (the first
// sign-up email in Spanish, say) takes under a millisecond more,
// and NewCustomMessage skips the check. When they are not (templates
// edited, and the tests not run since), LoadDefaults parses them all and
// NewCustomMessage checks them, as it checks any set from Load, such as a
// folder of the user's own. It checks them too with a configuration the
// tests did not cover (an APP_NAME that Cognito counts as more than
// MaxAppName characters, an APP_URL of more than 200 bytes) and with
// limits changed by [Set.WithLimit]. Whatever the set, Render checks every
// message before it is returned.
//
// An eager check of only the templates the trigger uses (45 of the 71
// files) still took about 5 ms: half to parse them, the rest for the
// escaping html/template does on a body's first render and for the
// renders. Parsing lazily without the digest would let edited templates
// ship unchecked.
//
// # Rendering
//
// Running a template costs text/template's reflection: about two thirds
// of the time and allocations of a create auth challenge invocation went
// to rendering the three parts of one email. Most of a message does not
// depend on the user, so after a template's first run, Render analyses
// it, and when its output depends on the user's attributes only through
// whether one is empty and through the attribute printed as text (every
// shipped template), it keeps the output for each combination of the
// values users share (app name and address, minutes, which fields and
// attributes are empty), cut where the user's values go. A message is
// then those pieces with the user's values escaped in between, the same
// text byte for byte. A template that does more with an attribute (an eq,
// a printf, an index, a URL or a script) is run for every message, as
// before.
//
// # Size
//
// html/template, which escapes what users put in the HTML bodies, is most
// of what this package adds to a function: about 2 MB of the custom
// message trigger's 8.9 MiB, against 0.13 MB for this package's code and
// templates. A quarter of it is html/template's escaper; the rest is
// text/template, which finds fields and methods by name at run time, so
// that the linker must keep every exported method of every type the
// program has (of net/http, crypto/tls, math/big...).
package message
