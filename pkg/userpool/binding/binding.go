// Package binding is the logic of the CloudFormation custom resource
// Custom::CognitrigUserPoolBinding, which binds Lambda triggers to a user
// pool that the stack does not own, and unbinds them when the resource is
// deleted.
//
// # Properties
//
// The resource's properties name the pool and the LambdaConfig members it
// manages, with Cognito's member names; CloudFormation passes every value as
// a string:
//
//	{"ServiceToken": "...", "UserPoolId": "us-east-1_abc",
//	 "LambdaConfig": {"PreSignUp": "arn:aws:lambda:...",
//	   "PreTokenGenerationConfig": {"LambdaArn": "...", "LambdaVersion": "V2_0"},
//	   "CustomEmailSender": {"LambdaArn": "...", "LambdaVersion": "V1_0"},
//	   "KMSKeyID": "arn:aws:kms:..."},
//	 "TakeOver": "false"}
//
// The members present are the slots the resource manages; the others are
// left as they are. LambdaVersion may be left out: it is V1_0. TakeOver,
// "true" or "false" (the default), lets the resource take over slots that
// another binding holds (see below).
//
// # Lifecycle
//
// Every write is one complete UpdateUserPool through package userpool, which
// keeps every other setting of the pool, retries concurrent modifications
// and refuses to write a pool that holds members it cannot represent.
//
//   - Create takes the managed slots: it records what each held and who
//     holds it now, then sets them. The physical ID, "cognitrig-binding:"
//     and the pool ID, stays the same across updates.
//   - Update sets the managed slots again, which repairs a binding another
//     writer of the pool removed (a CloudFormation update of the pool
//     resource, a console edit). Slots it newly manages are taken as by
//     Create; slots it no longer manages are let go of as by Delete. A new
//     UserPoolId is a new binding, with a new physical ID: CloudFormation
//     then deletes the old one, which restores the old pool.
//   - Delete lets go of each managed slot: the slot gets back what it held
//     before, but only when it still holds the function the resource set:
//     a slot someone changed since, or whose record is gone, is left alone
//     (and logged). A pool that no longer exists is nothing to restore, and
//     neither is the Delete that follows a failed Create (its physical ID
//     is the request ID that cfn.LambdaWrap reports on a failure).
//
// # Two bindings of one slot
//
// A slot is held by one binding: a resource of some stack (named by the
// stack's name and its logical ID), or `cognitrig bind`. Create, or an
// Update that manages a new slot, fails when another binding holds the
// slot, naming it, unless TakeOver is "true". The taker then records the
// earlier binding's function, so that either can be deleted first:
// deleting the taker gives the slot back to the earlier binding's function;
// deleting the earlier binding leaves the taker's function, and the taker's
// own delete then restores what the slot held before both. A binding whose
// slot was taken over leaves it alone on Update (TakeOver does not take it
// back: two resources that both set it would otherwise take the slot from
// each other at every deploy); the function it sets is recorded as the one
// to give back. One take-over per slot is recorded: a third binding is
// refused even with TakeOver.
//
// Bindings made by cognitrig releases that recorded no holder keep
// working: an Update or a Delete of the resource whose function the slot
// holds adopts, or lets go of, the record.
//
// # Where the records live
//
// Delete receives only the resource's properties, so the records are kept on
// the pool itself, as user pool tags written in the same UpdateUserPool as
// the binding; see userpool.Claims. For each slot (PreTokenGeneration for
// PreTokenGenerationConfig):
//
//	cognitrig:before:SLOT             what the slot held before its first binding
//	cognitrig:holder:SLOT             the first binding: stack/STACK/LOGICALID, or cli
//	cognitrig:takeover:before:SLOT    what it held when another took it over
//	cognitrig:takeover:holder:SLOT    the binding that took it over
//
// A value is the ARN, the ARN, a space and the version for a versioned
// slot, or "-" for an empty slot. (Cognito's tag values cannot hold "|".)
// Letting go of a slot removes its tags, so that binding and then unbinding
// leave the pool as it was. A pool has at most 50 tags: a bound slot takes
// 2, a slot taken over 4, and a change that would pass the limit fails
// naming it. If another writer replaced the pool's tags, the current value
// is recorded again at the next update.
//
// # Repair
//
// Between deploys, another writer of the pool can change or remove the
// resource's triggers. A [Repairer] restores them as soon as CloudTrail
// records the UpdateUserPool that did it: EventBridge passes the record
// (detail-type "AWS API Call via CloudTrail", detail.eventSource
// "cognito-idp.amazonaws.com", detail.eventName "UpdateUserPool") to a
// function built from infra/userpoolbinding, configured with the
// resource's properties, stack ID and logical ID ([ParseRepairEnv]). It
// writes only when a managed slot differs from the properties; it leaves a
// slot that the records say another binding took over or holds; and it
// restores a slot whose records are gone. Since a Delete removes the
// records too, it leaves alone the updates of its own binding: the
// resource's requests and the repairs call Cognito with the binding's
// application ID in their User-Agent ([AppID]), which CloudTrail records.
// The events reach EventBridge only while a CloudTrail trail with logging
// on records the management events of the pool's region (a multi-Region
// trail does), and on a best-effort basis: `cognitrig show --check` does
// not depend on them. The repair needs the permissions of the resource:
// cognito-idp:DescribeUserPool and cognito-idp:UpdateUserPool on the pool.
package binding

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// ResourceType is the CloudFormation type of the custom resource.
const ResourceType = "Custom::CognitrigUserPoolBinding"

