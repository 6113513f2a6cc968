package devstack

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cognitrig/cognitrig/internal/moto"
)

// MailboxPath is the page of the user-pool endpoint that lists what the
// stack sent: GET MailboxPath?to=ADDRESS[&last=N].
const MailboxPath = "/mailbox"

// Message is one message the stack sent, as the mailbox lists it.
type Message struct {
	// Channel is "email" or "sms".
	Channel string `json:"channel"`
	// To is the email address or phone number it went to; From the
	// sender of an email.
	To   string `json:"to"`
	From string `json:"from,omitempty"`
	// Subject is an email's subject; Body its HTML (or text) part, or an
	// SMS's text.
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
}

// Mailbox returns the messages sent to address (an email address, in any
// case, or a phone number), newest first, at most last of them: every
// message of the stack goes through moto_server's SES v2 or SNS, those of
// cognito-local and of the functions alike.
func Mailbox(sent moto.Messages, address string, last int) []Message {
	var out []Message
	for _, e := range slices.Backward(sent.Emails) {
		if slices.ContainsFunc(e.Destinations.ToAddresses, func(to string) bool { return strings.EqualFold(to, address) }) {
			out = append(out, Message{Channel: "email", To: address, From: e.Source, Subject: e.Subject, Body: e.Body})
		}
	}
	for _, m := range slices.Backward(sent.SMS) {
		if m.PhoneNumber == address {
			out = append(out, Message{Channel: "sms", To: address, Body: m.Message})
		}
	}
	if len(out) > last {
		out = out[:last]
	}
	return out
}

// serveMailbox answers GET MailboxPath?to=ADDRESS[&last=N] with the last N
// messages to ADDRESS (10 by default), newest first, in JSON.
func (st *Stack) serveMailbox(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fail := func(status int, msg string) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
	}
	to := r.URL.Query().Get("to")
	if to == "" {
		fail(http.StatusBadRequest, "name the address: "+MailboxPath+"?to=jane@example.com (or ?to=%2B15555550100 for a phone number)")
		return
	}
	last := 10
	if v := r.URL.Query().Get("last"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fail(http.StatusBadRequest, "last="+strconv.Quote(v)+" is not a positive number of messages")
			return
		}
		last = n
	}
	sent, err := moto.Sent(r.Context(), st.MotoURL)
	if err != nil {
		fail(http.StatusBadGateway, "moto_server did not answer: "+err.Error())
		return
	}
	msgs := Mailbox(sent, to, last)
	if msgs == nil {
		msgs = []Message{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(msgs)
}
