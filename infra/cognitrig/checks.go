package cognitrig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// The synth-time checks of Cognito's regional and configuration rules.
// They are pure functions of plain values so that they can be tested in a
// table, and the construct runs them on what it can read at synth time: a
// region that is still a token (an environment-agnostic stack) is not
// checked.

// sesAlternateRegions are the SES regions that some pool regions may use
// besides their own, for pools made when Cognito launched.
var sesAlternateRegions = []string{"us-east-1", "us-west-2", "eu-west-1"}

// sesRegions maps a user pool's region to the regions whose SES identities
// its EmailConfiguration (EmailSendingAccount DEVELOPER, SourceArn) may
// use, per the Cognito Developer Guide, "Amazon SES email configuration
// Regions". A region that is not listed may use its own region only.
var sesRegions = map[string][]string{
	"us-east-1":      sesAlternateRegions,
	"us-east-2":      append([]string{"us-east-2"}, sesAlternateRegions...),
	"us-west-1":      {"us-west-1"},
	"us-west-2":      sesAlternateRegions,
	"ca-central-1":   append([]string{"ca-central-1"}, sesAlternateRegions...),
	"ap-northeast-1": append([]string{"ap-northeast-1"}, sesAlternateRegions...),
	"ap-northeast-2": append([]string{"ap-northeast-2"}, sesAlternateRegions...),
	"ap-south-1":     append([]string{"ap-south-1"}, sesAlternateRegions...),
	"ap-southeast-1": append([]string{"ap-southeast-1"}, sesAlternateRegions...),
	"ap-southeast-2": append([]string{"ap-southeast-2"}, sesAlternateRegions...),
	"eu-west-1":      sesAlternateRegions,
	"eu-west-2":      append([]string{"eu-west-2"}, sesAlternateRegions...),
	"eu-west-3":      {"eu-west-3"},
	"eu-central-1":   append([]string{"eu-central-1"}, sesAlternateRegions...),
	"eu-north-1":     {"eu-north-1"},
	"me-south-1":     {"me-south-1"},
	"sa-east-1":      {"sa-east-1"},
}

// SESRegions returns the regions whose SES identities a user pool in
// poolRegion may send its email with.
func SESRegions(poolRegion string) []string {
	if r, ok := sesRegions[poolRegion]; ok {
		return slices.Clone(r)
	}
	return []string{poolRegion}
}

// CheckSESRegion reports an error when a user pool in poolRegion cannot
// send email through the SES identity sourceArn (the EmailConfiguration's
// SourceArn, arn:aws:ses:<region>:<account>:identity/<identity>). An empty
// sourceArn (Cognito's own sender) passes.
func CheckSESRegion(poolRegion, sourceArn string) error {
	if sourceArn == "" {
		return nil
	}
	region, ok := arnRegion(sourceArn, "ses")
	if !ok {
		return fmt.Errorf("the user pool's EmailConfiguration.SourceArn %q is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)", sourceArn)
	}
	allowed := SESRegions(poolRegion)
	if !slices.Contains(allowed, region) {
		return fmt.Errorf("the user pool in %s cannot send email with the SES identity in %s (%s); verify the identity in %s and use its ARN (in CDK: UserPoolEmail.WithSES with SesRegion)", poolRegion, region, sourceArn, strings.Join(allowed, " or "))
	}
	return nil
}

// pinpointRegions maps the pool regions that may use a Pinpoint project in
// another region to the project regions allowed, per the Cognito Developer
// Guide, "Using Amazon Pinpoint analytics with Amazon Cognito user pools".
// Other regions use a project in their own region only.
var pinpointRegions = map[string][]string{
	"ap-northeast-1": {"us-east-1"},
	"ap-northeast-2": {"us-east-1"},
	"ap-south-1":     {"us-east-1", "ap-south-1"},
	"ap-southeast-1": {"us-east-1"},
	"ap-southeast-2": {"us-east-1", "ap-southeast-2"},
	"ca-central-1":   {"us-east-1"},
	"eu-central-1":   {"us-east-1", "eu-central-1"},
	"eu-west-1":      {"us-east-1", "eu-west-1"},
	"eu-west-2":      {"us-east-1"},
	"us-east-1":      {"us-east-1"},
	"us-east-2":      {"us-east-1"},
	"us-west-2":      {"us-east-1", "us-west-2"},
}

