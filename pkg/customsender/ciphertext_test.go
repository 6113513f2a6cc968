package customsender_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/customsender"
)

// header returns a plausible message of n bytes that starts with head.
func header(n int, head ...byte) string {
	b := append(head, bytes.Repeat([]byte{0x42}, n-len(head))...)
	return base64.StdEncoding.EncodeToString(b)
}

func TestDecodeCiphertext(t *testing.T) {
	tests := []struct {
		name string
		code string
		want string // "" when the code must pass
	}{
		{name: "format 2", code: header(600, 0x02, 0x05, 0x78)},
		{name: "format 1", code: header(600, 0x01, 0x80, 0x03, 0x78)},
		{name: "format 1, unsigned suite", code: header(200, 0x01, 0x80, 0x00, 0x14)},
		{name: "white space around", code: " " + header(600, 0x02, 0x04, 0x78) + "\n"},
		{name: "empty", code: "", want: "it is empty"},
		{name: "fixture placeholder", code: "FAKE-CIPHERTEXT-AYADeXAMPLEEmailSignUp000==", want: "not standard base64"},
		{name: "URL-safe base64", code: strings.NewReplacer("+", "-", "/", "_").Replace(base64.StdEncoding.EncodeToString(append([]byte{2, 5, 0x78}, bytes.Repeat([]byte{0xfb}, 100)...))), want: "not standard base64"},
		{name: "too short", code: header(40, 0x02, 0x05, 0x78), want: "too short"},
		{name: "too long", code: header(customsender.MaxCiphertext+1, 0x02, 0x05, 0x78), want: "longer than"},
		{name: "format 3", code: header(600, 0x03, 0x05, 0x78), want: "version 0x03"},
		{name: "format 1, wrong type", code: header(600, 0x01, 0x81, 0x03, 0x78), want: "message type 0x81"},
		{name: "format 2, format 1 suite", code: header(600, 0x02, 0x03, 0x78), want: "unknown algorithm suite 0x0378"},
		{name: "a JSON document", code: base64.StdEncoding.EncodeToString([]byte(`{"code":"123456","padding":"` + strings.Repeat("x", 80) + `"}`)), want: "version 0x7b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := customsender.DecodeCiphertext(tt.code)
			if tt.want == "" {
				if err != nil || len(b) == 0 {
					t.Fatalf("DecodeCiphertext: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, customsender.ErrCiphertext) {
				t.Fatalf("error = %v, want ErrCiphertext saying %q", err, tt.want)
			}
			if len(tt.code) > 8 && strings.Contains(err.Error(), tt.code[:8]) {
				t.Errorf("the error repeats the code: %v", err)
			}
		})
	}
}

// FuzzDecodeCiphertext checks that any event code either decodes to a
// message that starts with a known format version, or fails with
// ErrCiphertext, without panicking; and that every byte string with a
// valid header passes in standard base64.
//
//	go test ./pkg/customsender -run '^$' -fuzz FuzzDecodeCiphertext -fuzztime 1m
func FuzzDecodeCiphertext(f *testing.F) {
	f.Add(header(600, 0x02, 0x05, 0x78))
	f.Add(header(518, 0x01, 0x80, 0x03, 0x78))
	f.Add("FAKE-CIPHERTEXT-AYADeXAMPLEEmailSignUp000==")
	f.Add("")
	f.Add("AQ==")
	f.Fuzz(func(t *testing.T, code string) {
		b, err := customsender.DecodeCiphertext(code)
		if err != nil {
			if !errors.Is(err, customsender.ErrCiphertext) || b != nil {
				t.Fatalf("error %v does not wrap ErrCiphertext, or comes with bytes", err)
			}
		} else if len(b) < 64 || len(b) > customsender.MaxCiphertext || b[0] != 1 && b[0] != 2 {
			t.Fatalf("accepted %d bytes starting %#x", len(b), b[0])
		}
		// The raw bytes as a message: whenever they are accepted, their
		// base64 is accepted unchanged.
		raw := []byte(code)
		if again, err := customsender.DecodeCiphertext(base64.StdEncoding.EncodeToString(raw)); err == nil && !bytes.Equal(again, raw) {
			t.Fatal("the decoded message differs from the bytes encoded")
		}
	})
}
