package otp_test

import (
	"fmt"
	"time"

	"github.com/cognitrig/cognitrig/pkg/otp"
)

// One challenge round: draw a code and a magic-link token, keep them with
// the time of issue, and judge the answers that come back: the code typed
// by hand, the token carried back by the link, a guess, a late answer.
// The secret itself is never printed: fmt shows it as [REDACTED].
func Example() {
	const ttl = 3 * time.Minute
	issued := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	code, err := otp.NewCode(otp.MinLength)
	if err != nil {
		fmt.Println(err)
		return
	}
	secret := otp.Secret{Code: code, Token: otp.NewToken(), IssuedAt: issued}
	fmt.Println("secret:", secret)

	// A guess of the code's form that is not the code.
	guess := "000000"
	if guess == code {
		guess = "111111"
	}
	now := issued.Add(time.Minute)
	fmt.Println("code typed with spaces:", secret.Check(" "+code+" ", now, ttl))
	fmt.Println("link followed:", secret.Check(secret.Token, now, ttl))
	fmt.Println("wrong guess:", secret.Check(guess, now, ttl))
	fmt.Println("not a code at all:", secret.Check("12345", now, ttl))
	fmt.Println("code typed too late:", secret.Check(code, issued.Add(ttl), ttl))
	// Output:
	// secret: [REDACTED]
	// code typed with spaces: correct
	// link followed: correct
	// wrong guess: wrong
	// not a code at all: wrong
	// code typed too late: expired
}

// A secret expires when its time to live has passed, and also when its
// time of issue lies further in the future than the clocks of two
// machines may differ.
func ExampleExpired() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const ttl = 5 * time.Minute
	for _, c := range []struct {
		when   string
		issued time.Time
	}{
		{"4 minutes ago", now.Add(-4 * time.Minute)},
		{"5 minutes ago", now.Add(-5 * time.Minute)},
		{"10 seconds ahead", now.Add(10 * time.Second)},
		{"a minute ahead", now.Add(time.Minute)},
		{"never (zero time)", time.Time{}},
	} {
		fmt.Printf("issued %s: expired %v\n", c.when, otp.Expired(c.issued, now, ttl))
	}
	// Output:
	// issued 4 minutes ago: expired false
	// issued 5 minutes ago: expired true
	// issued 10 seconds ahead: expired false
	// issued a minute ahead: expired true
	// issued never (zero time): expired true
}
