package trigger

import (
	"os"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// BenchmarkDecodeEvent measures the decoding alone, against the library's
// own decoding of the whole event.
func BenchmarkDecodeEvent(b *testing.B) {
	payload, err := os.ReadFile("../../events/defineauth/DefineAuthChallenge_Authentication.wrong-answer.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decodeEvent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var ev DefineAuthChallengeEvent
			req, resp := ev.parts()
			if _, err := decodeEvent(payload, &ev.Header, req, resp); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var ev DefineAuthChallengeEvent
			if err := jsonv2.Unmarshal(payload, &ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
