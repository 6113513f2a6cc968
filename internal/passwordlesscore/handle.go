package passwordlesscore

import (
	"context"
	"log/slog"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// HandleDefine is the define auth challenge handler of the flow: it
// decides, logs the decision (never a code or token) at level Info, and
// answers. A sign-in of a user who exists that fails because its wrong
// answers used up FlowConfig.MaxAttempts counts metrics.AnswersExhausted.
// Pass it to trigger.DefineAuthChallenge.
func (f *Flow) HandleDefine(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
	d := f.Define(ev)
	if d.Reason == ReasonTooManyAttempts && !ev.Request.UserNotFound {
		metrics.Count(ctx, metrics.AnswersExhausted)
	}
	if log := trigger.Logger(ctx); log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "define auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}

// HandleVerify is the verify auth challenge response handler of the flow,
// as HandleDefine is define's. It counts the verdict on a real round's
// answer: metrics.AnswersRight, AnswersWrong or AnswersExpired; an answer
// to a decoy round, a resend request and an unreadable round state count
// none. Pass it to trigger.VerifyAuthChallenge.
func (f *Flow) HandleVerify(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
	d := f.Verify(ev)
	if name := answerMetric(d.Reason); name != "" {
		metrics.Count(ctx, name)
	}
	if log := trigger.Logger(ctx); log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "verify auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}

// answerMetric names the metric that counts a verdict of reason r, or ""
// for a verdict that is no answer to a real round.
func answerMetric(r Reason) string {
	switch r {
	case ReasonCorrect:
		return metrics.AnswersRight
	case ReasonWrongAnswer:
		return metrics.AnswersWrong
	case ReasonExpired:
		return metrics.AnswersExpired
	}
	return ""
}
