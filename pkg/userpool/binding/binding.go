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
//	   "KMSKeyID": "arn:aws:kms:..."}}
//
// The members present are the slots the resource manages; the others are
// left as they are. LambdaVersion may be left out: it is V1_0.
//
// # Lifecycle
//
// Every write is one complete UpdateUserPool through package userpool, which
// keeps every other setting of the pool, retries concurrent modifications
// and refuses to write a pool whose LambdaConfig holds members it cannot
// represent.
//
//   - Create records what each managed slot held, then sets the managed
//     slots. The physical ID, "cognitrig-binding:" and the pool ID, stays the
//     same across updates.
//   - Update sets the managed slots again, which repairs a binding another
//     writer of the pool removed (a CloudFormation update of the pool
//     resource, a console edit). Slots it newly manages get their previous
//     value recorded; slots it no longer manages are restored. A new
//     UserPoolId is a new binding, with a new physical ID: CloudFormation
//     then deletes the old one, which restores the old pool.
//   - Delete restores each managed slot to what it held before, but only
//     when it still holds the function the resource set: a slot someone
//     changed since, or whose record is gone, is left alone (and logged).
//     A pool that no longer exists is nothing to restore, and neither is
//     the Delete that follows a failed Create (its physical ID is the
//     request ID that cfn.LambdaWrap reports on a failure).
//
// # Where the previous values live
//
// Delete receives only the resource's properties, so the previous value of
// each managed slot is kept on the pool itself, as a user pool tag written in
// the same UpdateUserPool as the binding: key "cognitrig:before:" and the
// slot (PreTokenGeneration for PreTokenGenerationConfig), value the previous
// ARN, the ARN, a space and the version for a versioned slot, or "-" for an
// empty slot. (Cognito's tag values cannot hold "|".) Restoring a slot
// removes its tag, so that binding and then unbinding leave the pool as it
// was. An existing tag is never overwritten: the value recorded first is the
// one restored. If another writer replaced the pool's tags, the current
// value is recorded again at the next update.
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
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// ResourceType is the CloudFormation type of the custom resource.
const ResourceType = "Custom::CognitrigUserPoolBinding"

// TagPrefix starts the key of the tag that records a managed slot's
// previous value.
const TagPrefix = "cognitrig:before:"

// none is the recorded value of an empty slot.
const none = "-"

// PhysicalID returns the physical resource ID of the binding of a pool.
func PhysicalID(poolID string) string { return "cognitrig-binding:" + poolID }

// Properties are the resource's properties.
type Properties struct {
	UserPoolID string
	// Bindings are the managed slots and what they are set to, in the order
	// of userpool.Slots.
	Bindings []userpool.Binding
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
		return e.PhysicalResourceID, nil, h.delete(ctx, props)
	}
	if err != nil {
		return "", nil, fmt.Errorf("invalid properties of %s: %w", ResourceType, err)
	}
	var old *Properties
	if e.RequestType == cfn.RequestUpdate {
		o, err := ParseProperties(e.OldResourceProperties)
		if err == nil && o.UserPoolID == props.UserPoolID {
			old = &o
		}
	} else if e.RequestType != cfn.RequestCreate {
		return "", nil, fmt.Errorf("unknown request type %q", e.RequestType)
	}
	ch, err := userpool.Modify(ctx, h.API, props.UserPoolID, h.bindEdit(ctx, props, old), h.Options...)
	if err != nil {
		return "", nil, h.explain(props.UserPoolID, err)
	}
	h.logger().InfoContext(ctx, "bound", "user_pool_id", props.UserPoolID, "written", ch.Written,
		"diff", userpool.Diff(ch.Before, ch.After))
	return PhysicalID(props.UserPoolID), map[string]any{"UserPoolArn": ch.PoolARN}, nil
}

