package trigger

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// Handler serves one user-pool trigger. It implements lambda.Handler: pass
// it to lambda.Start, or to a [Router] with handlers of other triggers.
// A Handler is safe for concurrent use.
type Handler struct {
	kind     Kind
	route    route
	newEvent func() event
	serve    Next
	cfg      *config

	// before is the last incoming response the handler encoded, and its
	// encoding (see encodeBefore).
	before atomic.Pointer[encodedResponse]
}

// encodedResponse is an incoming response as it came and as the adapter
// encodes it once decoded; zero reports whether it decoded to the zero
// value, as Cognito's responses of null members do.
type encodedResponse struct {
	raw     string
	encoded []byte
	zero    bool
}

// maxCachedResponse bounds the incoming response encodeBefore keeps.
const maxCachedResponse = 512

var _ lambda.Handler = (*Handler)(nil)

// route tells a router which events a handler takes: its trigger and, for
// pre token generation, the event version family.
type route struct {
	kind Kind
	v2   bool
}

func (r route) String() string {
	if r.kind == KindPreTokenGeneration {
		if r.v2 {
			return "PreTokenGeneration (version 2 or 3 events)"
		}
		return "PreTokenGeneration (version 1 events)"
	}
	return string(r.kind)
}

// responseChecker is implemented by events whose response the adapter
// checks after the handler returns.
type responseChecker interface {
	checkResponse() error
}

// bind builds the Handler for one event type.
func bind[E any, P interface {
	*E
	Event
}](k Kind, v2 bool, fn func(context.Context, P) error, opts []Option) *Handler {
	if fn == nil {
		panic("trigger: nil handler function for " + string(k))
	}
	cfg := newConfig(opts)
	call := func(ctx context.Context, ev Event) error {
		p := ev.(P)
		if err := fn(ctx, p); err != nil {
			return err
		}
		if c, ok := any(p).(responseChecker); ok {
			return c.checkResponse()
		}
		return nil
	}
	return &Handler{
		kind:     k,
		route:    route{kind: k, v2: v2},
		newEvent: func() event { return any(P(new(E))).(event) },
		serve:    chain(call, cfg.middleware),
		cfg:      cfg,
	}
}

// PreSignUp returns the Handler of a pre sign-up trigger.
func PreSignUp(fn func(context.Context, *PreSignUpEvent) error, opts ...Option) *Handler {
	return bind(KindPreSignUp, false, fn, opts)
}

// PostConfirmation returns the Handler of a post confirmation trigger.
func PostConfirmation(fn func(context.Context, *PostConfirmationEvent) error, opts ...Option) *Handler {
	return bind(KindPostConfirmation, false, fn, opts)
}

// PreAuthentication returns the Handler of a pre authentication trigger.
func PreAuthentication(fn func(context.Context, *PreAuthenticationEvent) error, opts ...Option) *Handler {
	return bind(KindPreAuthentication, false, fn, opts)
}

// PostAuthentication returns the Handler of a post authentication trigger.
func PostAuthentication(fn func(context.Context, *PostAuthenticationEvent) error, opts ...Option) *Handler {
	return bind(KindPostAuthentication, false, fn, opts)
}

// PreTokenGeneration returns the Handler of a version 1 pre token
// generation trigger.
func PreTokenGeneration(fn func(context.Context, *PreTokenGenerationEvent) error, opts ...Option) *Handler {
	return bind(KindPreTokenGeneration, false, fn, opts)
}

// PreTokenGenerationV2 returns the Handler of a version 2 or version 3 pre
// token generation trigger.
func PreTokenGenerationV2(fn func(context.Context, *PreTokenGenerationV2Event) error, opts ...Option) *Handler {
	return bind(KindPreTokenGeneration, true, fn, opts)
}

// CustomMessage returns the Handler of a custom message trigger.
func CustomMessage(fn func(context.Context, *CustomMessageEvent) error, opts ...Option) *Handler {
	return bind(KindCustomMessage, false, fn, opts)
}

// DefineAuthChallenge returns the Handler of a define auth challenge
// trigger. The handler must set exactly one outcome; see
// [DefineAuthChallengeResponse].
func DefineAuthChallenge(fn func(context.Context, *DefineAuthChallengeEvent) error, opts ...Option) *Handler {
	return bind(KindDefineAuthChallenge, false, fn, opts)
}

// CreateAuthChallenge returns the Handler of a create auth challenge
// trigger.
func CreateAuthChallenge(fn func(context.Context, *CreateAuthChallengeEvent) error, opts ...Option) *Handler {
	return bind(KindCreateAuthChallenge, false, fn, opts)
}

// VerifyAuthChallenge returns the Handler of a verify auth challenge
// response trigger.
func VerifyAuthChallenge(fn func(context.Context, *VerifyAuthChallengeEvent) error, opts ...Option) *Handler {
	return bind(KindVerifyAuthChallenge, false, fn, opts)
}

// UserMigration returns the Handler of a user migration trigger.
func UserMigration(fn func(context.Context, *UserMigrationEvent) error, opts ...Option) *Handler {
	return bind(KindUserMigration, false, fn, opts)
}

// CustomEmailSender returns the Handler of a custom email sender trigger.
func CustomEmailSender(fn func(context.Context, *CustomEmailSenderEvent) error, opts ...Option) *Handler {
	return bind(KindCustomEmailSender, false, fn, opts)
}

// CustomSMSSender returns the Handler of a custom SMS sender trigger.
func CustomSMSSender(fn func(context.Context, *CustomSMSSenderEvent) error, opts ...Option) *Handler {
	return bind(KindCustomSMSSender, false, fn, opts)
}

