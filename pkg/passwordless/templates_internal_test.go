package passwordless

import (
	"slices"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// The templates New loads are those of package message reduced to the
// sign-in message, which renders the same from either.
func TestSignInTemplatesAreTheDefaults(t *testing.T) {
	reduced, err := message.Load(signInTemplates{message.Defaults()})
	if err != nil {
		t.Fatal(err)
	}
	full, err := message.Load(message.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reduced.Languages(), full.Languages(); !slices.Equal(got, want) {
		t.Fatalf("languages %v, want %v", got, want)
	}
	d := message.Data{
		User: map[string]string{"given_name": "Jane", "email": "jane.doe@example.com"},
		Code: "123456", AppName: "Example", AppURL: "https://app.example.com", Minutes: 3,
		Link: "https://app.example.com/sign-in#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	}
	for _, lang := range full.Languages() {
		for _, p := range []message.Part{message.Subject, message.Body, message.Text, message.SMS} {
			got, err := reduced.Render(lang, MessageName, p, d, message.CodeField)
			if err != nil {
				t.Fatal(err)
			}
			want, err := full.Render(lang, MessageName, p, d, message.CodeField)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: the reduced templates render %d bytes, the full ones %d", message.File(lang, MessageName, p), len(got), len(want))
			}
		}
		if reduced.Has(lang, "SignUp", message.Body) {
			t.Errorf("%s: the reduced templates hold other messages than %s", lang, MessageName)
		}
	}
}
