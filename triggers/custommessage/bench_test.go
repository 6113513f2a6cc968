package main

import (
	"os"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/envfile"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// BenchmarkCustomMessage measures one invocation of the deployed function:
// the handler message.FromEnv builds from the settings of invoke.env, invoked
// through the adapter the way Lambda invokes it (decode, language, three
// renders, encode, and the log line of the invocation at level Info,
// written to os.DevNull in place of standard output). Each fixture is
// checked once to get all three messages.
func BenchmarkCustomMessage(b *testing.B) {
	for _, fixture := range []string{"CustomMessage_SignUp", "CustomMessage_ForgotPassword"} {
		b.Run(strings.TrimPrefix(fixture, "CustomMessage_"), func(b *testing.B) {
			h := benchHandler(b)
			payload := triggertest.Load(b, "../../events/custommessage/"+fixture+".json")
			ctx, cancel := triggertest.Context(1 << 40)
			defer cancel()
			ev, err := triggertest.InvokeEvent[trigger.CustomMessageEvent](b, h, payload)
			if err != nil {
				b.Fatalf("Invoke: %v", err)
			}
			if r := ev.Response; !strings.Contains(string(r.SMSMessage), "{####}") || r.EmailSubject == "" || !strings.Contains(string(r.EmailMessage), "{####}") {
				b.Fatalf("response %+v lacks a message or the code placeholder", r)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				if _, err := h.Invoke(ctx, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchHandler builds the function with message.FromEnv from invoke.env, its
// logger writing to os.DevNull: Lambda's standard output is a pipe, so
// each log line costs a write there too.
func benchHandler(b *testing.B) *trigger.Handler {
	b.Helper()
	lines, err := envfile.Read("invoke.env")
	if err != nil {
		b.Fatal(err)
	}
	env := map[string]string{}
	for _, kv := range lines {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { devNull.Close() })
	stdout := os.Stdout
	os.Stdout = devNull // FromEnv's logger writes to os.Stdout
	defer func() { os.Stdout = stdout }()
	h, err := message.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		b.Fatalf("FromEnv: %v", err)
	}
	return h
}
