package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognitrig/cognitrig/pkg/mototest"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// localAWS points the SDK of this process at a moto_server with the
// throttle table, and keeps it from looking anywhere else for credentials
// or endpoints.
func localAWS(t *testing.T) {
	endpoint := mototest.Start(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": mototest.Region,
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := throttle.CreateTable(ctx, dynamodb.NewFromConfig(mototest.Config(endpoint)), "send-throttle"); err != nil {
		t.Fatal(err)
	}
}

func TestNewHandler(t *testing.T) {
	localAWS(t)
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" when the function must start
	}{
		{name: "email", env: map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com"}},
		{name: "SMS without a sender address", env: map[string]string{"APP_NAME": "Example", "OTP_CHANNEL": "sms"}},
		{name: "everything", env: map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "MAGIC_LINK_URL": "https://app.example.com/sign-in",
			"SEND_THROTTLE_TABLE": "send-throttle", "SMS_SENDER_ID": "Example", "OTP_LENGTH": "8", "LOG_LEVEL": "warn"}},
		{name: "no EMAIL_FROM", env: map[string]string{"APP_NAME": "Example"}, wantErr: "EMAIL_FROM"},
		{name: "no APP_NAME", env: map[string]string{"EMAIL_FROM": "no-reply@example.com"}, wantErr: "APP_NAME"},
		{name: "bad OTP_TTL", env: map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "OTP_TTL": "1h"}, wantErr: "OTP_TTL"},
		{name: "bad LOG_LEVEL", env: map[string]string{"APP_NAME": "Example", "EMAIL_FROM": "no-reply@example.com", "LOG_LEVEL": "loud"}, wantErr: "LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := newHandler(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("newHandler error = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("newHandler: %v", err)
			}
			// An unknown user's round sends nothing; the throttle counts it.
			ev, err := triggertest.InvokeEvent[trigger.CreateAuthChallengeEvent](t, h,
				triggertest.Load(t, "../../events/createauth/CreateAuthChallenge_Authentication.user-not-found.json"))
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if ev.Response.PublicChallengeParameters["destination"] == "" || len(ev.Response.PrivateChallengeParameters) == 0 {
				t.Errorf("response %+v, want a decoy challenge", ev.Response.PublicChallengeParameters)
			}
		})
	}
}
