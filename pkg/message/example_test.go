package message_test

import (
	"fmt"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// A set of templates in two languages, rendered for a user whose locale is
// es-MX. The user's name is escaped in the HTML body and left as it is in
// the plain-text subject; the code placeholder survives inside the href.
func ExampleSet_Render() {
	set, err := message.Load(fstest.MapFS{
		"en/Welcome.subject.txt": {Data: []byte("Welcome to {{.AppName}}, {{.User.given_name}}")},
		"en/Welcome.html":        {Data: []byte(`<p>Hi {{.User.given_name}}: <a href="{{.AppURL}}/verify?code={{.Code}}">verify</a></p>`)},
		"es/Welcome.subject.txt": {Data: []byte("Te damos la bienvenida a {{.AppName}}, {{.User.given_name}}")},
		"es/Welcome.html":        {Data: []byte(`<p>Hola, {{.User.given_name}}: <a href="{{.AppURL}}/verify?code={{.Code}}">verifica</a></p>`)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := message.Data{
		User:    map[string]string{"given_name": "<Ana>", "locale": "es-MX"},
		Code:    "{####}",
		AppName: "Example",
		AppURL:  "https://app.example.com",
	}
	lang := set.Language(d.User["locale"])
	subject, err := set.Render(lang, "Welcome", message.Subject, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	body, err := set.Render(lang, "Welcome", message.Body, d, message.CodeField)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lang)
	fmt.Println(subject)
	fmt.Println(body)
	// Output:
	// es
	// Te damos la bienvenida a Example, <Ana>
	// <p>Hola, &lt;Ana&gt;: <a href="https://app.example.com/verify?code={####}">verifica</a></p>
}
