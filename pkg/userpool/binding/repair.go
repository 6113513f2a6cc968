package binding

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// The environment of the repair function: the binding resource it
// repairs. See ParseRepairEnv.
const (
	// EnvRepairProperties holds the resource's properties without
	// ServiceToken, as JSON in the shape ParseProperties reads:
	// {"UserPoolId": "...", "LambdaConfig": {...}, "TakeOver": "false"}.
	EnvRepairProperties = "REPAIR_PROPERTIES"
	// EnvRepairStackID holds the ID (ARN) of the resource's stack, as a
	// request's StackId gives it.
	EnvRepairStackID = "REPAIR_STACK_ID"
	// EnvRepairLogicalID holds the resource's logical ID, as a request's
	// LogicalResourceId gives it.
	EnvRepairLogicalID = "REPAIR_LOGICAL_ID"
)

// The EventBridge event a repair function handles: CloudTrail's record of
// a call of UpdateUserPool. CloudTrail must record the region's management
// events for EventBridge to receive it.
const (
	DetailTypeCloudTrail = "AWS API Call via CloudTrail"
	EventSourceCognito   = "cognito-idp.amazonaws.com"
	EventNameUpdatePool  = "UpdateUserPool"
)

// ErrRepairNotConfigured is returned by ParseRepairEnv when none of the
// repair variables is set: the function serves the custom resource only.
var ErrRepairNotConfigured = errors.New("repair is not configured: set " + EnvRepairProperties + ", " +
	EnvRepairStackID + " and " + EnvRepairLogicalID + " to the binding resource's properties, stack ID and logical ID")

// RepairTarget is the binding resource a repair function restores.
type RepairTarget struct {
	Properties Properties
	// Holder is the resource's holder, the one its requests record (see
	// userpool.StackHolder).
	Holder userpool.Holder
}

// ParseRepairEnv reads the repair target from the variables EnvRepair*
// through getenv (os.Getenv in a main). It returns ErrRepairNotConfigured
// when none is set, and an error naming the variable when one is missing or
// invalid.
func ParseRepairEnv(getenv func(string) string) (RepairTarget, error) {
	var t RepairTarget
	raw, stackID, logicalID := getenv(EnvRepairProperties), getenv(EnvRepairStackID), getenv(EnvRepairLogicalID)
	if raw == "" && stackID == "" && logicalID == "" {
		return t, ErrRepairNotConfigured
	}
	for _, v := range []struct{ name, value string }{
		{EnvRepairProperties, raw}, {EnvRepairStackID, stackID}, {EnvRepairLogicalID, logicalID},
	} {
		if v.value == "" {
			return t, fmt.Errorf("%s is not set: the repair function needs %s, %s and %s together", v.name, EnvRepairProperties, EnvRepairStackID, EnvRepairLogicalID)
		}
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return t, fmt.Errorf("%s is not a JSON object of the binding resource's properties: %w", EnvRepairProperties, err)
	}
	p, err := ParseProperties(m)
	if err != nil {
		return t, fmt.Errorf("%s: %w", EnvRepairProperties, err)
	}
	h, err := userpool.StackHolder(stackID, logicalID)
	if err != nil {
		return t, fmt.Errorf("%s or %s: %w", EnvRepairStackID, EnvRepairLogicalID, err)
	}
	return RepairTarget{Properties: p, Holder: h}, nil
}

// Repairer restores the managed slots of one binding resource when another
// writer of the pool changed them: a console edit, the AWS CLI, another
// tool's UpdateUserPool. It handles CloudTrail's record of UpdateUserPool,
// as EventBridge delivers it.
//
// An update that the binding made itself is left alone: its resource's
// Create, Update and Delete and its repairs call Cognito with the binding's
// application ID in their User-Agent (AppID), which CloudTrail records.
// Else the repair would undo a Delete, which removes the slots' records
// with the triggers, and fight the Update of a deploy that changes them.
//
// On any other event for its pool it reads the pool and compares each managed
// slot with the resource's properties. When all hold what the resource
// set, it writes nothing, so that its own UpdateUserPool, which CloudTrail
// records too, ends there. Otherwise it sets them again as the resource's
// Update would, with one complete UpdateUserPool (userpool.Modify) that
// keeps everything else, and records itself as their holder again. It never
// fights a deliberate change the records show: a slot that another binding
// took over from the resource, or that the records say another binding
// holds, is left alone and logged. A slot whose records are gone (a writer
// that replaced the pool's tags wiped them) is restored and recorded again,
// with what it held when restored as the value to give back. The property
// TakeOver plays no part: a repair takes nothing over.
type Repairer struct {
	API    userpool.API
	Target RepairTarget
	// Logger receives what the repairer restored and left alone, and why;
	// nil is slog.Default().
	Logger *slog.Logger
	// Options are passed to userpool.Modify (retries).
	Options []userpool.Option
}

