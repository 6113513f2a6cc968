package passwordless_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
)

// TestSignInTemplates renders the SignIn message of package message's
// templates, every part in every language, with every sample user (New
// does with WithMessages), under the configurations that change what the
// parts show: with and without a magic link and an app address, the
// shortest and longest codes and lives, a short and the longest app name.
// At start-up, New renders the same templates once per part and language,
// with the deployed configuration; the branches that depend on the user
// are this test's to cover, so that a broken template cannot ship.
func TestSignInTemplates(t *testing.T) {
	set, err := message.Load(message.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"", "https://app.example.com/sign-in"} {
		for _, appURL := range []string{"", "https://app.example.com"} {
			for _, length := range []int{6, 10} {
				for _, ttl := range []time.Duration{time.Minute, 3 * time.Minute, 15 * time.Minute} {
					for _, appName := range []string{"Example", strings.Repeat("Ä", passwordless.MaxAppName)} {
						name := fmt.Sprintf("link=%t,url=%t,length=%d,ttl=%v,name=%d", link != "", appURL != "", length, ttl, len([]rune(appName)))
						t.Run(name, func(t *testing.T) {
							cfg := passwordless.Config{Flow: passwordless.DefaultFlowConfig(), AppName: appName, AppURL: appURL, MagicLinkURL: link, AllowUnlimitedSends: true, AllowPredictableDecoys: true}
							cfg.EmailFrom = "no-reply@example.com"
							cfg.Flow.MagicLink = link != ""
							cfg.Flow.OTPLength, cfg.Flow.TTL = length, ttl
							out := &outbox{}
							if _, err := passwordless.New(cfg, passwordless.WithMessages(set), passwordless.WithEmail(out), passwordless.WithSMS(out)); err != nil {
								t.Fatal(err)
							}
						})
					}
				}
			}
		}
	}
}

// What the deployed configuration puts in a message is checked at
// start-up, with the templates New loads itself: an app name of 40 emoji
// (each two UTF-16 code units, as Cognito counts) is a valid APP_NAME, but
// makes the SMS longer than 140.
func TestNewChecksTheDeployedValues(t *testing.T) {
	cfg := passwordless.Config{Flow: passwordless.DefaultFlowConfig(), AppName: strings.Repeat("😀", passwordless.MaxAppName), AllowUnlimitedSends: true, AllowPredictableDecoys: true}
	cfg.EmailFrom = "no-reply@example.com"
	out := &outbox{}
	_, err := passwordless.New(cfg, passwordless.WithEmail(out), passwordless.WithSMS(out))
	if err == nil || !strings.Contains(err.Error(), "SignIn.sms.txt") || !strings.Contains(err.Error(), "length limit") {
		t.Fatalf("New = %v, want an error naming SignIn.sms.txt and its length limit", err)
	}
	if _, err := passwordless.New(cfg, passwordless.WithEmail(out)); err == nil || !strings.Contains(err.Error(), "OTP_CHANNEL") {
		t.Fatalf("New without an SMS sender = %v, want an error naming OTP_CHANNEL", err)
	}
	cfg.Flow.Channel = passwordless.ChannelEmail
	if _, err := passwordless.New(cfg, passwordless.WithEmail(out)); err != nil {
		t.Fatalf("New for email only = %v; the email fits", err)
	}
}
