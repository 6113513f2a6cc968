package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/emailsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/smssender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/signup"
)

// builders are the nine public builders of the shipped functions, each
// with the options it needs to build without an AWS client.
var builders = []struct {
	name  string
	build func(getenv func(string) string, opts ...fromenv.Option) error
}{
	{"signup.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := signup.FromEnv(getenv, opts...)
		return err
	}},
	{"groups.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := groups.FromEnv(getenv, append([]fromenv.Option{groups.WithCognito(fakeCognito{})}, opts...)...)
		return err
	}},
	{"claims.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := claims.FromEnv(getenv, opts...)
		return err
	}},
	{"message.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := message.FromEnv(getenv, opts...)
		return err
	}},
	{"passwordless.DefineFromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := passwordless.DefineFromEnv(getenv, opts...)
		return err
	}},
	{"passwordless.CreateFromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := passwordless.CreateFromEnv(getenv, append([]fromenv.Option{passwordless.WithEmail(outbox{}), passwordless.WithSMS(outbox{}),
			passwordless.WithLimiter(allowAll{}), passwordless.WithPoolLimiter(allowAll{})}, opts...)...)
		return err
	}},
	{"passwordless.VerifyFromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := passwordless.VerifyFromEnv(getenv, opts...)
		return err
	}},
	{"emailsender.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := emailsender.FromEnv(getenv, append([]fromenv.Option{customsender.WithDecrypter(decrypter{}), customsender.WithEmail(outbox{})}, opts...)...)
		return err
	}},
	{"smssender.FromEnv", func(getenv func(string) string, opts ...fromenv.Option) error {
		_, err := smssender.FromEnv(getenv, append([]fromenv.Option{customsender.WithDecrypter(decrypter{}), customsender.WithSMS(outbox{})}, opts...)...)
		return err
	}},
}

// Every builder refuses an option it does not take, naming itself and the
// option, and builds with the options of its own package, the AWS
// configuration where it calls AWS, and the trigger options. Define and
// verify take create's options and ignore them, so that one list serves
// the three passwordless functions.
func TestBuildersTakeTheirOptionsAndRefuseOthers(t *testing.T) {
	options := []struct {
		name string // as a user spells it, and as the error names it
		opt  fromenv.Option
		// takers are the builders that take the option; the others must
		// refuse it.
		takers []string
	}{
		{"fromenv.WithTriggerOptions", fromenv.WithTriggerOptions(quiet), []string{"signup.FromEnv", "groups.FromEnv", "claims.FromEnv", "message.FromEnv",
			"passwordless.DefineFromEnv", "passwordless.CreateFromEnv", "passwordless.VerifyFromEnv", "emailsender.FromEnv", "smssender.FromEnv"}},
		{"awsenv.WithConfig", awsenv.WithConfig(aws.Config{Region: "us-east-1"}), []string{"signup.FromEnv", "groups.FromEnv",
			"passwordless.DefineFromEnv", "passwordless.CreateFromEnv", "passwordless.VerifyFromEnv", "emailsender.FromEnv", "smssender.FromEnv"}},
		{"signup.WithCognito", signup.WithCognito(nil), []string{"signup.FromEnv"}},
		{"signup.LinkerOption", signup.WithProviderCacheTTL(0), []string{"signup.FromEnv"}},
		{"groups.WithCognito", groups.WithCognito(fakeCognito{}), []string{"groups.FromEnv"}},
		{"message.WithMessages", message.WithMessages(nil), []string{"message.FromEnv"}},
		{"passwordless.WithClock", passwordless.WithClock(nil), []string{"passwordless.DefineFromEnv", "passwordless.CreateFromEnv", "passwordless.VerifyFromEnv"}},
		{"passwordless.Option", passwordless.WithDecoyDelay(0), []string{"passwordless.DefineFromEnv", "passwordless.CreateFromEnv", "passwordless.VerifyFromEnv"}},
		{"customsender.Option", customsender.WithEmail(outbox{}), []string{"emailsender.FromEnv", "smssender.FromEnv"}},
	}
	getenv := func(k string) string { return shippedEnv[k] }
	for _, o := range options {
		for _, b := range builders {
			t.Run(b.name+" given "+o.name, func(t *testing.T) {
				err := b.build(getenv, fromenv.WithTriggerOptions(quiet), o.opt)
				takes := false
				for _, taker := range o.takers {
					takes = takes || taker == b.name
				}
				switch {
				case takes && err != nil:
					t.Errorf("%s takes %s, but refused it: %v", b.name, o.name, err)
				case !takes && err == nil:
					t.Errorf("%s built with %s, which it must refuse", b.name, o.name)
				case !takes && !strings.Contains(err.Error(), b.name+" does not take "+o.name+":"):
					t.Errorf("%s refused %s with %q, want an error naming both", b.name, o.name, err)
				}
			})
		}
	}
}
