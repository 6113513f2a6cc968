package notify

import (
	"errors"
	"net/mail"
	"strconv"
	"strings"

	"github.com/cognitrig/cognitrig/internal/envvar"
)

// The environment variables of Settings, shared by every trigger that
// sends messages itself.
const (
	EnvEmailFrom            = "EMAIL_FROM"
	EnvConfigurationSet     = "SES_CONFIGURATION_SET"
	EnvSMSSenderID          = "SMS_SENDER_ID"
	EnvSMSOriginationNumber = "SMS_ORIGINATION_NUMBER"
	// EnvSMSAllowedCallingCodes is a comma list of the country calling
	// codes (E.164 prefixes, such as 1,44,33) that SMS may go to
	// (ParseCallingCodes reads it). With neither it nor
	// EnvSMSAllowAllCountries set, no SMS is sent anywhere.
	EnvSMSAllowedCallingCodes = "SMS_ALLOWED_CALLING_CODES"
	// EnvSMSAllowAllCountries set to true sends SMS to every country,
	// premium-rate ones included: it gives up the defence against SMS
	// pumping that SMS_ALLOWED_CALLING_CODES gives.
	EnvSMSAllowAllCountries = "SMS_ALLOW_ALL_COUNTRIES"
)

// Settings are how a trigger sends: the SES sender and configuration set,
// the SNS SMS attributes, and the countries SMS may go to. The zero value
// of each means none. sesnotify.NewFromConfig and snsnotify.NewFromConfig
// build the senders of Settings; the SNS one sends only to SMSCountries.
type Settings struct {
	// EmailFrom is the SES sender, a verified identity, optionally with
	// a display name ("Example <no-reply@example.com>").
	EmailFrom string
	// ConfigurationSet is the SES configuration set of the emails.
	ConfigurationSet string
	// SMSSenderID and SMSOriginationNumber are the SNS attributes
	// AWS.SNS.SMS.SenderID and AWS.MM.SMS.OriginationNumber.
	SMSSenderID, SMSOriginationNumber string
	// SMSCountries are the phone numbers SMS may go to: those of the
	// calling codes of SMS_ALLOWED_CALLING_CODES, every one with
	// SMS_ALLOW_ALL_COUNTRIES=true, and none when neither is set.
	SMSCountries SMSCountries
}

// CheckSMS reports a trigger that sends SMS but allows no country: it
// returns an error naming SMS_ALLOWED_CALLING_CODES and
// SMS_ALLOW_ALL_COUNTRIES when neither was set, nil otherwise. A trigger
// whose every message is an SMS calls it at start-up; one that may also
// send email can run without, and then sends no SMS.
func (s Settings) CheckSMS() error {
	if s.SMSCountries.IsZero() {
		return envvar.Wrap(EnvSMSAllowedCallingCodes, envvar.Errorf(EnvSMSAllowAllCountries, "neither %s nor %s is set, so no SMS may be sent anywhere; set %s to the country calling codes of your users (such as 1,44), or %s=true to send to every country, premium-rate numbers included",
			EnvSMSAllowedCallingCodes, EnvSMSAllowAllCountries, EnvSMSAllowedCallingCodes, EnvSMSAllowAllCountries))
	}
	return nil
}

// SettingsFromEnv reads EMAIL_FROM, SES_CONFIGURATION_SET, SMS_SENDER_ID,
// SMS_ORIGINATION_NUMBER, SMS_ALLOWED_CALLING_CODES and
// SMS_ALLOW_ALL_COUNTRIES, trimmed, and checks the form of each that is
// set (ParseCallingCodes reads the calling codes). Setting both
// SMS_ALLOWED_CALLING_CODES and SMS_ALLOW_ALL_COUNTRIES=true is refused
// as a contradiction. The error names every wrong variable. Whether a
// sender, or a country for SMS ([Settings.CheckSMS]), is required is the
// trigger's to say.
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
			errs = append(errs, envvar.Errorf(EnvEmailFrom, "%s=%q is not an email address; use one such as no-reply@example.com or \"Example <no-reply@example.com>\"", EnvEmailFrom, s.EmailFrom))
		}
	}
	if s.ConfigurationSet != "" && !configurationSetName(s.ConfigurationSet) {
		errs = append(errs, envvar.Errorf(EnvConfigurationSet, "%s=%q is not an SES configuration set name (letters, digits, '_' and '-', at most 64)", EnvConfigurationSet, s.ConfigurationSet))
	}
	if s.SMSSenderID != "" && !senderID(s.SMSSenderID) {
		errs = append(errs, envvar.Errorf(EnvSMSSenderID, "%s=%q is not an SMS sender ID; use 1 to 11 letters and digits, with at least one letter", EnvSMSSenderID, s.SMSSenderID))
	}
	if s.SMSOriginationNumber != "" && !e164(s.SMSOriginationNumber) {
		errs = append(errs, envvar.Errorf(EnvSMSOriginationNumber, "%s=%q is not a phone number in E.164 form such as +15555550100", EnvSMSOriginationNumber, s.SMSOriginationNumber))
	}
	countries, err := smsCountriesFromEnv(get(EnvSMSAllowedCallingCodes), get(EnvSMSAllowAllCountries))
	if err != nil {
		errs = append(errs, err)
	}
	s.SMSCountries = countries
	if err := errors.Join(errs...); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// smsCountriesFromEnv reads the values of SMS_ALLOWED_CALLING_CODES and
// SMS_ALLOW_ALL_COUNTRIES.
func smsCountriesFromEnv(codes, all string) (SMSCountries, error) {
	allowAll := false
	if all != "" {
		b, err := strconv.ParseBool(all)
		if err != nil {
			return SMSCountries{}, envvar.Errorf(EnvSMSAllowAllCountries, "%s=%q is not true or false", EnvSMSAllowAllCountries, all)
		}
		allowAll = b
	}
	switch {
	case allowAll && codes != "":
		return SMSCountries{}, envvar.Wrap(EnvSMSAllowedCallingCodes, envvar.Errorf(EnvSMSAllowAllCountries, "%s=%q and %s=true contradict each other: the list limits SMS to some countries, the switch allows every one; unset one of them",
			EnvSMSAllowedCallingCodes, codes, EnvSMSAllowAllCountries))
	case allowAll:
		return AllCountries(), nil
	case codes == "":
		return SMSCountries{}, nil
	}
	c, err := ParseCallingCodes(codes)
	if err != nil {
		return SMSCountries{}, envvar.Errorf(EnvSMSAllowedCallingCodes, "%s=%q: %w", EnvSMSAllowedCallingCodes, codes, err)
	}
	return c, nil
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
