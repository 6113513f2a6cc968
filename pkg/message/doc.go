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
// by [Config] (see [ConfigFromEnv] for the environment it reads). When a
// message cannot be rendered for an unusual user, it logs why and leaves
// the response fields null, so that Cognito sends its own message instead
// of failing the user's request.
package message