// bindEdit records the previous values of the managed slots, restores the
// slots old managed that props does not, and sets the managed slots.
func (h *Handler) bindEdit(ctx context.Context, props Properties, old *Properties) userpool.Edit {
	return func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		if in.UserPoolTags == nil {
			in.UserPoolTags = map[string]string{}
		}
		var dropped []userpool.Binding
		if old != nil {
			for _, b := range old.Bindings {
				if !slices.ContainsFunc(props.Bindings, func(n userpool.Binding) bool { return n.Slot == b.Slot }) {
					dropped = append(dropped, b)
				}
			}
		}
		set, clear, err := h.restorations(ctx, in, props.UserPoolID, dropped)
		if err != nil {
			return err
		}
		for _, b := range props.Bindings {
			key := TagPrefix + string(b.Slot)
			if _, ok := in.UserPoolTags[key]; !ok {
				in.UserPoolTags[key] = encode(userpool.Get(*in.LambdaConfig, b.Slot))
			}
		}
		_, err = userpool.Apply(in.LambdaConfig, append(set, props.Bindings...), clear)
		return err
	}
}

// delete restores the managed slots of props.
func (h *Handler) delete(ctx context.Context, props Properties) error {
	_, err := userpool.Modify(ctx, h.API, props.UserPoolID, func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		set, clear, err := h.restorations(ctx, in, props.UserPoolID, props.Bindings)
		if err != nil {
			return err
		}
		_, err = userpool.Apply(in.LambdaConfig, set, clear)
		return err
	}, h.Options...)
	if errors.Is(err, userpool.ErrPoolNotFound) {
		h.logger().WarnContext(ctx, "the user pool no longer exists: nothing to restore", "user_pool_id", props.UserPoolID)
		return nil
	}
	if err != nil {
		return h.explain(props.UserPoolID, err)
	}
	return nil
}

// restorations returns what puts back the recorded values of the slots of
// bs that still hold what bs set, and removes the records of all of them
// from in's tags. A slot that holds something else, or whose record is
// gone, is left as it is and logged.
func (h *Handler) restorations(ctx context.Context, in *cip.UpdateUserPoolInput, poolID string, bs []userpool.Binding) (set []userpool.Binding, clear []userpool.Slot, err error) {
	for _, b := range bs {
		key := TagPrefix + string(b.Slot)
		recorded, ok := in.UserPoolTags[key]
		delete(in.UserPoolTags, key)
		arn, version := userpool.Get(*in.LambdaConfig, b.Slot)
		switch {
		case arn != b.ARN || version != normalVersion(b):
			h.logger().WarnContext(ctx, "slot changed by another writer since it was bound: left as it is",
				"user_pool_id", poolID, "slot", b.Slot, "holds", arn, "bound", b.ARN)
			continue
		case !ok:
			h.logger().WarnContext(ctx, "no record of the slot's previous value (tag "+key+" is gone): left as it is",
				"user_pool_id", poolID, "slot", b.Slot, "holds", arn)
			continue
		}
		prev, err := decode(b.Slot, recorded)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot restore %s of user pool %s: tag %s holds %q: %w; fix or remove the tag and try again",
				b.Slot, poolID, key, recorded, err)
		}
		if prev.ARN == "" {
			clear = append(clear, b.Slot)
		} else {
			set = append(set, prev)
		}
	}
	return set, clear, nil
}

// normalVersion is b's version as Get reads it back.
func normalVersion(b userpool.Binding) string {
	if b.Version == "" && b.Slot.Versions() != nil {
		return userpool.V1_0
	}
	return b.Version
}

// encode is the tag value recording a slot's value.
func encode(arn, version string) string {
	switch {
	case arn == "":
		return none
	case version == "":
		return arn
	}
	return arn + " " + version
}

// decode reads a tag value written by encode.
func decode(s userpool.Slot, v string) (userpool.Binding, error) {
	if v == none {
		return userpool.Binding{Slot: s}, nil
	}
	arn, version, _ := strings.Cut(v, " ")
	b := userpool.Binding{Slot: s, ARN: arn, Version: version}
	return b, b.Check()
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
