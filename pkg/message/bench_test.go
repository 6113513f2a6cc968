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
	ctx, cancel := triggertest.Context(1 << 40)
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}
