package snsnotify_test

import (
	"fmt"
	"maps"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify/awsnotifytest"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
)

func TestRequestShape(t *testing.T) {
	tests := []struct {
		name string
		opts []snsnotify.Option
		want map[string]string // the message attributes, as DataType:StringValue
	}{
		{"sender ID and origination number", []snsnotify.Option{snsnotify.WithSenderID("Example"), snsnotify.WithOriginationNumber("+15555550100")}, map[string]string{
			"AWS.SNS.SMS.SMSType":          "String:Transactional",
			"AWS.SNS.SMS.SenderID":         "String:Example",
			"AWS.MM.SMS.OriginationNumber": "String:+15555550100",
		}},
		{"neither", nil, map[string]string{"AWS.SNS.SMS.SMSType": "String:Transactional"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, endpoint := awsnotifytest.NewStub(t, awsnotifytest.OK)
			opts := append([]snsnotify.Option{snsnotify.WithCountries(northAmerica)}, tt.opts...)
			m := notify.SMS{To: "+15555550123", Text: "Your code is " + fakeCode}
			if err := snsnotify.New(sns.NewFromConfig(mototest.Config(endpoint)), opts...).SendSMS(t.Context(), m); err != nil {
				t.Fatalf("SendSMS: %v", err)
			}
			form, err := url.ParseQuery(s.LastBody())
			if err != nil {
				t.Fatalf("parse the Publish request: %v", err)
			}
			got := map[string]string{}
			for i := 1; form.Get(fmt.Sprintf("MessageAttributes.entry.%d.Name", i)) != ""; i++ {
				p := fmt.Sprintf("MessageAttributes.entry.%d.", i)
				got[form.Get(p+"Name")] = form.Get(p+"Value.DataType") + ":" + form.Get(p+"Value.StringValue")
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("attributes %v, want %v", got, tt.want)
			}
			if form.Get("PhoneNumber") != m.To {
				t.Errorf("PhoneNumber %q, want %q", form.Get("PhoneNumber"), m.To)
			}
		})
	}
}

func TestInvalidMessage(t *testing.T) {
	s, endpoint := awsnotifytest.NewStub(t, awsnotifytest.OK)
	sms := snsnotify.New(sns.NewFromConfig(mototest.Config(endpoint)), snsnotify.WithCountries(northAmerica))
	tests := []struct {
		name string
		m    notify.SMS
	}{
		{"sms without number", notify.SMS{Text: "t"}},
		{"sms without text", notify.SMS{To: "+15555550123"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sms.SendSMS(t.Context(), tt.m); err == nil || !strings.HasPrefix(err.Error(), "snsnotify: ") {
				t.Errorf("got %v, want a snsnotify: error", err)
			}
		})
	}
	if n := s.Requests(); n != 0 {
		t.Errorf("invalid messages made %d requests to SNS, want none", n)
	}
}
