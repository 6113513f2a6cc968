package cognitrig

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/pkg/userpool"
)

func TestCheckSESRegion(t *testing.T) {
	for _, tc := range []struct {
		name, pool, arn string
		want            string // a part of the error; "" for none
	}{
		{"cognito's own sender", "eu-west-3", "", ""},
		{"same region", "eu-west-3", "arn:aws:ses:eu-west-3:123456789012:identity/example.com", ""},
		{"unlisted region uses its own", "ap-east-1", "arn:aws:ses:ap-east-1:123456789012:identity/example.com", ""},
		{"alternate region allowed", "eu-central-1", "arn:aws:ses:eu-west-1:123456789012:identity/example.com", ""},
		{"us-east-2 may use us-west-2", "us-east-2", "arn:aws:ses:us-west-2:123456789012:identity/a@example.com", ""},
		{"eu-west-1 may use us-east-1", "eu-west-1", "arn:aws:ses:us-east-1:123456789012:identity/example.com", ""},
		{"paris has no alternate", "eu-west-3", "arn:aws:ses:eu-west-1:123456789012:identity/example.com", "in eu-west-1"},
		{"unlisted region has no alternate", "ap-east-1", "arn:aws:ses:us-east-1:123456789012:identity/example.com", "verify the identity in ap-east-1"},
		{"tokyo cannot use frankfurt", "ap-northeast-1", "arn:aws:ses:eu-central-1:123456789012:identity/example.com", "ap-northeast-1 or us-east-1 or us-west-2 or eu-west-1"},
		{"partition unknown at synth", "us-east-1", "arn:*:ses:eu-central-1:123456789012:identity/example.com", "cannot send email"},
		{"not an SES ARN", "us-east-1", "arn:aws:sns:us-east-1:123456789012:topic", "not an SES identity ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertErr(t, CheckSESRegion(tc.pool, tc.arn), tc.want)
		})
	}
}

func TestCheckPinpoint(t *testing.T) {
	for _, tc := range []struct {
		name, pool string
		a          PinpointAnalytics
		want       string
	}{
		{"milan has no analytics", "eu-south-1", PinpointAnalytics{ApplicationID: "abc"}, "eu-south-1 (Europe (Milan)) cannot use Amazon Pinpoint"},
		{"bahrain has no analytics", "me-south-1", PinpointAnalytics{ApplicationArn: "arn:aws:mobiletargeting:me-south-1:1:apps/x"}, "Middle East (Bahrain)"},
		{"id in the pool's region", "us-west-2", PinpointAnalytics{ApplicationID: "abc", ApplicationRegion: "us-west-2"}, ""},
		{"id of unknown region", "us-west-2", PinpointAnalytics{ApplicationID: "abc"}, ""},
		{"id in another region", "us-west-2", PinpointAnalytics{ApplicationID: "abc", ApplicationRegion: "us-east-1"}, "give the application's ARN"},
		{"arn in a mapped region", "ap-northeast-1", PinpointAnalytics{ApplicationArn: "arn:aws:mobiletargeting:us-east-1:1:apps/x"}, ""},
		{"arn in the pool's region", "eu-west-3", PinpointAnalytics{ApplicationArn: "arn:aws:mobiletargeting:eu-west-3:1:apps/x"}, ""},
		{"arn in an unmapped region", "ap-northeast-1", PinpointAnalytics{ApplicationArn: "arn:aws:mobiletargeting:eu-west-1:1:apps/x"}, "use a project in ap-northeast-1 or us-east-1"},
		{"unlisted pool region, other project region", "eu-west-3", PinpointAnalytics{ApplicationArn: "arn:aws:mobiletargeting:us-east-1:1:apps/x"}, "use a project in eu-west-3"},
		{"bad arn", "us-east-1", PinpointAnalytics{ApplicationArn: "apps/x"}, "not a Pinpoint application ARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertErr(t, CheckPinpoint(tc.pool, tc.a), tc.want)
		})
	}
}

