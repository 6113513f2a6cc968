package sesnotify_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify/awsnotifytest"
	"github.com/cognitrig/cognitrig/pkg/notify/sesnotify"
)

func TestRequestShape(t *testing.T) {
	tests := []struct {
		name string
		opts []sesnotify.Option
		want []string
		not  []string
	}{
		{"configuration set", []sesnotify.Option{sesnotify.WithConfigurationSet("auth-mail")}, []string{`"ConfigurationSetName":"auth-mail"`, `"Html":{`, `"Text":{`}, nil},
		{"no configuration set", []sesnotify.Option{sesnotify.WithConfigurationSet("")}, []string{`"Html":{`, `"Text":{`}, []string{"ConfigurationSetName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, endpoint := awsnotifytest.NewStub(t, awsnotifytest.OK)
			m := notify.Email{To: "jane@example.org", Subject: "Your code", HTML: "<p>" + fakeCode + "</p>", Text: fakeCode}
			if err := sesnotify.New(sesv2.NewFromConfig(mototest.Config(endpoint)), "no-reply@example.com", tt.opts...).SendEmail(t.Context(), m); err != nil {
				t.Fatalf("SendEmail: %v", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(s.LastBody(), want) {
					t.Errorf("SendEmail request lacks %s", want)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(s.LastBody(), not) {
					t.Errorf("SendEmail request holds %s", not)
				}
			}
		})
	}
}

func TestInvalidMessage(t *testing.T) {
	s, endpoint := awsnotifytest.NewStub(t, awsnotifytest.OK)
	client := sesv2.NewFromConfig(mototest.Config(endpoint))
	tests := []struct {
		name string
		from string
		m    notify.Email
	}{
		{"email without recipient", "no-reply@example.com", notify.Email{Subject: "s", Text: "t"}},
		{"email without body", "no-reply@example.com", notify.Email{To: "a@example.org", Subject: "s"}},
		{"sender without from address", "", notify.Email{To: "a@example.org", Subject: "s", Text: "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sesnotify.New(client, tt.from).SendEmail(t.Context(), tt.m); err == nil || !strings.HasPrefix(err.Error(), "sesnotify: ") {
				t.Errorf("got %v, want a sesnotify: error", err)
			}
		})
	}
	if n := s.Requests(); n != 0 {
		t.Errorf("invalid messages made %d requests to SES, want none", n)
	}
}