// InboundFederation returns the Handler of an inbound federation trigger.
func InboundFederation(fn func(context.Context, *InboundFederationEvent) error, opts ...Option) *Handler {
	return bind(KindInboundFederation, false, fn, opts)
}

// Kind returns the trigger h serves.
func (h *Handler) Kind() Kind { return h.kind }

// Invoke decodes payload, runs the handler and returns the whole event as
// JSON. On failure it returns the error the end user may see: a [Denial],
// an [InvalidEventError], or an [InternalError] whose detail went to the
// log. It never panics.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.invoke(ctx, time.Now(), payload)
}

// invoke runs an event that arrived at start.
func (h *Handler) invoke(ctx context.Context, start time.Time, payload []byte) ([]byte, error) {
	ev := h.newEvent()
	// The invocation context exists from the start, so that its metrics
	// collector records an event refused before the handler runs too.
	ictx := newInvocationContext(ctx, h, ev, time.Time{})
	req, resp := ev.parts()
	var zeroResp string
	if last := h.before.Load(); last != nil && last.zero {
		zeroResp = last.raw
	}
	lay, err := decodeEventKnown(payload, ev.EventHeader(), req, resp, zeroResp)
	if err != nil {
		return h.finish(ictx, start, nil, nil, h.invalid(err.Error()))
	}
	if err := h.accepts(ev, lay); err != nil {
		return h.finish(ictx, start, nil, nil, err)
	}
	before, err := h.encodeBefore(payload, lay, resp)
	if err != nil {
		return h.finish(ictx, start, nil, nil, h.invalid("its response cannot be encoded again"))
	}
	err = h.run(ictx, start, ev)
	var out []byte
	if err == nil {
		if out, err = encodeEvent(payload, lay, before, resp); err != nil {
			var se *shadowError
			if errors.As(err, &se) {
				err = h.invalid(se.Error())
			} else {
				err = fmt.Errorf("encode the response: %w", err)
			}
		}
	}
	return h.finish(ictx, start, ev, out, err)
}

// encodeBefore returns encodeResponse(resp) for the response resp just
// decoded from payload. Cognito sends the same response with every event of
// a trigger (its members null), and the same bytes decode to the same
// value, which encodes to the same bytes: the handler keeps the last one,
// and spares encoding it again, and decoding it when it decodes to the zero
// value of a new event's response. The encoding is only read
// (encodeEvent).
func (h *Handler) encodeBefore(payload []byte, lay layout, resp any) ([]byte, error) {
	if resp == nil || lay.respStart < 0 || lay.respEnd-lay.respStart > maxCachedResponse {
		return encodeResponse(resp)
	}
	raw := payload[lay.respStart:lay.respEnd]
	if last := h.before.Load(); last != nil && last.raw == string(raw) {
		return last.encoded, nil
	}
	enc, err := encodeResponse(resp)
	if err == nil {
		zero := reflect.ValueOf(resp).Elem().IsZero()
		h.before.Store(&encodedResponse{raw: string(raw), encoded: enc, zero: zero})
	}
	return enc, err
}

// accepts checks a decoded event for this handler.
func (h *Handler) accepts(ev Event, lay layout) error {
	hd := ev.EventHeader()
	if hd.TriggerSource == "" {
		return h.invalid("it has no triggerSource")
	}
	switch k := hd.TriggerSource.Kind(); k {
	case h.kind:
	case "":
		return h.invalid(fmt.Sprintf("unknown trigger source %q; the %s trigger sends %s", clip(string(hd.TriggerSource)), h.kind, strings.Join(sourceNames(h.kind), ", ")))
	default:
		return h.invalid(fmt.Sprintf("trigger source %q belongs to the %s trigger, not %s; bind this function to the pool's %s trigger, or serve both with trigger.Router", clip(string(hd.TriggerSource)), k, h.kind, k))
	}
	if !lay.request {
		return h.invalid("it has no request object")
	}
	if h.kind == KindPreTokenGeneration && h.route.v2 != isV2(hd.Version) {
		if h.route.v2 {
			return h.invalid(fmt.Sprintf("version %q event sent to a version 2/3 handler; set the pool's PreTokenGenerationConfig LambdaVersion to V2_0 or V3_0, or use trigger.PreTokenGeneration", clip(hd.Version)))
		}
		return h.invalid(fmt.Sprintf("version %q event sent to a version 1 handler; use trigger.PreTokenGenerationV2, or set the pool's LambdaVersion to V1_0", clip(hd.Version)))
	}
	return nil
}

// isV2 reports whether a pre token generation event of this version has the
// version 2 shape (versions 2 and 3 share it).
func isV2(version string) bool { return version == "2" || version == "3" }

func (h *Handler) invalid(reason string) error {
	return &InvalidEventError{Kind: h.kind, Reason: reason}
}

// run calls the middleware chain and the handler under the deadline
// budget. A panic anywhere in there becomes an error.
func (h *Handler) run(ictx *invocationContext, start time.Time, ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	ictx.deadline = h.cfg.budgetDeadline(ictx.Context, start, h.kind)
	defer ictx.cancel(context.Canceled)
	return h.serve(ictx, ev)
}

// finish logs the invocation, writes its metrics and returns what Lambda
// sends back.
func (h *Handler) finish(ictx *invocationContext, start time.Time, ev Event, out []byte, err error) ([]byte, error) {
	ctx := ictx.Context
	reqID := requestID(ctx)
	h.cfg.end(ctx, &ictx.metrics, string(h.kind), start, reqID, ev, err)
	if err != nil {
		return nil, publicError(err, reqID)
	}
	return out, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
