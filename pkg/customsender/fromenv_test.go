package customsender_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/internal/buildtest"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The two builds use the decrypter, senders and handler options they are
// given, and load the AWS configuration only for what those leave out
// (the environment here has no AWS_REGION, so loading it fails); they
// still refuse, naming the variable, every configuration the mains refuse,
// whatever they are given.
func TestFromEnvHonoursItsOptions(t *testing.T) {
	const (
		good    = "KMS_KEY_ARN=arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000 APP_NAME=Example LOG_LEVEL=error"
		email   = good + " EMAIL_FROM=no-reply@example.com"
		sms     = good + " SMS_ALLOWED_CALLING_CODES=1"
		emailEv = "customemailsender/CustomEmailSender_SignUp.json"
		smsEv   = "customsmssender/CustomSMSSender_SignUp.json"
		code    = "fake-ciphertext"
	)
	dec := customsender.WithDecrypter(fakeDecrypter{code: "246810"})
	tests := []struct {
		name  string
		build func(func(string) string, ...fromenv.Option) (*trigger.Handler, error)
		env   string
		opts  func(out *outbox) []fromenv.Option
		event string   // under events/; "" to build only
		want  []string // what the build error names; none when it must start
	}{
		{name: "email with fakes, no AWS configuration loaded", build: emailsender.FromEnv, env: email, event: emailEv,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{dec, customsender.WithEmail(out)}
			}},
		{name: "sms with fakes, no AWS configuration loaded", build: smssender.FromEnv, env: sms, event: smsEv,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{dec, customsender.WithSMS(out)}
			}},
		{name: "no decrypter loads the AWS configuration", build: emailsender.FromEnv, env: email,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{customsender.WithEmail(out)}
			},
			want: []string{"AWS_REGION"}},
		{name: "the AWS configuration given is used for what the options leave out", build: emailsender.FromEnv, env: email,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{awsenv.WithConfig(mototest.Config("http://127.0.0.1:9")), customsender.WithEmail(out)}
			}},
		{name: "customsmssender without SMS countries is refused with fakes", build: smssender.FromEnv, env: good,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{dec, customsender.WithSMS(out)}
			},
			want: []string{"SMS_ALLOWED_CALLING_CODES", "SMS_ALLOW_ALL_COUNTRIES=true"}},
		{name: "customemailsender without EMAIL_FROM is refused with fakes", build: emailsender.FromEnv, env: good,
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{dec, customsender.WithEmail(out)}
			},
			want: []string{"EMAIL_FROM"}},
		{name: "no KMS_KEY_ARN is refused with fakes", build: smssender.FromEnv, env: "APP_NAME=Example SMS_ALLOWED_CALLING_CODES=1",
			opts: func(out *outbox) []fromenv.Option {
				return []fromenv.Option{dec, customsender.WithSMS(out)}
			},
			want: []string{"KMS_KEY_ARN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := buildtest.Env(tt.env)
			out := &outbox{}
			log, logOpt := logTo()
			var ran int
			opts := append(tt.opts(out), fromenv.WithTriggerOptions(logOpt, trigger.WithMiddleware(func(next trigger.Next) trigger.Next {
				return func(ctx context.Context, ev trigger.Event) error { ran++; return next(ctx, ev) }
			})))
			h, err := tt.build(func(k string) string { return env[k] }, opts...)
			if !wantError(t, err, tt.want...) || tt.event == "" {
				return
			}
			if _, err := triggertest.Invoke(h, event(t, eventsDir+"/"+tt.event, code, "en")); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if _, parts := out.last(t); !strings.Contains(strings.Join(parts, "\n"), "246810") {
				t.Errorf("the message does not show the code the fake decrypted")
			}
			if ran != 1 || !strings.Contains(log.String(), `"msg":"invocation"`) {
				t.Errorf("middleware ran %d times, log has the invocation line: %v; want one run and the line at level debug despite LOG_LEVEL=error",
					ran, strings.Contains(log.String(), `"msg":"invocation"`))
			}
			assertNoSecret(t, log.String(), "246810")
		})
	}
}

// A Function defined wrong is refused, naming what to set, before the
// environment is read or any AWS client built.
func TestFunctionDefinedWrong(t *testing.T) {
	send := func(aws.Config, notify.Settings) customsender.Option { return customsender.WithSMS(&outbox{}) }
	tests := []struct {
		name string
		f    customsender.Function
		want []string
	}{
		{name: "unknown channel", f: customsender.Function{Name: "test.FromEnv", Channel: "fax", Send: send}, want: []string{"test.FromEnv", `"fax"`, "Function.Channel"}},
		{name: "no channel", f: customsender.Function{Name: "test.FromEnv", Send: send}, want: []string{"Function.Channel"}},
		{name: "no Send", f: customsender.Function{Name: "test.FromEnv", Channel: notify.ChannelSMS}, want: []string{"test.FromEnv", "Function.Send"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.FromEnv(func(string) string { return "" })
			wantError(t, err, tt.want...)
			_, err = tt.f.AWSOptions(aws.Config{}, customsender.Config{})
			wantError(t, err, tt.want...)
		})
	}
}