// noPinpoint lists the regions whose user pools cannot use Pinpoint
// analytics at all.
var noPinpoint = map[string]string{
	"eu-south-1": "Europe (Milan)",
	"me-south-1": "Middle East (Bahrain)",
}

// PinpointAnalytics is what an app client's AnalyticsConfiguration says
// about its Pinpoint project: its ARN, or its ID and, when known, the
// region the project lives in.
type PinpointAnalytics struct {
	ApplicationArn    string
	ApplicationID     string
	ApplicationRegion string
}

// CheckPinpoint reports an error when an app client of a user pool in
// poolRegion cannot send analytics to the Pinpoint project a describes.
func CheckPinpoint(poolRegion string, a PinpointAnalytics) error {
	if name, ok := noPinpoint[poolRegion]; ok {
		return fmt.Errorf("user pools in %s (%s) cannot use Amazon Pinpoint analytics; remove Analytics from the app client, or create the pool in another region", poolRegion, name)
	}
	region := a.ApplicationRegion
	if a.ApplicationArn != "" {
		r, ok := arnRegion(a.ApplicationArn, "mobiletargeting")
		if !ok {
			return fmt.Errorf("the app client's Pinpoint ApplicationArn %q is not a Pinpoint application ARN (arn:aws:mobiletargeting:<region>:<account>:apps/<id>)", a.ApplicationArn)
		}
		region = r
	}
	if region == "" || region == poolRegion {
		return nil
	}
	if a.ApplicationArn == "" {
		return fmt.Errorf("the app client's Pinpoint application %s is in %s, not in the user pool's region %s; Cognito finds a project in another region only by its ARN: give the application's ARN (in CDK: Analytics.Application) instead of its ID", a.ApplicationID, region, poolRegion)
	}
	if allowed := pinpointRegions[poolRegion]; !slices.Contains(allowed, region) {
		where := poolRegion
		if len(allowed) > 0 {
			where = strings.Join(slices.Compact(slices.Sorted(slices.Values(append([]string{poolRegion}, allowed...)))), " or ")
		}
		return fmt.Errorf("a user pool in %s cannot send analytics to the Pinpoint project in %s (%s); use a project in %s", poolRegion, region, a.ApplicationArn, where)
	}
	return nil
}

// CheckCustomSenders reports an error when a custom email or SMS sender
// trigger is bound without the KMS key Cognito encrypts the codes with.
func CheckCustomSenders(bound []Slot, kmsKeyArn string) error {
	if kmsKeyArn != "" {
		return nil
	}
	var senders []string
	for _, s := range bound {
		if s == userpool.CustomEmailSender || s == userpool.CustomSMSSender {
			senders = append(senders, string(s))
		}
	}
	if len(senders) == 0 {
		return nil
	}
	return fmt.Errorf("%s needs a KMS key: Cognito encrypts the codes it gives a custom sender with LambdaConfig.KMSKeyID; set Props.CustomSenderKMSKey (or UserPoolProps.CustomSenderKmsKey)", strings.Join(senders, " and "))
}

// CheckAuthSessionValidity reports an error when an app client's
// AuthSessionValidity (minutes) is shorter than the life of a one-time
// code, or outside Cognito's 3 to 15 minutes.
func CheckAuthSessionValidity(minutes, otpTTLMinutes int) error {
	switch {
	case minutes < 3 || minutes > 15:
		return fmt.Errorf("the app client's AuthSessionValidity of %d minutes is outside Cognito's 3 to 15", minutes)
	case minutes < otpTTLMinutes:
		return fmt.Errorf("the app client's AuthSessionValidity of %d minutes is shorter than the one-time code's life (Passwordless.OTPTTL, %d minutes): each round must be answered within the session; raise it to %d or more", minutes, otpTTLMinutes, otpTTLMinutes)
	}
	return nil
}

// arnRegion returns the region of arn when it is an ARN of service with a
// literal region.
func arnRegion(arn, service string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != service || parts[3] == "" {
		return "", false
	}
	return parts[3], true
}