// cloudTrailCall is the part of a CloudTrail record that a repair reads.
type cloudTrailCall struct {
	EventSource       string `json:"eventSource"`
	EventName         string `json:"eventName"`
	UserAgent         string `json:"userAgent"`
	RequestParameters struct {
		UserPoolID string `json:"userPoolId"`
	} `json:"requestParameters"`
}

// madeBy reports whether the call was made by the binding of holder h:
// its User-Agent carries h's application ID (see AppID).
func (c cloudTrailCall) madeBy(h userpool.Holder) bool {
	return slices.Contains(strings.Fields(c.UserAgent), "app/"+AppID(h))
}

// Restored is one slot a repair set again.
type Restored struct {
	Slot userpool.Slot
	// Found is what the slot held; Set what the repair set.
	Found, Set userpool.Binding
}

// Handle handles one EventBridge event. It fails when the event is not
// CloudTrail's record of UpdateUserPool, and when reading or writing the
// pool fails, so that Lambda tries the event again. An event for another
// pool, or for a pool that no longer exists, is nothing to repair.
func (r *Repairer) Handle(ctx context.Context, e events.EventBridgeEvent) error {
	_, err := r.Repair(ctx, e)
	return err
}

// Repair is Handle, which also returns the slots it restored.
func (r *Repairer) Repair(ctx context.Context, e events.EventBridgeEvent) ([]Restored, error) {
	var call cloudTrailCall
	if e.DetailType != DetailTypeCloudTrail || json.Unmarshal(e.Detail, &call) != nil ||
		call.EventSource != EventSourceCognito || call.EventName != EventNameUpdatePool {
		return nil, fmt.Errorf("unexpected event (detail-type %q, source %q, detail.eventSource %q, detail.eventName %q): "+
			"the repair function handles CloudTrail's record of UpdateUserPool (detail-type %q, detail.eventSource %q, detail.eventName %q); "+
			"fix the EventBridge rule's pattern",
			e.DetailType, e.Source, call.EventSource, call.EventName, DetailTypeCloudTrail, EventSourceCognito, EventNameUpdatePool)
	}
	poolID := r.Target.Properties.UserPoolID
	switch {
	case call.RequestParameters.UserPoolID != poolID:
		r.logger().DebugContext(ctx, "an update of another user pool: nothing to repair",
			"user_pool_id", call.RequestParameters.UserPoolID, "managed_user_pool_id", poolID)
		return nil, nil
	case call.madeBy(r.Target.Holder):
		r.logger().DebugContext(ctx, "an update by this binding (its Create, Update or Delete, or a repair): nothing to repair",
			"user_pool_id", poolID, "user_agent", call.UserAgent)
		return nil, nil
	}
	var (
		restored []Restored
		left     []userpool.Note
	)
	ch, err := userpool.Modify(ctx, withAppID(r.API, AppID(r.Target.Holder)), poolID, func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		// Modify calls the edit again on a fresh pool after a concurrent
		// modification: nothing carries over.
		restored, left = nil, nil
		tags := in.UserPoolTags
		if tags == nil {
			tags = map[string]string{}
		}
		var set []userpool.Binding
		for _, d := range userpool.FindDrift(*in.LambdaConfig, tags, r.Target.Properties.Bindings) {
			if !d.Recorded() {
				continue // another binding's slot
			}
			if why := r.leave(d); why != "" {
				left = append(left, userpool.Note{Slot: d.Slot, Text: why})
				continue
			}
			restored = append(restored, Restored{Slot: d.Slot, Found: d.Found, Set: d.Want})
			set = append(set, d.Want)
		}
		if len(set) == 0 {
			return nil
		}
		notes, err := userpool.Claims{Holder: r.Target.Holder, Set: set, Bound: r.Target.Properties.Bindings}.ApplyTo(poolID, in.LambdaConfig, tags)
		if err != nil {
			return err
		}
		left = append(left, notes...)
		in.UserPoolTags = tags
		return nil
	}, r.Options...)
	if errors.Is(err, userpool.ErrPoolNotFound) {
		r.logger().WarnContext(ctx, "the user pool no longer exists: nothing to repair", "user_pool_id", poolID)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("repair the triggers of user pool %s for %s: %w", poolID, r.Target.Holder, err)
	}
	for _, n := range left {
		r.logger().WarnContext(ctx, n.Text, "user_pool_id", poolID, "slot", n.Slot)
	}
	if !ch.Written {
		if len(left) == 0 {
			r.logger().InfoContext(ctx, "in place: nothing to repair", "user_pool_id", poolID, "holder", string(r.Target.Holder))
		}
		return nil, nil
	}
	for _, x := range restored {
		r.logger().InfoContext(ctx, "restored", "user_pool_id", poolID, "holder", string(r.Target.Holder), "slot", x.Slot,
			"found", bindingText(x.Found), "set", bindingText(x.Set))
	}
	return restored, nil
}