func TestCheckCustomSenders(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bound []Slot
		key   string
		want  string
	}{
		{"no sender", []Slot{userpool.PreSignUp}, "", ""},
		{"email sender with key", []Slot{userpool.CustomEmailSender}, "arn:aws:kms:us-east-1:1:key/k", ""},
		{"email sender without key", []Slot{userpool.CustomEmailSender}, "", "CustomEmailSender needs a KMS key"},
		{"both senders without key", []Slot{userpool.CustomEmailSender, userpool.CustomSMSSender}, "", "CustomEmailSender and CustomSMSSender"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertErr(t, CheckCustomSenders(tc.bound, tc.key), tc.want)
		})
	}
}

func TestCheckAuthSessionValidity(t *testing.T) {
	for _, tc := range []struct {
		name         string
		minutes, ttl int
		want         string
	}{
		{"default", 3, 3, ""},
		{"longer than the code", 10, 5, ""},
		{"shorter than the code", 3, 5, "shorter than the one-time code's life"},
		{"too short for cognito", 2, 1, "outside Cognito's 3 to 15"},
		{"too long for cognito", 16, 3, "outside Cognito's 3 to 15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertErr(t, CheckAuthSessionValidity(tc.minutes, tc.ttl), tc.want)
		})
	}
}

func TestLambdaConfigClaims(t *testing.T) {
	var c lambdaConfig
	if err := c.claim(userpool.PreSignUp, "arn:a", "", "the shipped presignup function"); err != nil {
		t.Fatal(err)
	}
	if err := c.claim(userpool.PreTokenGeneration, "arn:t", userpool.V2_0, "Stack/Tokens"); err != nil {
		t.Fatal(err)
	}
	if err := c.claim(userpool.InboundFederation, "arn:f", "", "Stack/Federation"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		slot     Slot
		version  string
		claimant string
		want     []string
	}{
		{"slot claimed twice", userpool.PreSignUp, "", "Stack/MyPreSignUp", []string{"PreSignUp is claimed twice", "the shipped presignup function", "Stack/MyPreSignUp"}},
		{"unknown slot", Slot("PreToken"), "", "Stack/X", []string{`unknown LambdaConfig slot "PreToken"`, "PreTokenGenerationConfig"}},
		{"version on a plain slot", userpool.PostConfirmation, userpool.V2_0, "Stack/X", []string{"PostConfirmation takes no version"}},
		{"version a slot does not take", userpool.CustomSMSSender, userpool.V2_0, "Stack/X", []string{"CustomSMSSender accepts V1_0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.claim(tc.slot, "arn:x", tc.version, tc.claimant)
			for _, w := range tc.want {
				assertErr(t, err, w)
			}
		})
	}
	if len(c.conflicts) != 4 {
		t.Errorf("got %d conflicts recorded, want 4", len(c.conflicts))
	}
	c.kmsKeyArn = "arn:aws:kms:us-east-1:1:key/k"
	got := jsonOf(c.apiJSON())
	want := `{"InboundFederation":{"LambdaArn":"arn:f","LambdaVersion":"V1_0"},"KMSKeyID":"arn:aws:kms:us-east-1:1:key/k","PreSignUp":"arn:a","PreTokenGenerationConfig":{"LambdaArn":"arn:t","LambdaVersion":"V2_0"}}`
	if got != want {
		t.Errorf("apiJSON() = %s, want %s", got, want)
	}
}

