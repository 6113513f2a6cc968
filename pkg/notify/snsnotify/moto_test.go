package snsnotify_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
)

// fakeCode stands for a one-time code in every message of these tests.
const fakeCode = "000000"

// northAmerica allows the numbers of calling code 1.
var northAmerica = func() notify.SMSCountries {
	c, err := notify.ParseCallingCodes("1")
	if err != nil {
		panic(err)
	}
	return c
}()

func TestMotoDelivery(t *testing.T) {
	endpoint := mototest.Start(t)
	// moto_server loads each service on its first request, which can
	// take seconds on a busy machine; the retry budget is tested against
	// a stub (package awsnotify's send_test.go).
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	sms := snsnotify.New(sns.NewFromConfig(mototest.Config(endpoint)), snsnotify.WithCountries(northAmerica),
		snsnotify.WithSenderID("Example"), snsnotify.WithOriginationNumber("+15555550100"))

	m := notify.SMS{To: "+15555550123", Text: "Your code is " + fakeCode}
	if err := sms.SendSMS(ctx, m); err != nil {
		t.Fatalf("SendSMS: %v", err)
	}
	msgs := mototest.Sent(t, endpoint).SMS
	if len(msgs) == 0 {
		t.Fatal("moto holds no SMS")
	}
	got := msgs[len(msgs)-1]
	if got.PhoneNumber != m.To {
		t.Errorf("delivered to %s, want %s", got.PhoneNumber, m.To)
	}
	if got.Message != m.Text { // compared without printing it
		t.Errorf("delivered text differs from the one sent (got %d bytes, want %d)", len(got.Message), len(m.Text))
	}
}
