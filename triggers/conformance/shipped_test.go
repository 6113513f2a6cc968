package conformance

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// shippedEnv configures every shipped function, as a deployment would.
var shippedEnv = map[string]string{
	"ALLOWED_EMAIL_DOMAINS":           "example.com",
	"DEFAULT_GROUP":                   "customers",
	"APP_NAME":                        "Example",
	"APP_URL":                         "https://app.example.com",
	"EMAIL_FROM":                      "no-reply@example.com",
	"OTP_CHANNEL":                     "email",
	"DECOY_KEY":                       "0123456789abcdef0123456789abcdef",
	"SEND_THROTTLE_TABLE":             "send-throttle",
	"SMS_ALLOWED_CALLING_CODES":       "+1,+44",
	"KMS_KEY_ARN":                     "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000000",
	"ID_TOKEN_CLAIMS_FROM_ATTRIBUTES": "custom:tenant",
}

// shippedFunctions builds the nine shipped functions from shippedEnv,
// with fakes in place of every AWS client: nothing leaves the process.
// extra are trigger options given after quiet.
func shippedFunctions(t *testing.T, extra ...trigger.Option) map[trigger.Kind]lambda.Handler {
	t.Helper()
	topts := fromenv.WithTriggerOptions(append([]trigger.Option{quiet}, extra...)...)
	getenv := func(k string) string { return shippedEnv[k] }
	clock := func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) }
	fns := map[trigger.Kind]lambda.Handler{}
	add := func(k trigger.Kind, h lambda.Handler, err error) {
		if err != nil {
			t.Fatalf("build the shipped %s function: %v", k, err)
		}
		fns[k] = h
	}
	h, err := signup.FromEnv(getenv, topts)
	add(trigger.KindPreSignUp, h, err)
	h, err = groups.FromEnv(getenv, groups.WithCognito(fakeCognito{}), topts)
	add(trigger.KindPostConfirmation, h, err)
	r, err := claims.FromEnv(getenv, topts)
	add(trigger.KindPreTokenGeneration, r, err)
	h, err = message.FromEnv(getenv, topts)
	add(trigger.KindCustomMessage, h, err)
	h, err = passwordlesscore.DefineFromEnv(getenv, passwordless.WithClock(clock), topts)
	add(trigger.KindDefineAuthChallenge, h, err)
	h, err = passwordless.CreateFromEnv(getenv, passwordless.WithEmail(outbox{}), passwordless.WithSMS(outbox{}),
		passwordless.WithLimiter(allowAll{}), passwordless.WithPoolLimiter(allowAll{}),
		passwordless.WithClock(clock), topts)
	add(trigger.KindCreateAuthChallenge, h, err)
	h, err = passwordlesscore.VerifyFromEnv(getenv, passwordless.WithClock(clock), topts)
	add(trigger.KindVerifyAuthChallenge, h, err)
	h, err = emailsender.FromEnv(getenv, customsender.WithDecrypter(decrypter{}), customsender.WithEmail(outbox{}), topts)
	add(trigger.KindCustomEmailSender, h, err)
	h, err = smssender.FromEnv(getenv, customsender.WithDecrypter(decrypter{}), customsender.WithSMS(outbox{}), topts)
	add(trigger.KindCustomSMSSender, h, err)
	return fns
}

// fakeCognito adds users to groups without a call.
type fakeCognito struct{}

func (fakeCognito) AdminAddUserToGroup(context.Context, *cip.AdminAddUserToGroupInput, ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error) {
	return &cip.AdminAddUserToGroupOutput{}, nil
}

// outbox sends email and SMS nowhere.
type outbox struct{}

func (outbox) SendEmail(context.Context, notify.Email) error { return nil }
func (outbox) SendSMS(context.Context, notify.SMS) error     { return nil }

// allowAll is a send limit that allows every send.
type allowAll struct{}

func (allowAll) Allow(context.Context, string) error     { return nil }
func (allowAll) AllowPool(context.Context, string) error { return nil }
func (allowAll) CheckPool(context.Context, string) error { return nil }

// decrypter finds the same code in every ciphertext.
type decrypter struct{}

func (decrypter) Decrypt(context.Context, string, string) (string, error) { return "135790", nil }
