package message_test

import (
	"io"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// BenchmarkCustomMessage measures one invocation of the custom message
// trigger on the sign-up sample event: decode, three renders, encode.
func BenchmarkCustomMessage(b *testing.B) {
	h := newTriggerLogging(b, nil, testConfig, io.Discard)
	payload := triggertest.Load(b, fixtures+"CustomMessage_SignUp.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := triggertest.Invoke(h, payload); err != nil {
			b.Fatal(err)
		}
	}
}
