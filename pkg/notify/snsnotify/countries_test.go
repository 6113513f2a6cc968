package snsnotify_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/awsnotify/awsnotifytest"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// The SNS sender sends only to the countries of its settings, and none by
// default: a refused number never reaches SNS, the caller gets a neutral
// *notify.Blocked, and the log shows the number masked.
func TestSNSSendsOnlyToAllowedCountries(t *testing.T) {
	settings := func(env map[string]string) notify.Settings {
		t.Helper()
		s, err := notify.SettingsFromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	list := map[string]string{"SMS_ALLOWED_CALLING_CODES": "1,44,33"}
	tests := []struct {
		name     string
		settings notify.Settings
		to       string
		sent     bool
	}{
		{"SMS to +882 is refused by default", settings(nil), "+88212345678", false},
		{"SMS to +1 is refused by default", settings(nil), "+15555550123", false},
		{"SMS to a listed country is sent", settings(list), "+447700900123", true},
		{"SMS to +882 is refused by an allow-list without it", settings(list), "+88212345678", false},
		{"SMS to an unlisted country is refused", settings(list), "+4915112345678", false},
		{"SMS to a number not in E.164 form is refused", settings(list), "00447700900123", false},
		{"SMS to +882 is sent when every country is allowed", settings(map[string]string{"SMS_ALLOW_ALL_COUNTRIES": "true"}), "+88212345678", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub, endpoint := awsnotifytest.NewStub(t, awsnotifytest.OK)
			var log strings.Builder
			prev := slog.Default()
			slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil))) // outside an invocation, trigger.Logger is slog.Default
			t.Cleanup(func() { slog.SetDefault(prev) })
			ctx := t.Context()
			sender := snsnotify.NewFromConfig(mototest.Config(endpoint), tt.settings)
			err := sender.SendSMS(ctx, notify.SMS{To: tt.to, Text: "Your code is " + fakeCode})
			if tt.sent {
				if err != nil || stub.Requests() != 1 {
					t.Fatalf("SendSMS = %v after %d requests, want it sent", err, stub.Requests())
				}
				return
			}
			b, isBlocked := errors.AsType[*notify.Blocked](err)
			if !isBlocked {
				t.Fatalf("SendSMS = %v, want a *notify.Blocked", err)
			}
			if stub.Requests() != 0 {
				t.Errorf("a blocked SMS made %d requests to SNS, want none", stub.Requests())
			}
			if d, ok := errors.AsType[*trigger.Denial](err); !ok || d.Error() != notify.RefusedMessage {
				t.Errorf("the refusal shows %v to the end user, want RefusedMessage", d)
			}
			if b.To != trigger.MaskPhone(tt.to) || b.Rule != "SMS_ALLOWED_CALLING_CODES" {
				t.Errorf("Blocked = %+v, want the masked number and the rule", *b)
			}
			line := log.String()
			if !strings.Contains(line, "level=WARN") || !strings.Contains(line, "delivery.to="+trigger.MaskPhone(tt.to)) {
				t.Errorf("log %q lacks a warning with the masked number", line)
			}
			if strings.Contains(line, tt.to) || strings.Contains(line, fakeCode) {
				t.Error("the log line holds the full number or the text")
			}
		})
	}
}

// The same through moto_server: a blocked SMS leaves nothing there.
func TestMotoSNSBlocksByDefault(t *testing.T) {
	endpoint := mototest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	client := sns.NewFromConfig(mototest.Config(endpoint))
	tests := []struct {
		name string
		opts []snsnotify.Option
		to   string
		sent bool
	}{
		{"SMS to +882 is refused by default", nil, "+88212345678", false},
		{"SMS to a listed country is sent", []snsnotify.Option{snsnotify.WithCountries(northAmerica)}, "+15555550177", true},
		{"SMS to +882 is refused by a list without it", []snsnotify.Option{snsnotify.WithCountries(northAmerica)}, "+88212345679", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := snsnotify.New(client, tt.opts...).SendSMS(ctx, notify.SMS{To: tt.to, Text: "Your code is " + fakeCode})
			held := false
			for _, m := range mototest.Sent(t, endpoint).SMS {
				held = held || m.PhoneNumber == tt.to
			}
			if tt.sent != (err == nil) || held != tt.sent {
				t.Errorf("SendSMS = %v and moto holds the SMS: %v; want sent %v", err, held, tt.sent)
			}
		})
	}
}