func TestSESIdentities(t *testing.T) {
	for _, tc := range []struct {
		from string
		want string
		err  string
	}{
		{"no-reply@example.com", "no-reply@example.com example.com", ""},
		{"Example <No-Reply@Mail.Example.COM>", "No-Reply@Mail.Example.COM mail.example.com", ""},
		{"example.com", "", `Passwordless.EmailFrom="example.com" is not an email address`},
	} {
		t.Run(tc.from, func(t *testing.T) {
			got, err := sesIdentities(tc.from, "Passwordless.EmailFrom")
			assertErr(t, err, tc.err)
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestFlatten(t *testing.T) {
	joined := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ses:eu-west-1:123:identity/example.com"}}}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, ""},
		{"string", "arn:aws:ses:x", "arn:aws:ses:x"},
		{"join keeps the literal parts", joined, "arn:*:ses:eu-west-1:123:identity/example.com"},
		{"ref", map[string]any{"Ref": "X"}, "*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := flatten(tc.v); got != tc.want {
				t.Errorf("flatten() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEnvNamesTheProp checks that settings the functions would refuse at
// start-up are refused at synth time, by the functions' own parsers, with
// the prop that set the variable named.
func TestEnvNamesTheProp(t *testing.T) {
	key := envFacts{kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", kmsKeyProp: "Props.CustomSenderKMSKey"}
	sender := func(cs CustomSendersProps) Props { return Props{AppName: "Example", CustomSenders: &cs} }
	// The construct always gives createauth a decoy key: the prop's, or
	// the ARN of its secret.
	const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:decoy-AbCdEf"
	for _, tc := range []struct {
		name  string
		props Props
		facts envFacts
		env   func(*Props, envFacts) *triggerEnv
		check func(func(string) string) error
		want  []string // parts of the error; none for no error
	}{
		{"presignup policy", Props{PreSignUp: &PreSignUpProps{AllowedEmailDomains: []string{"example.com"}, AutoConfirmEmailDomains: []string{"example.com"}}}, envFacts{}, preSignUpEnv, checkPreSignUp, nil},
		{"presignup bad domain", Props{PreSignUp: &PreSignUpProps{BlockedEmailDomains: []string{"@example.com"}}}, envFacts{}, preSignUpEnv, checkPreSignUp, []string{"BLOCKED_EMAIL_DOMAINS", "PreSignUp.BlockedEmailDomains sets BLOCKED_EMAIL_DOMAINS"}},
		{"bad log level", Props{LogLevel: "loud", PreSignUp: &PreSignUpProps{}}, envFacts{}, preSignUpEnv, checkPreSignUp, []string{"Props.LogLevel sets LOG_LEVEL"}},
		{"custom message", Props{AppName: "Example", CustomMessage: &CustomMessageProps{}}, envFacts{}, customMessageEnv, checkCustomMessage, nil},
		{"custom message without a name", Props{CustomMessage: &CustomMessageProps{}}, envFacts{}, customMessageEnv, checkCustomMessage, []string{"APP_NAME", "Props.AppName sets APP_NAME"}},
		{"custom message bad verification", Props{AppName: "Example", CustomMessage: &CustomMessageProps{Verification: "email"}}, envFacts{}, customMessageEnv, checkCustomMessage, []string{"CustomMessage.Verification sets VERIFICATION"}},
		{"custom message own name wins", Props{AppName: strings.Repeat("x", 41), CustomMessage: &CustomMessageProps{AppName: "Example"}}, envFacts{}, customMessageEnv, checkCustomMessage, nil},
		{"passwordless", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com", OTPTTL: awscdk.Duration_Minutes(jsii.Number(5)), MaxResends: new(0)}}, envFacts{throttleTable: "send-throttle", decoyKeySecretArn: secretArn}, createAuthEnv, checkCreateAuth, nil},
		{"pool send limit out of range", Props{Passwordless: &PasswordlessProps{PoolSendLimit: &SendLimit{Count: 0, Per: awscdk.Duration_Hours(jsii.Number(1))}}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"Passwordless.PoolSendLimit sets POOL_SEND_LIMIT"}},
		{"pool send window too short", Props{Passwordless: &PasswordlessProps{PoolSendLimit: &SendLimit{Count: 10, Per: awscdk.Duration_Seconds(jsii.Number(1))}}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"Passwordless.PoolSendLimit sets POOL_SEND_LIMIT"}},
		{"sms channel without countries", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms"}}, envFacts{throttleTable: "send-throttle"}, passwordlessEnv, checkCreateAuth, []string{"Passwordless.SMSAllowedCallingCodes sets SMS_ALLOWED_CALLING_CODES", "Passwordless.AllowSMSToAllCountries sets SMS_ALLOW_ALL_COUNTRIES"}},
		{"sms countries and every country", Props{Passwordless: &PasswordlessProps{SMSAllowedCallingCodes: []string{"1"}, AllowSMSToAllCountries: true}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"Passwordless.SMSAllowedCallingCodes sets SMS_ALLOWED_CALLING_CODES", "Passwordless.AllowSMSToAllCountries sets SMS_ALLOW_ALL_COUNTRIES"}},
		{"create needs the send limits", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com"}}, envFacts{}, passwordlessEnv, checkCreateAuth, []string{"SEND_THROTTLE_TABLE", "Passwordless.AllowUnlimitedSends sets ALLOW_UNLIMITED_SENDS"}},
		{"otp length", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com", OTPLength: 5}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"OTP_LENGTH", "Passwordless.OTPLength sets OTP_LENGTH"}},
		{"otp ttl", Props{Passwordless: &PasswordlessProps{OTPTTL: awscdk.Duration_Minutes(jsii.Number(20))}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"Passwordless.OTPTTL sets OTP_TTL"}},
		{"create needs a sender", Props{AppName: "Example", Passwordless: &PasswordlessProps{}}, envFacts{}, passwordlessEnv, checkCreateAuth, []string{"EMAIL_FROM is not set", "Passwordless.EmailFrom sets EMAIL_FROM"}},
		{"sms needs no sender", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms", SMSAllowedCallingCodes: []string{"1", "44"}}}, envFacts{throttleTable: "send-throttle", decoyKeySecretArn: secretArn}, createAuthEnv, checkCreateAuth, nil},
		{"sms to every country", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms", AllowSMSToAllCountries: true, AllowUnlimitedSends: true}}, envFacts{decoyKeySecretArn: secretArn}, createAuthEnv, checkCreateAuth, nil},
		{"pool send limit", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com", PoolSendLimit: &SendLimit{Count: 1000, Per: awscdk.Duration_Hours(jsii.Number(1))}}}, envFacts{throttleTable: "send-throttle", decoyKeySecretArn: secretArn}, createAuthEnv, checkCreateAuth, nil},
		{"create needs a decoy key", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com"}}, envFacts{throttleTable: "send-throttle"}, createAuthEnv, checkCreateAuth, []string{"DECOY_KEY is not set", "Passwordless.DecoyKey"}},
		{"decoy key in the secret made by the construct", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com"}}, envFacts{throttleTable: "send-throttle", decoyKeySecretArn: *awscdk.Fn_Ref(jsii.String("Secret"))}, createAuthEnv, checkCreateAuth, nil},
		{"decoy key secret that is not a secret", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com"}}, envFacts{throttleTable: "send-throttle", decoyKeySecretArn: "arn:aws:kms:us-east-1:123456789012:key/k"}, createAuthEnv, checkCreateAuth, []string{"Passwordless.DecoyKey (unset: the secret the construct creates) sets DECOY_KEY_SECRET_ARN"}},
		{"decoy key given", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com", DecoyKey: strings.Repeat("ab", 16)}}, envFacts{throttleTable: "send-throttle"}, createAuthEnv, checkCreateAuth, nil},
		{"decoy key too short", Props{Passwordless: &PasswordlessProps{DecoyKey: "abcd"}}, envFacts{}, createAuthEnv, checkPasswordless, []string{"Passwordless.DecoyKey sets DECOY_KEY"}},
		{"magic link over http", Props{Passwordless: &PasswordlessProps{MagicLinkURL: "http://app.example.com/x"}}, envFacts{}, passwordlessEnv, checkPasswordless, []string{"Passwordless.MagicLinkURL sets MAGIC_LINK_URL"}},
		{"post confirmation", Props{PostConfirmation: &PostConfirmationProps{DefaultGroup: "users"}}, envFacts{}, postConfirmationEnv, checkPostConfirmation, nil},
		{"post confirmation without a group", Props{PostConfirmation: &PostConfirmationProps{}}, envFacts{}, postConfirmationEnv, checkPostConfirmation, []string{"DEFAULT_GROUP", "PostConfirmation.DefaultGroup sets DEFAULT_GROUP"}},
		{"post confirmation bad group", Props{PostConfirmation: &PostConfirmationProps{DefaultGroup: "all users"}}, envFacts{}, postConfirmationEnv, checkPostConfirmation, []string{"PostConfirmation.DefaultGroup sets DEFAULT_GROUP"}},
		{"pre token", Props{PreToken: &PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id", "locale"}, AccessTokenScopesByGroup: map[string][]string{"editors": {"api/write"}, "admins": {"api/admin", "api/write"}}, SuppressClaims: []string{"phone_number"}}}, envFacts{}, preTokenEnv, checkPreToken, nil},
		{"pre token changes nothing", Props{PreToken: &PreTokenProps{}}, envFacts{}, preTokenEnv, checkPreToken, nil},
		{"pre token protected claim", Props{PreToken: &PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:id=sub"}}}, envFacts{}, preTokenEnv, checkPreToken, []string{"PreToken.IDTokenClaimsFromAttributes sets ID_TOKEN_CLAIMS_FROM_ATTRIBUTES"}},
		{"pre token group without scopes", Props{PreToken: &PreTokenProps{AccessTokenScopesByGroup: map[string][]string{"admins": nil}}}, envFacts{}, preTokenEnv, checkPreToken, []string{"PreToken.AccessTokenScopesByGroup sets ACCESS_TOKEN_SCOPES_BY_GROUP"}},
		{"pre token suppresses a protected claim", Props{PreToken: &PreTokenProps{SuppressClaims: []string{"exp"}}}, envFacts{}, preTokenEnv, checkPreToken, []string{"PreToken.SuppressClaims sets SUPPRESS_CLAIMS"}},
		{"email sender", sender(CustomSendersProps{Email: true, EmailFrom: "a@example.com", SESConfigurationSet: "mail"}), key, emailSenderEnv, checkEmailSender, nil},
		{"email sender needs a sender", sender(CustomSendersProps{Email: true}), key, emailSenderEnv, checkEmailSender, []string{"EMAIL_FROM is not set", "CustomSenders.EmailFrom sets EMAIL_FROM"}},
		{"sms sender needs no email sender", sender(CustomSendersProps{SMS: true, SMSOriginationNumber: "+15555550100", SMSAllowedCallingCodes: []string{"1"}}), key, smsSenderEnv, checkSMSSender, nil},
		{"sms sender to every country", sender(CustomSendersProps{SMS: true, AllowSMSToAllCountries: true}), key, smsSenderEnv, checkSMSSender, nil},
		{"sms sender id", sender(CustomSendersProps{SMS: true, SMSSenderID: "Example App"}), key, smsSenderEnv, checkSMSSender, []string{"CustomSenders.SMSSenderID sets SMS_SENDER_ID"}},
		{"sender key is an alias", sender(CustomSendersProps{SMS: true}), envFacts{kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/codes", kmsKeyProp: "Props.CustomSenderKMSKey"}, smsSenderEnv, checkSMSSender, []string{"is an alias", "Props.CustomSenderKMSKey sets KMS_KEY_ARN"}},
		{"sender key created at deployment", sender(CustomSendersProps{SMS: true, SMSAllowedCallingCodes: []string{"1"}}), envFacts{kmsKeyArn: *awscdk.Fn_GetAtt(jsii.String("Key"), jsii.String("Arn")).ToString(), kmsKeyProp: "CustomSenders"}, smsSenderEnv, checkSMSSender, nil},
		{"sender without a name", Props{CustomSenders: &CustomSendersProps{SMS: true}}, key, smsSenderEnv, checkSMSSender, []string{"Props.AppName sets APP_NAME"}},
		{"sender's own name wins", Props{CustomSenders: &CustomSendersProps{SMS: true, AppName: "Example", SMSAllowedCallingCodes: []string{"1"}}}, key, smsSenderEnv, checkSMSSender, nil},
		{"presignup trusts a provider", Props{PreSignUp: &PreSignUpProps{LinkFederatedUsers: true, TrustUnverifiedEmailProviders: []string{"MyCorp-SAML"}}}, envFacts{}, preSignUpEnv, checkPreSignUp, nil},
		{"presignup trusts the pool", Props{PreSignUp: &PreSignUpProps{LinkFederatedUsers: true, TrustUnverifiedEmailProviders: []string{"Cognito"}}}, envFacts{}, preSignUpEnv, checkPreSignUp, []string{"PreSignUp.TrustUnverifiedEmailProviders sets TRUST_UNVERIFIED_EMAIL_PROVIDERS"}},
		{"presignup marks unproven email verified", Props{PreSignUp: &PreSignUpProps{AutoConfirmEmailDomains: []string{"example.com"}, MarkUnprovenEmailVerified: true}}, envFacts{}, preSignUpEnv, checkPreSignUp, nil},
		{"presignup marks nothing verified without auto-confirm", Props{PreSignUp: &PreSignUpProps{MarkUnprovenEmailVerified: true}}, envFacts{}, preSignUpEnv, checkPreSignUp, []string{"PreSignUp.MarkUnprovenEmailVerified sets MARK_UNPROVEN_EMAIL_VERIFIED", "PreSignUp.AutoConfirmEmailDomains sets AUTO_CONFIRM_EMAIL_DOMAINS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.env(&tc.props, tc.facts).check(tc.check)
			if len(tc.want) == 0 {
				assertErr(t, err, "")
			}
			for _, w := range tc.want {
				assertErr(t, err, w)
			}
		})
	}
}

// TestEnvValues checks the environment the props become.
func TestEnvValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props Props
		facts envFacts
		env   func(*Props, envFacts) *triggerEnv
		want  string
	}{
		{"pre token", Props{PreToken: &PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id", "locale"}, AccessTokenScopesByGroup: map[string][]string{"editors": {"api/write"}, "admins": {"api/admin", "api/write"}}, SuppressClaims: []string{"phone_number", "zoneinfo"}}}, envFacts{}, preTokenEnv,
			`{"ACCESS_TOKEN_SCOPES_BY_GROUP":"admins=api/admin api/write;editors=api/write","ID_TOKEN_CLAIMS_FROM_ATTRIBUTES":"custom:tenant=tenant_id,locale","SUPPRESS_CLAIMS":"phone_number,zoneinfo"}`},
		{"post confirmation", Props{LogLevel: "debug", PostConfirmation: &PostConfirmationProps{DefaultGroup: "users"}}, envFacts{}, postConfirmationEnv,
			`{"DEFAULT_GROUP":"users","LOG_LEVEL":"debug"}`},
		{"email sender", Props{AppName: "Example", AppURL: "https://example.com", CustomSenders: &CustomSendersProps{Email: true, EmailFrom: "a@example.com", SESConfigurationSet: "mail", SMSSenderID: "Example"}}, envFacts{kmsKeyArn: "arn:k"}, emailSenderEnv,
			`{"APP_NAME":"Example","APP_URL":"https://example.com","EMAIL_FROM":"a@example.com","KMS_KEY_ARN":"arn:k","SES_CONFIGURATION_SET":"mail"}`},
		{"sms sender", Props{AppName: "Example", CustomSenders: &CustomSendersProps{SMS: true, EmailFrom: "a@example.com", SMSSenderID: "Example", SMSOriginationNumber: "+15555550100"}}, envFacts{kmsKeyArn: "arn:k"}, smsSenderEnv,
			`{"APP_NAME":"Example","KMS_KEY_ARN":"arn:k","SMS_ORIGINATION_NUMBER":"+15555550100","SMS_SENDER_ID":"Example"}`},
		{"createauth throttle table and decoy key secret", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms", SMSAllowedCallingCodes: []string{"1", "44"}}}, envFacts{throttleTable: "t", decoyKeySecretArn: "arn:s"}, createAuthEnv,
			`{"APP_NAME":"Example","DECOY_KEY_SECRET_ARN":"arn:s","OTP_CHANNEL":"sms","SEND_THROTTLE_TABLE":"t","SMS_ALLOWED_CALLING_CODES":"1,44"}`},
		{"createauth without limits, decoy key given", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms", AllowUnlimitedSends: true, AllowSMSToAllCountries: true, DecoyKey: "given"}}, envFacts{decoyKeySecretArn: "arn:s"}, createAuthEnv,
			`{"ALLOW_UNLIMITED_SENDS":"true","APP_NAME":"Example","DECOY_KEY":"given","OTP_CHANNEL":"sms","SMS_ALLOW_ALL_COUNTRIES":"true"}`},
		{"define and verify get no decoy key", Props{AppName: "Example", Passwordless: &PasswordlessProps{Channel: "sms", AllowUnlimitedSends: true, AllowSMSToAllCountries: true, DecoyKey: "given"}}, envFacts{decoyKeySecretArn: "arn:s"}, passwordlessEnv,
			`{"ALLOW_UNLIMITED_SENDS":"true","APP_NAME":"Example","OTP_CHANNEL":"sms","SMS_ALLOW_ALL_COUNTRIES":"true"}`},
		{"passwordless pool send limit", Props{AppName: "Example", Passwordless: &PasswordlessProps{EmailFrom: "a@example.com", PoolSendLimit: &SendLimit{Count: 1000, Per: awscdk.Duration_Hours(jsii.Number(1))}, RequirePassword: true, AllowPasswordOnlySignIn: true}}, envFacts{throttleTable: "t"}, passwordlessEnv,
			`{"APP_NAME":"Example","EMAIL_FROM":"a@example.com","POOL_SEND_LIMIT":"1000/1h0m0s","REQUIRE_PASSWORD":"true","SEND_THROTTLE_TABLE":"t"}`},
		{"pre sign-up", Props{PreSignUp: &PreSignUpProps{AutoConfirmEmailDomains: []string{"example.com"}, MarkUnprovenEmailVerified: true, TrustUnverifiedEmailProviders: []string{"MyCorp-SAML", "Okta"}}}, envFacts{}, preSignUpEnv,
			`{"AUTO_CONFIRM_EMAIL_DOMAINS":"example.com","MARK_UNPROVEN_EMAIL_VERIFIED":"true","TRUST_UNVERIFIED_EMAIL_PROVIDERS":"MyCorp-SAML,Okta"}`},
		{"sms sender country list", Props{AppName: "Example", CustomSenders: &CustomSendersProps{SMS: true, SMSAllowedCallingCodes: []string{"33", "49"}}}, envFacts{kmsKeyArn: "arn:k"}, smsSenderEnv,
			`{"APP_NAME":"Example","KMS_KEY_ARN":"arn:k","SMS_ALLOWED_CALLING_CODES":"33,49"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsonOf(tc.env(&tc.props, tc.facts).vars); got != tc.want {
				t.Errorf("environment %s\nwant %s", got, tc.want)
			}
		})
	}
}

func assertErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("got error %q, want none", err)
	case want != "" && err == nil:
		t.Errorf("got no error, want one with %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("got error %q, want one with %q", err, want)
	}
}

func TestLambdaConfigSlotSpellings(t *testing.T) {
	var c lambdaConfig
	if err := c.claim(Slot("PreTokenGenerationConfig"), "arn:t", userpool.V3_0, "Stack/Tokens"); err != nil {
		t.Fatal(err)
	}
	if !c.bound(userpool.PreTokenGeneration) {
		t.Error("PreTokenGenerationConfig did not claim userpool.PreTokenGeneration")
	}
	assertErr(t, c.claim(userpool.PreTokenGeneration, "arn:u", "", "Stack/Other"), "PreTokenGenerationConfig is claimed twice")
	assertErr(t, c.claim(userpool.KMSKeyID, "arn:k", "", "Stack/Key"), `unknown LambdaConfig slot "KMSKeyID"`)
}

// varError is an error of a parser that says which variable it is about.
type varError struct{ name string }

func (e varError) Error() string  { return "bad value" }
func (e varError) EnvVar() string { return e.name }

func TestNamedVars(t *testing.T) {
	known := []string{"APP_NAME", "EMAIL_FROM", "OTP_TTL"}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"typed, wrapped", fmt.Errorf("createauth: %w", varError{"OTP_TTL"}), "[OTP_TTL]"},
		{"typed, joined", errors.Join(varError{"EMAIL_FROM"}, errors.New("OTP_TTL in the text only"), fmt.Errorf("x: %w", varError{"APP_NAME"})), "[APP_NAME EMAIL_FROM]"},
		{"typed, unknown variable", varError{"LOG_LEVEL"}, "[]"},
		{"text only, not searched", errors.New("EMAIL_FROM is not set"), "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(namedVars(tc.err, known)); got != tc.want {
				t.Errorf("namedVars = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestL2TriggersAreSlots checks that every function of the L2
// UserPoolTriggers is a slot that bindL2Triggers finds, so that a new
// field of a newer aws-cdk-go is not dropped without a word.
func TestL2TriggersAreSlots(t *testing.T) {
	typ := reflect.TypeFor[awscognito.UserPoolTriggers]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if !slices.ContainsFunc(userpool.Slots(), func(s Slot) bool { return functionSlot(s) && strings.EqualFold(name, string(s)) }) {
			t.Errorf("UserPoolTriggers.%s is no slot of userpool.Slots(): bindL2Triggers ignores it", name)
		}
	}
}
