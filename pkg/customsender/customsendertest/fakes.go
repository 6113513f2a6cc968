package customsendertest

import (
	"context"
	"sync"

	"github.com/cognitrig/cognitrig/pkg/notify"
)

// Decrypter is an in-memory customsender.Decrypter in place of KMS, for
// examples and unit tests that need no ciphertext: every code decrypts to
// Code.
type Decrypter struct{ Code string }

// Decrypt returns d.Code, whatever it is given.
func (d Decrypter) Decrypt(context.Context, string, string) (string, error) {
	return d.Code, nil
}

// Outbox is an in-memory notify.EmailSender and notify.SMSSender in place
// of SES and SNS: it keeps every message it is given and sends nothing.
// The zero value is ready; it is safe for concurrent use.
type Outbox struct {
	mu     sync.Mutex
	emails []notify.Email
	sms    []notify.SMS
}

// SendEmail keeps m.
func (o *Outbox) SendEmail(_ context.Context, m notify.Email) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emails = append(o.emails, m)
	return nil
}

// SendSMS keeps m.
func (o *Outbox) SendSMS(_ context.Context, m notify.SMS) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sms = append(o.sms, m)
	return nil
}

// Emails returns the emails kept, oldest first.
func (o *Outbox) Emails() []notify.Email {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]notify.Email(nil), o.emails...)
}

// SMS returns the text messages kept, oldest first.
func (o *Outbox) SMS() []notify.SMS {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]notify.SMS(nil), o.sms...)
}
