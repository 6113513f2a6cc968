package authfront

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// adminCreateUser runs the pool's pre sign-up function for AdminCreateUser
// (PreSignUp_AdminCreateUser), as Cognito does and cognito-local does not.
// Its error stops the call; its response is ignored, as Cognito ignores
// it.
func (f *Front) adminCreateUser(ctx context.Context, in *request, body []byte) error {
	h, err := f.cfg.Function(ctx, in.UserPoolID, trigger.KindPreSignUp)
	if err != nil || h == nil || in.UserPoolID == "" {
		return err
	}
	var u struct {
		Username       string
		UserAttributes []struct{ Name, Value string }
		ValidationData []struct{ Name, Value string }
	}
	if err := json.Unmarshal(body, &u); err != nil {
		return nil // cognito-local answers what is wrong
	}
	ev := trigger.PreSignUpEvent{
		Header:  f.header(trigger.SourcePreSignUpAdminCreateUser, in.UserPoolID, u.Username, in.sdk, "CLIENT_ID_NOT_APPLICABLE"),
		Request: trigger.PreSignUpRequest{UserAttributes: trigger.Attributes{}, ClientMetadata: in.ClientMetadata},
		// As in events/presignup/PreSignUp_AdminCreateUser.json.
		Response: trigger.PreSignUpResponse{AutoConfirmUser: trigger.Bool(false), AutoVerifyEmail: trigger.Bool(false), AutoVerifyPhone: trigger.Bool(false)},
	}
	for _, a := range u.UserAttributes {
		ev.Request.UserAttributes[a.Name] = a.Value
	}
	if len(u.ValidationData) > 0 {
		ev.Request.ValidationData = map[string]string{}
		for _, a := range u.ValidationData {
			ev.Request.ValidationData[a.Name] = a.Value
		}
	}
	var out trigger.PreSignUpEvent
	return f.invoke(ctx, h, trigger.KindPreSignUp, &ev, &out)
}

// header returns the header of an event the front sends.
func (f *Front) header(source trigger.Source, pool, username, sdk, clientID string) trigger.Header {
	region, _, _ := strings.Cut(pool, "_")
	return trigger.Header{
		Version: "1", TriggerSource: source, Region: region, UserPoolID: pool, UserName: username,
		CallerContext: trigger.CallerContext{AWSSDKVersion: sdk, ClientID: clientID},
	}
}

// invoke sends ev to the function h of trigger k and decodes its output
// into out, failing as Cognito fails: UserLambdaValidationException for
// the function's error, InvalidLambdaResponseException for an output that
// is not the event.
func (f *Front) invoke(ctx context.Context, h lambda.Handler, k trigger.Kind, ev, out trigger.Event) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	b, err := h.Invoke(ctx, payload)
	if err != nil {
		return &Error{"UserLambdaValidationException", string(k) + " failed with error " + err.Error() + "."}
	}
	if err := trigger.Unmarshal(b, out); err != nil {
		return &Error{"InvalidLambdaResponseException", "Unrecognizable lambda output"}
	}
	return nil
}
