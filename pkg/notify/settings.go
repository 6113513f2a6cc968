package notify

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// The environment variables of Settings, shared by every trigger that
// sends messages itself.
const (
	EnvEmailFrom            = "EMAIL_FROM"
	EnvConfigurationSet     = "SES_CONFIGURATION_SET"
	EnvSMSSenderID          = "SMS_SENDER_ID"
	EnvSMSOriginationNumber = "SMS_ORIGINATION_NUMBER"
)

// Settings are how a trigger sends: the SES sender and configuration set,
// and the SNS SMS attributes. The zero value of each means none.
// awsnotify.NewSESFromConfig and awsnotify.NewSNSFromConfig build the
// senders of Settings.
type Settings struct {
	// EmailFrom is the SES sender, a verified identity, optionally with
	// a display name ("Example <no-reply@example.com>").
	EmailFrom string
	// ConfigurationSet is the SES configuration set of the emails.
	ConfigurationSet string
	// SMSSenderID and SMSOriginationNumber are the SNS attributes
	// AWS.SNS.SMS.SenderID and AWS.MM.SMS.OriginationNumber.
	SMSSenderID, SMSOriginationNumber string
}

// SettingsFromEnv reads EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID
// and SMS_ORIGINATION_NUMBER, trimmed, and checks the form of each that is
// set. The error names every wrong variable. Whether a sender is required
// is the trigger's to say.
func SettingsFromEnv(getenv func(string) string) (Settings, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	s := Settings{
		EmailFrom:            get(EnvEmailFrom),
		ConfigurationSet:     get(EnvConfigurationSet),
		SMSSenderID:          get(EnvSMSSenderID),
		SMSOriginationNumber: get(EnvSMSOriginationNumber),
	}
	var errs []error
	if s.EmailFrom != "" {
		if _, err := mail.ParseAddress(s.EmailFrom); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not an email address; use one such as no-reply@example.com or \"Example <no-reply@example.com>\"", EnvEmailFrom, s.EmailFrom))
		}
	}
	if s.ConfigurationSet != "" && !configurationSetName(s.ConfigurationSet) {
		errs = append(errs, fmt.Errorf("%s=%q is not an SES configuration set name (letters, digits, '_' and '-', at most 64)", EnvConfigurationSet, s.ConfigurationSet))
	}
	if s.SMSSenderID != "" && !senderID(s.SMSSenderID) {
		errs = append(errs, fmt.Errorf("%s=%q is not an SMS sender ID; use 1 to 11 letters and digits, with at least one letter", EnvSMSSenderID, s.SMSSenderID))
	}
	if s.SMSOriginationNumber != "" && !e164(s.SMSOriginationNumber) {
		errs = append(errs, fmt.Errorf("%s=%q is not a phone number in E.164 form such as +15555550100", EnvSMSOriginationNumber, s.SMSOriginationNumber))
	}
	if err := errors.Join(errs...); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// configurationSetName accepts 1 to 64 letters, digits, '_' and '-'.
func configurationSetName(s string) bool {
	return len(s) <= 64 && s != "" && strings.Trim(s, alnum+"_-") == ""
}

// senderID accepts what SNS accepts as an alphanumeric sender ID: 1 to 11
// letters and digits, not all digits.
func senderID(s string) bool {
	return len(s) <= 11 && s != "" && strings.Trim(s, alnum) == "" && strings.Trim(s, "0123456789") != ""
}

// e164 accepts '+' and 2 to 15 digits, the first not 0.
func e164(s string) bool {
	d, ok := strings.CutPrefix(s, "+")
	return ok && len(d) >= 2 && len(d) <= 15 && d[0] != '0' && strings.Trim(d, "0123456789") == ""
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
