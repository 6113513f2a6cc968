package otp

import (
	"testing"
	"time"
)

func BenchmarkNewCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewCode(6); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewToken(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = NewToken()
	}
}

func BenchmarkSecretCheck(b *testing.B) {
	now := time.Unix(1_700_000_000, 0)
	s := Secret{Code: "123456", Token: NewToken(), IssuedAt: now}
	b.ReportAllocs()
	for b.Loop() {
		if s.Check(" 123456\n", now, time.Minute) != ResultCorrect {
			b.Fatal("wrong")
		}
	}
}
