package message_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cognitrig/cognitrig/pkg/message"
)

// WithLimit changes one part's length limit in a copy of the set; the set
// keeps Cognito's.
func TestWithLimit(t *testing.T) {
	set, err := message.Load(fstest.MapFS{
		"en/Long.sms.txt":     {Data: []byte(strings.Repeat("x", 150) + " {{.Code}}")},
		"en/Long.subject.txt": {Data: []byte(strings.Repeat("x", 150))},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := message.Data{Code: "123456"}
	wide := set.WithLimit(message.SMS, 800)
	tests := []struct {
		name    string
		set     *message.Set
		part    message.Part
		wantErr error
	}{
		{name: "Cognito's SMS limit", set: set, part: message.SMS, wantErr: message.ErrLimit},
		{name: "a wider SMS limit", set: wide, part: message.SMS},
		{name: "other parts keep theirs", set: wide, part: message.Subject, wantErr: message.ErrLimit},
		{name: "a narrower limit", set: set.WithLimit(message.SMS, 100).WithLimit(message.Subject, 0), part: message.SMS, wantErr: message.ErrLimit},
		{name: "0 restores the limit", set: wide.WithLimit(message.SMS, 0), part: message.SMS, wantErr: message.ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.set.Render("en", "Long", tt.part, d, message.CodeField)
			if tt.part == message.Subject {
				_, err = tt.set.Render("en", "Long", tt.part, d)
			}
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Render error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
