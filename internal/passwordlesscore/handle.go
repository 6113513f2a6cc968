package passwordlesscore

import (
	"context"
	"log/slog"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// HandleDefine is the define auth challenge handler of the flow: it
// decides, logs the decision (never a code or token) at level Info, and
// answers. Pass it to trigger.DefineAuthChallenge.
func (f *Flow) HandleDefine(ctx context.Context, ev *trigger.DefineAuthChallengeEvent) error {
	d := f.Define(ev)
	if log := trigger.Logger(ctx); log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "define auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}

// HandleVerify is the verify auth challenge response handler of the flow,
// as HandleDefine is define's. Pass it to trigger.VerifyAuthChallenge.
func (f *Flow) HandleVerify(ctx context.Context, ev *trigger.VerifyAuthChallengeEvent) error {
	d := f.Verify(ev)
	if log := trigger.Logger(ctx); log.Enabled(ctx, slog.LevelInfo) {
		log.LogAttrs(ctx, slog.LevelInfo, "verify auth challenge", slog.Attr{Key: "decision", Value: d.LogValue()})
	}
	d.Apply(&ev.Response)
	return nil
}
