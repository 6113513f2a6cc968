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

// Service is what [Call.Classify] needs to know of the service a sender
// calls.
type Service struct {
	// Name is the service's short name, in the log and in
	// notify.Rejected.Service and notify.Error.Op: "ses", "sns".
	Name string
	// Channel is the channel the service sends on.
	Channel notify.Channel
	// Rejections are the service's error codes that refuse a message for
	// good; any other error is a *notify.Error. Classify only reads it.
	Rejections map[string]bool
}

// Classify turns err, the error of call c of operation op (such as
// "SendEmail") on svc for the destination maskedTo (masked with
// trigger.MaskEmail or trigger.MaskPhone), into a *notify.Rejected when
// svc refuses the message for good, and a *notify.Error otherwise. It
// logs a rejection's detail at warn level through trigger.Logger. Neither
// holds the service's free-text error message, which may repeat the
// destination.
func (c *Call) Classify(ctx context.Context, err error, svc Service, op, maskedTo string) error {
	var reqID string
	var re *awshttp.ResponseError
	status := 0
	if errors.As(err, &re) {
		reqID = re.ServiceRequestID()
		status = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		if svc.Rejections[api.ErrorCode()] {
			rej := &notify.Rejected{Channel: svc.Channel, Service: svc.Name, Code: api.ErrorCode(), RequestID: reqID, To: maskedTo}
			trigger.Logger(ctx).LogAttrs(ctx, slog.LevelWarn, "message rejected", slog.Any("delivery", rej))
			return rej
		}
	}
	e := &notify.Error{
		Channel:   svc.Channel,
		Op:        svc.Name + " " + op,
		To:        maskedTo,
		Status:    status,
		RequestID: reqID,
		Attempts:  int(c.attempts.Load()),
		Budget:    c.budget.Load(),
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
