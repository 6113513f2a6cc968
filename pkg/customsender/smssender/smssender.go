// Package smssender is the custom SMS sender function of a user pool: it
// decrypts each code Cognito hands it and sends the text through Amazon
// SNS (package snsnotify), in the user's language, only to the countries
// of SMS_ALLOWED_CALLING_CODES (or every one, with
// SMS_ALLOW_ALL_COUNTRIES=true). [FromEnv] is the build function of
// triggers/customsmssender; package customsender holds the sender itself
// and its options.
//
// It links the SNS client and not the SES v2 one: every imported package
// runs its initialization at each cold start, whether the function calls
// it or not (TestLinkedServices in triggers/conformance keeps it so).
package smssender

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/notify/snsnotify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// function is the custom SMS sender function.
var function = customsender.Function{
	Name:    "smssender.FromEnv",
	Channel: notify.ChannelSMS,
	Send: func(awscfg aws.Config, s notify.Settings) customsender.Option {
		return customsender.WithSMS(snsnotify.NewFromConfig(awscfg, s))
	},
}

// FromEnv builds the custom SMS sender function from its environment and
// opts, as emailsender.FromEnv does, with KMS and SNS clients; it is the
// build function of triggers/customsmssender. It refuses to start without
// KMS_KEY_ARN or APP_NAME, or without SMS_ALLOWED_CALLING_CODES or
// SMS_ALLOW_ALL_COUNTRIES=true, whatever opts give: a sender given
// customsender.WithSMS too sends only to those countries.
func FromEnv(getenv func(string) string, opts ...fromenv.Option) (*trigger.Handler, error) {
	return function.FromEnv(getenv, opts...)
}

// AWSOptions returns the options of customsender.New that decrypt with
// KMS (a customsender.KMSDecrypter on cfg.KeyARN) and send through SNS
// (snsnotify.NewFromConfig with cfg.Settings, whose SMSCountries it sends
// to). It builds each client once, from awscfg; call it once per process,
// at start-up. It makes no network call.
func AWSOptions(awscfg aws.Config, cfg customsender.Config) ([]customsender.Option, error) {
	return function.AWSOptions(awscfg, cfg)
}