// AppID returns the application ID with which the binding of holder h
// calls Cognito: "cognitrig-binding-" and a hash of h. The AWS SDK sends
// it in the User-Agent as app/ID, and CloudTrail records it (userAgent), so
// that a repair knows the updates its own binding made.
func AppID(h userpool.Holder) string {
	sum := sha256.Sum256([]byte(h))
	return "cognitrig-binding-" + hex.EncodeToString(sum[:6])
}

// withAppID returns api, which makes each call with the application ID
// appID (aws.Config.AppID) in its User-Agent.
func withAppID(api userpool.API, appID string) userpool.API { return appAPI{api, appID} }

// appAPI is withAppID's API.
type appAPI struct {
	userpool.API
	appID string
}

func (a appAPI) DescribeUserPool(ctx context.Context, in *cip.DescribeUserPoolInput, opts ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	return a.API.DescribeUserPool(ctx, in, append(slices.Clip(opts), a.setAppID)...)
}

func (a appAPI) UpdateUserPool(ctx context.Context, in *cip.UpdateUserPoolInput, opts ...func(*cip.Options)) (*cip.UpdateUserPoolOutput, error) {
	return a.API.UpdateUserPool(ctx, in, append(slices.Clip(opts), a.setAppID)...)
}

func (a appAPI) setAppID(o *cip.Options) { o.AppID = a.appID }

// leave returns why the repair leaves the drifted slot d as it is, or ""
// to restore it.
func (r *Repairer) leave(d userpool.Drift) string {
	hs := d.Holders
	top := len(hs) - 1
	switch i := slices.Index(hs, r.Target.Holder); {
	case len(hs) == 0, i == top:
		return ""
	case i >= 0:
		return fmt.Sprintf("not restored: %s took the slot over from this binding (it holds %s)", hs[top], valueOr(d.Found))
	case hs[top] == "":
		return fmt.Sprintf("not restored: the slot's record was written by an earlier cognitrig release, which named no holder, and the slot holds %s: "+
			"this binding cannot tell the record is its own (deploy the stack to adopt it, or set TakeOver)", valueOr(d.Found))
	}
	return fmt.Sprintf("not restored: the records say %s holds the slot, not this binding (it holds %s)", hs[top], valueOr(d.Found))
}

// bindingText is a binding's value in logs: the ARN, the ARN and the
// version, or "" for an empty slot.
func bindingText(b userpool.Binding) string {
	return strings.TrimSpace(b.ARN + " " + b.Version)
}

// valueOr is what a slot holds, for people.
func valueOr(b userpool.Binding) string {
	if b.ARN == "" {
		return "nothing"
	}
	return bindingText(b)
}

func (r *Repairer) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}