// TagPrefix starts the key of the tag that records a managed slot's
// previous value; userpool.TagBefore and the tags next to it describe the
// records.
const TagPrefix = userpool.TagBefore

// PhysicalID returns the physical resource ID of the binding of a pool.
func PhysicalID(poolID string) string { return "cognitrig-binding:" + poolID }

// Properties are the resource's properties.
type Properties struct {
	UserPoolID string
	// Bindings are the managed slots and what they are set to, in the order
	// of userpool.Slots.
	Bindings []userpool.Binding
	// TakeOver, the property "TakeOver": "true", lets the resource take
	// over slots that another binding holds.
	TakeOver bool
}

// ParseProperties reads the ResourceProperties (or OldResourceProperties)
// of a request.
func ParseProperties(m map[string]any) (Properties, error) {
	var p Properties
	id, ok := m["UserPoolId"].(string)
	if !ok || id == "" {
		return p, errors.New("the UserPoolId property is missing: give the ID of the user pool to bind, such as us-east-1_abc123")
	}
	p.UserPoolID = id
	switch v, given := m["TakeOver"]; {
	case !given, v == "false":
	case v == "true":
		p.TakeOver = true
	default:
		return p, fmt.Errorf(`the TakeOver property is %#v: give "true" to take over slots that another binding holds, or "false" (the default)`, v)
	}
	raw, ok := m["LambdaConfig"]
	if !ok {
		return p, errors.New("the LambdaConfig property is missing: give the members to manage, such as {\"PreSignUp\": \"arn:aws:lambda:...\"}")
	}
	lc, ok := raw.(map[string]any)
	if !ok {
		return p, fmt.Errorf("the LambdaConfig property is a %T, want an object of LambdaConfig members", raw)
	}
	var errs []error
	for name, v := range lc {
		b, err := parseMember(name, v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Bindings = append(p.Bindings, b)
	}
	if err := errors.Join(errs...); err != nil {
		return p, err
	}
	slices.SortFunc(p.Bindings, func(a, b userpool.Binding) int {
		return slices.Index(userpool.Slots(), a.Slot) - slices.Index(userpool.Slots(), b.Slot)
	})
	if err := userpool.Validate(p.Bindings, nil); err != nil {
		return p, fmt.Errorf("LambdaConfig: %w", err)
	}
	return p, nil
}

func parseMember(name string, v any) (userpool.Binding, error) {
	slot, err := userpool.ParseSlot(name)
	if err != nil || memberName(slot) != name {
		return userpool.Binding{}, fmt.Errorf("LambdaConfig member %q is not one this resource manages: use %s (with Cognito's spelling; PreTokenGenerationConfig for pre token generation)",
			name, memberList())
	}
	if slot.Versions() == nil {
		arn, ok := v.(string)
		if !ok || arn == "" {
			return userpool.Binding{}, fmt.Errorf("LambdaConfig.%s must be an ARN string, got %v: remove the member to stop managing the slot", name, v)
		}
		return userpool.Binding{Slot: slot, ARN: arn}, nil
	}
	obj, ok := v.(map[string]any)
	arn, _ := obj["LambdaArn"].(string)
	if !ok || arn == "" {
		return userpool.Binding{}, fmt.Errorf("LambdaConfig.%s must be an object {\"LambdaArn\": ARN, \"LambdaVersion\": \"V1_0\"}, got %v", name, v)
	}
	version, ok := obj["LambdaVersion"].(string)
	if _, given := obj["LambdaVersion"]; given && !ok {
		return userpool.Binding{}, fmt.Errorf("LambdaConfig.%s.LambdaVersion must be a string such as \"V1_0\", got %v", name, obj["LambdaVersion"])
	}
	for k := range obj {
		if k != "LambdaArn" && k != "LambdaVersion" {
			return userpool.Binding{}, fmt.Errorf("LambdaConfig.%s has an unknown member %q: only LambdaArn and LambdaVersion", name, k)
		}
	}
	return userpool.Binding{Slot: slot, ARN: arn, Version: version}, nil
}

// memberName is the name of slot s in the properties.
func memberName(s userpool.Slot) string {
	if s == userpool.PreTokenGeneration {
		return "PreTokenGenerationConfig"
	}
	return string(s)
}

func memberList() string {
	var names []string
	for _, s := range userpool.Slots() {
		names = append(names, memberName(s))
	}
	return strings.Join(names, ", ")
}

// Handler handles the resource's requests.
type Handler struct {
	// API is the Cognito client.
	API userpool.API
	// Region is the client's region, named in error messages.
	Region string
	// Logger receives what the handler leaves alone and why; nil is
	// slog.Default().
	Logger *slog.Logger
	// Options are passed to userpool.Modify (retries).
	Options []userpool.Option
	// Reserve is the time before the Lambda deadline at which the handler
	// gives up, so that the failure still reaches CloudFormation (which
	// otherwise waits for an hour). Default 5 seconds.
	Reserve time.Duration
}

// Handle handles one request; pass it to cfn.LambdaWrap. It returns the
// physical resource ID, and the pool's ARN as the attribute UserPoolArn.
// On a failure it returns an empty ID (the wrapper then reports the
// request's) and an error written for the person reading the stack's
// events.
func (h *Handler) Handle(ctx context.Context, e cfn.Event) (string, map[string]any, error) {
	if dl, ok := ctx.Deadline(); ok {
		reserve := h.Reserve
		if reserve <= 0 {
			reserve = 5 * time.Second
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-reserve))
		defer cancel()
	}
	props, err := ParseProperties(e.ResourceProperties)
	holder, herr := userpool.StackHolder(e.StackID, e.LogicalResourceID)
	if e.RequestType == cfn.RequestDelete {
		if err != nil {
			// Nothing this resource could have written: a Create with
			// these properties failed before writing.
			h.logger().WarnContext(ctx, "delete with invalid properties: nothing to restore", "error", err)
			return e.PhysicalResourceID, nil, nil
		}
		if e.PhysicalResourceID != PhysicalID(props.UserPoolID) {
			// The Create failed (the wrapper then reports the request ID):
			// nothing was written.
			return e.PhysicalResourceID, nil, nil
		}
		if herr != nil {
			return e.PhysicalResourceID, nil, herr
		}
		return e.PhysicalResourceID, nil, h.delete(ctx, holder, props)
	}
	if err != nil {
		return "", nil, fmt.Errorf("invalid properties of %s: %w", ResourceType, err)
	}
	if herr != nil {
		return "", nil, herr
	}
	c := userpool.Claims{Holder: holder, Set: props.Bindings, TakeOver: props.TakeOver}
	switch e.RequestType {
	case cfn.RequestCreate:
	case cfn.RequestUpdate:
		// What the resource binds, before and after the update, is its
		// own: a record of an earlier release is adopted on a slot that
		// holds either.
		c.Bound = props.Bindings
		if old, err := ParseProperties(e.OldResourceProperties); err == nil && old.UserPoolID == props.UserPoolID {
			c.Bound = append(slices.Clip(c.Bound), old.Bindings...)
			for _, b := range old.Bindings {
				if !slices.ContainsFunc(props.Bindings, func(n userpool.Binding) bool { return n.Slot == b.Slot }) {
					c.Release = append(c.Release, b.Slot)
				}
			}
		}
	default:
		return "", nil, fmt.Errorf("unknown request type %q", e.RequestType)
	}
	ch, err := userpool.Hold(ctx, withAppID(h.API, AppID(holder)), props.UserPoolID, c, h.Options...)
	if err != nil {
		return "", nil, h.explain(props.UserPoolID, err)
	}
	h.logNotes(ctx, props.UserPoolID, ch.Notes)
	h.logger().InfoContext(ctx, "bound", "user_pool_id", props.UserPoolID, "written", ch.Written,
		"diff", userpool.Diff(ch.Before, ch.After))
	return PhysicalID(props.UserPoolID), map[string]any{"UserPoolArn": ch.PoolARN}, nil
}

