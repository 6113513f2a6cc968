package sesnotify_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// fakeCode stands for a one-time code in every message of these tests.
const fakeCode = "000000"

// checkBody compares a delivered body without printing it.
func checkBody(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("delivered body differs from the one sent (got %d bytes, want %d)", len(got), len(want))
	}
}

func TestMotoDelivery(t *testing.T) {
	endpoint := mototest.Start(t)
	cfg := mototest.Config(endpoint)
	sesClient := sesv2.NewFromConfig(cfg)

	// moto_server loads each service on its first request, which can
	// take seconds on a busy machine; the retry budget is tested against
	// a stub (package awsnotify's send_test.go).
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const from = "no-reply@example.com"
	if _, err := sesClient.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(from)}); err != nil {
		t.Fatalf("create the sender identity: %v", err)
	}
	ses := sesnotify.New(sesClient, from)

	emails := []struct {
		name     string
		m        notify.Email
		wantBody string // moto keeps the HTML part when there is one
	}{
		{"html and text", notify.Email{To: "jane@example.org", Subject: "Your code", HTML: "<p>Your code is " + fakeCode + "</p>", Text: "Your code is " + fakeCode}, "<p>Your code is " + fakeCode + "</p>"},
		{"text only", notify.Email{To: "juan@example.org", Subject: "Tu código", Text: "Tu código es " + fakeCode}, "Tu código es " + fakeCode},
	}
	for _, tc := range emails {
		t.Run("email "+tc.name, func(t *testing.T) {
			if err := ses.SendEmail(ctx, tc.m); err != nil {
				t.Fatalf("SendEmail: %v", err)
			}
			msgs := mototest.Sent(t, endpoint).Emails
			if len(msgs) == 0 {
				t.Fatal("moto holds no email")
			}
			got := msgs[len(msgs)-1]
			if !slices.Equal(got.Destinations.ToAddresses, []string{tc.m.To}) || got.Source != from || got.Subject != tc.m.Subject {
				t.Errorf("delivered to %v from %q with subject %q; want to %s from %q with subject %q",
					got.Destinations.ToAddresses, got.Source, got.Subject, tc.m.To, from, tc.m.Subject)
			}
			checkBody(t, got.Body, tc.wantBody)
		})
	}

	t.Run("unverified sender is rejected", func(t *testing.T) {
		before := len(mototest.Sent(t, endpoint).Emails)
		err := sesnotify.New(sesClient, "someone@unverified.example").SendEmail(ctx,
			notify.Email{To: "jane@example.org", Subject: "Your code", Text: "Your code is " + fakeCode})
		rej, ok := errors.AsType[*notify.Rejected](err)
		if !ok {
			t.Fatalf("got %v, want a *notify.Rejected", err)
		}
		if rej.Code != "MessageRejected" || rej.To != "j***@e***.org" || rej.Channel != notify.ChannelEmail {
			t.Errorf("got %+v, want code MessageRejected to j***@e***.org by email", *rej)
		}
		if _, ok := errors.AsType[*trigger.Denial](err); !ok {
			t.Error("a rejection does not unwrap to a trigger.Denial")
		}
		if after := len(mototest.Sent(t, endpoint).Emails); after != before {
			t.Errorf("moto holds %d emails after a rejected send, want %d", after, before)
		}
	})
}
