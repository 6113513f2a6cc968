package cognitrig

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// TestParsersTypeTheirErrors checks that, for a bad value of every
// variable the construct names a prop for, the function's own parser
// returns an error that says by its type (EnvVar) which variable it is
// about: namedVars finds the variables by type only, never in the text.
func TestParsersTypeTheirErrors(t *testing.T) {
	bad := readBadEnv(t, "testdata/badenv.txt")
	key := envFacts{kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", kmsKeyProp: "Props.CustomSenderKMSKey"}
	table := envFacts{throttleTable: "send-throttle"}
	secret := envFacts{throttleTable: "send-throttle", decoyKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:decoy-AbCdEf"}
	passwordlessProps := func(decoyKey string) *Props {
		return &Props{AppName: "Example", Passwordless: &PasswordlessProps{
			EmailFrom: "a@example.com", OTPLength: 6, OTPTTL: awscdk.Duration_Minutes(jsii.Number(3)), MaxAttempts: 3, MaxResends: new(2),
			PoolSendLimit: &SendLimit{Count: 1000, Per: awscdk.Duration_Hours(jsii.Number(1))}, DecoyKey: decoyKey,
		}}
	}
	for _, fn := range []struct {
		name  string
		env   *triggerEnv
		check func(func(string) string) error
	}{
		{"pre sign-up", preSignUpEnv(&Props{PreSignUp: &PreSignUpProps{}}, envFacts{}), checkPreSignUp},
		{"custom message", customMessageEnv(&Props{AppName: "Example", CustomMessage: &CustomMessageProps{}}, envFacts{}), checkCustomMessage},
		{"createauth with a decoy key", createAuthEnv(passwordlessProps(strings.Repeat("ab", 16)), table), checkCreateAuth},
		{"createauth with the decoy key's secret", createAuthEnv(passwordlessProps(""), secret), checkCreateAuth},
		{"custom email sender", emailSenderEnv(&Props{AppName: "Example", CustomSenders: &CustomSendersProps{Email: true, EmailFrom: "a@example.com"}}, key), checkEmailSender},
		{"custom SMS sender", smsSenderEnv(&Props{AppName: "Example", CustomSenders: &CustomSendersProps{SMS: true, SMSAllowedCallingCodes: []string{"1"}}}, key), checkSMSSender},
		{"post confirmation", postConfirmationEnv(&Props{PostConfirmation: &PostConfirmationProps{DefaultGroup: "users"}}, envFacts{}), checkPostConfirmation},
		{"pre token", preTokenEnv(&Props{PreToken: &PreTokenProps{}}, envFacts{}), checkPreToken},
	} {
		if err := fn.env.check(fn.check); err != nil {
			t.Fatalf("%s: the valid environment is refused: %v", fn.name, err)
		}
		for _, name := range slices.Sorted(maps.Keys(fn.env.props)) {
			values, ok := bad[name]
			if !ok {
				t.Errorf("%s: no bad value of %s to test; add one", fn.name, name)
			}
			for _, v := range values {
				t.Run(fmt.Sprintf("%s/%s=%q", fn.name, name, v), func(t *testing.T) {
					e := &triggerEnv{vars: maps.Clone(fn.env.vars), props: fn.env.props}
					if v == "" {
						delete(e.vars, name)
					} else {
						e.vars[name] = v
					}
					err := e.check(fn.check)
					if err == nil {
						t.Fatalf("%s=%q is accepted; use a value the parser refuses", name, v)
					}
					if got := namedVars(err, []string{name}); !slices.Equal(got, []string{name}) {
						t.Errorf("error %q names %v by type, want [%s]", err, got, name)
					}
				})
			}
		}
	}
}

// readBadEnv reads the bad values of each variable from file: a line a
// variable, its name and then its values, each a Go-quoted string; lines
// starting with # are comments.
func readBadEnv(t *testing.T, file string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]string{}
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		for rest != "" {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
			v, _ := strconv.Unquote(q)
			bad[name] = append(bad[name], v)
			rest = strings.TrimLeft(rest[len(q):], " ")
		}
	}
	return bad
}