// delete lets go of the managed slots of props.
func (h *Handler) delete(ctx context.Context, holder userpool.Holder, props Properties) error {
	var slots []userpool.Slot
	for _, b := range props.Bindings {
		slots = append(slots, b.Slot)
	}
	ch, err := userpool.Hold(ctx, withAppID(h.API, AppID(holder)), props.UserPoolID, userpool.Claims{Holder: holder, Release: slots, Bound: props.Bindings}, h.Options...)
	if errors.Is(err, userpool.ErrPoolNotFound) {
		h.logger().WarnContext(ctx, "the user pool no longer exists: nothing to restore", "user_pool_id", props.UserPoolID)
		return nil
	}
	if err != nil {
		return h.explain(props.UserPoolID, err)
	}
	h.logNotes(ctx, props.UserPoolID, ch.Notes)
	return nil
}

// logNotes logs what a change left as it is or took over.
func (h *Handler) logNotes(ctx context.Context, poolID string, notes []userpool.Note) {
	for _, n := range notes {
		h.logger().WarnContext(ctx, n.Text, "user_pool_id", poolID, "slot", n.Slot)
	}
}

// explain rewrites the errors a person reading the stack's events needs
// told what to do.
func (h *Handler) explain(poolID string, err error) error {
	if errors.Is(err, userpool.ErrPoolNotFound) {
		return fmt.Errorf("user pool %s not found in region %s: check UserPoolId and the stack's region", poolID, h.Region)
	}
	return err
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}
