package customsender_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

const sender = "no-reply@example.com"

// localAWS starts a moto_server, points the AWS SDK of this process at it
// (and nowhere else: no instance metadata, no profile), creates the SES
// sender identity and a KMS key, and returns the endpoint, a KMS client
// and the key's ARN.
func localAWS(t *testing.T) (string, *kms.Client, string) {
	t.Helper()
	endpoint := mototest.Start(t)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": mototest.Region,
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
	cfg := mototest.Config(endpoint)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := sesv2.NewFromConfig(cfg).CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(sender)}); err != nil {
		t.Fatalf("create the sender identity: %v", err)
	}
	client := kms.NewFromConfig(cfg)
	return endpoint, client, customsendertest.CreateKey(t, client)
}

// env is the environment of the functions in the moto tests.
func env(keyARN string, extra ...string) func(string) string {
	m := map[string]string{"KMS_KEY_ARN": keyARN, "APP_NAME": "Example", "EMAIL_FROM": sender, "SMS_ALLOWED_CALLING_CODES": "1", "LOG_LEVEL": "debug"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return func(k string) string { return m[k] }
}

// newest returns the newest message moto holds for to: an email's
// subject and HTML body, or an SMS text.
func newest(t *testing.T, endpoint, to string) string {
	t.Helper()
	sent := mototest.Sent(t, endpoint)
	text := ""
	for _, m := range sent.Emails {
		if len(m.Destinations.ToAddresses) == 1 && m.Destinations.ToAddresses[0] == to {
			text = m.Subject + "\n" + m.Body
		}
	}
	for _, m := range sent.SMS {
		if m.PhoneNumber == to {
			text = m.Message
		}
	}
	if text == "" {
		t.Fatal("moto holds no message for the user")
	}
	return text
}

// motoHandler builds the trigger of channel ch as its main does, but
// logging to a buffer: the configuration from env, the KMS client and
// the channel's (SES v2 or SNS) from awscfg.
func motoHandler(t *testing.T, awscfg aws.Config, getenv func(string) string, ch notify.Channel, opt trigger.Option) *trigger.Handler {
	t.Helper()
	cfg, err := customsender.ConfigFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	awsOptions := emailsender.AWSOptions
	if ch == notify.ChannelSMS {
		awsOptions = smssender.AWSOptions
	}
	opts, err := awsOptions(awscfg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := customsender.New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if ch == notify.ChannelEmail {
		return trigger.CustomEmailSender(s.Email, opt)
	}
	return trigger.CustomSMSSender(s.SMS, opt)
}

// Both triggers with the real KMS, SES v2 and SNS clients against
// moto_server: every source, in English and Spanish, with a code
// encrypted by the AWS Encryption SDK under a moto KMS key as Cognito
// encrypts it (English events in the committing message format, Spanish
// ones in the legacy one). The user gets the code; the log never shows
// it.
func TestMotoEverySource(t *testing.T) {
	endpoint, client, keyARN := localAWS(t)
	awscfg := mototest.Config(endpoint)
	for _, tr := range []struct {
		dir  string
		ch   notify.Channel
		attr string
	}{
		{"customemailsender", notify.ChannelEmail, "email"},
		{"customsmssender", notify.ChannelSMS, "phone_number"},
	} {
		logs, opt := logTo()
		h := motoHandler(t, awscfg, env(keyARN), tr.ch, opt)
		var secrets []string
		for _, path := range fixtures(t, tr.dir) {
			for i, lang := range []string{"en", "es"} {
				src := source(path)
				t.Run(fmt.Sprintf("%s/%s", src, lang), func(t *testing.T) {
					plain := fmt.Sprintf("%06d", rand.IntN(1_000_000))
					shown := []string{plain}
					if isAdmin(src) {
						pw := fmt.Sprintf(`P&%d<"x>`, rand.IntN(1_000_000))
						shown = []string{pw, adminUser}
						if tr.ch == notify.ChannelEmail {
							shown[0] = html.EscapeString(pw) // moto keeps the HTML body
						}
						plain = html.EscapeString(pw) // as Cognito sends it
						secrets = append(secrets, pw)
					}
					secrets = append(secrets, plain)
					raw := event(t, path, customsendertest.Encrypt(t, client, keyARN, poolOf(t, path), plain, customsendertest.Suite(i)), lang)
					var attrs struct {
						Request trigger.CustomSenderRequest `json:"request"`
					}
					if err := json.Unmarshal(raw, &attrs); err != nil {
						t.Fatal(err)
					}
					out, err := triggertest.Invoke(h, raw)
					if err != nil {
						t.Fatalf("Invoke: %v", err)
					}
					triggertest.AssertEqual(t, out, raw)
					got := newest(t, endpoint, attrs.Request.UserAttributes[tr.attr])
					if src == trigger.SourceCustomEmailSenderAccountTakeOverNotification {
						shown = []string{"Example"}
					}
					for _, w := range shown {
						if !strings.Contains(got, w) {
							t.Errorf("the message does not show %q:\n%s", w, got)
						}
					}
					if spanish := strings.Contains(got, "ó"); spanish != (lang == "es") {
						t.Errorf("the message is not in %s:\n%s", lang, got)
					}
				})
			}
		}
		if !strings.Contains(logs.String(), `"outcome":"ok"`) {
			t.Errorf("%s: no successful invocation logged", tr.dir)
		}
		assertNoSecret(t, logs.String(), secrets...)
	}
}

// Decryption failures against moto's KMS, and against a stub of KMS that
// is slow or refuses: a clear error, no panic, nothing sent.
func TestMotoDecryptFailures(t *testing.T) {
	endpoint, client, keyARN := localAWS(t)
	otherKey := customsendertest.CreateKey(t, client)
	good := customsendertest.Encrypt(t, client, keyARN, testPool, "918273", customsendertest.Committing)
	otherPool := customsendertest.Encrypt(t, client, keyARN, "us-east-1_OTHERPOOL", "918273", customsendertest.Committing)
	stub := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Read the body, so that the server notices the caller hang up.
			_, _ = io.Copy(io.Discard, r.Body)
			if status == 0 { // never answers before the caller gives up
				select {
				case <-r.Context().Done():
				case <-time.After(time.Minute):
				}
				return
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	tests := []struct {
		name     string
		endpoint string
		keyARN   string
		code     string
		timeout  time.Duration
		want     []string
		wantIs   error
	}{
		{name: "fixture placeholder", endpoint: endpoint, keyARN: keyARN, code: "FAKE-CIPHERTEXT-AYADeXAMPLE==",
			want: []string{"not standard base64"}, wantIs: customsender.ErrCiphertext},
		{name: "truncated", endpoint: endpoint, keyARN: keyARN, code: good[:len(good)/2/4*4],
			want: []string{"decrypt the code with KMS key " + keyARN, "Incomplete message"}},
		{name: "another key", endpoint: endpoint, keyARN: otherKey, code: good,
			want: []string{"No Encrypted Data Keys found to match", "KMS_KEY_ARN must be the key"}},
		{name: "encrypted for another pool under the same key", endpoint: endpoint, keyARN: keyARN, code: otherPool,
			want: []string{"encrypted for user pool us-east-1_OTHERPOOL, not for " + testPool, "refused"}},
		{name: "access denied", endpoint: stub(400, `{"__type":"AccessDeniedException","message":"not authorized"}`), keyARN: keyARN, code: good,
			want: []string{"AccessDeniedException", "give the function's role kms:Decrypt"}},
		{name: "KMS outlasts the deadline", endpoint: stub(0, ""), keyARN: keyARN, code: good, timeout: 200 * time.Millisecond,
			want: []string{"context deadline exceeded"}, wantIs: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec, err := customsender.NewKMSDecrypter(kms.NewFromConfig(mototest.Config(tt.endpoint)), tt.keyARN)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), cmp.Or(tt.timeout, 30*time.Second))
			defer cancel()
			plain, err := dec.Decrypt(ctx, tt.code, testPool)
			if err == nil {
				t.Fatalf("Decrypt succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
			if plain != "" || strings.Contains(err.Error(), "918273") {
				t.Error("a failed decryption shows the plaintext")
			}
		})
	}
}
