package awsnotify

import (
	"context"
	"errors"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/pkg/notify"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// sesRejections are the SES v2 error codes that refuse a message for good.
var sesRejections = map[string]bool{
	"MessageRejected":                    true, // unverified address (sandbox), content refused
	"MailFromDomainNotVerifiedException": true,
	"AccountSuspendedException":          true,
	"SendingPausedException":             true,
}

// snsRejections are the SNS error codes that refuse a message for good.
var snsRejections = map[string]bool{
	"InvalidParameter":      true, // a malformed phone number, among others
	"ParameterValueInvalid": true,
	"OptedOut":              true,
	"AuthorizationError":    true, // SMS sandbox: destination not verified; or no permission
	"VerificationException": true,
	"EndpointDisabled":      true,
}

// classify turns the error of a send into a *notify.Rejected or a
// *notify.Error, and logs a rejection's detail.
func classify(ctx context.Context, err error, ch notify.Channel, service, op, maskedTo string, r *budgetRetryer) error {
	var reqID string
	var re *awshttp.ResponseError
	status := 0
	if errors.As(err, &re) {
		reqID = re.ServiceRequestID()
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		rejections := sesRejections
		if service == "sns" {
			rejections = snsRejections
		}
		if rejections[api.ErrorCode()] {
			rej := &notify.Rejected{Channel: ch, Service: service, Code: api.ErrorCode(), RequestID: reqID, To: maskedTo}
			trigger.Logger(ctx).LogAttrs(ctx, slog.LevelWarn, "message rejected", slog.Any("delivery", rej))
			return rej
		}
	}
	e := &notify.Error{
		Channel:   ch,
		Op:        service + " " + op,
		To:        maskedTo,
		Status:    status,
		RequestID: reqID,
		Attempts:  int(r.attempts.Load()),
		Budget:    r.budget.Load(),
	}
	if api != nil {
		e.Code = api.ErrorCode()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.Err = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		e.Err = context.Canceled
	case api == nil:
		// A transport error: its text names the endpoint, not the message.
		var me *retry.MaxAttemptsError
		if errors.As(err, &me) {
			err = me.Err
		}
		var oe *smithy.OperationError
		if errors.As(err, &oe) {
			err = oe.Err
		}
		e.Err = err
	}
	return e
}
