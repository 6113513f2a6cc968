package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// The tags that record who holds a slot and what to give it back, each
// followed by the slot's name (PreTokenGeneration for both of its
// members). The first two are the first binding's; the last two those of
// the binding that took the slot over from it, if any.
const (
	// TagBefore records what the slot held before its first binding: the
	// ARN, the ARN, a space and the version for a versioned slot, or "-"
	// for an empty slot.
	TagBefore = "cognitrig:before:"
	// TagHolder names the slot's first binding (see Holder). Bindings of
	// cognitrig releases before holders were recorded wrote TagBefore alone.
	TagHolder = "cognitrig:holder:"
	// TagTakeOverBefore records, as TagBefore does, what the slot held
	// when the binding named by TagTakeOverHolder took it over: the first
	// binding's value, which comes back when the taker lets go.
	TagTakeOverBefore = "cognitrig:takeover:before:"
	// TagTakeOverHolder names the binding that took the slot over.
	TagTakeOverHolder = "cognitrig:takeover:holder:"
)

// Cognito's limits on a user pool's tags.
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// tagText matches what Cognito accepts in a tag's key and value.
var tagText = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// Holder names who binds a slot, in the tags that record it: the
// CloudFormation resource Custom::CognitrigUserPoolBinding of a stack
// ("stack/NAME/LOGICALID", see StackHolder), or the command `cognitrig
// bind` (CLI). The empty Holder is the binding of an earlier cognitrig
// release, which recorded no holder.
type Holder string

// CLI is the holder of the slots bound by `cognitrig bind`: all its
// callers are one holder.
const CLI Holder = "cli"

// stackARN matches a CloudFormation stack ARN and captures the stack's
// name.
var stackARN = regexp.MustCompile(`^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack/([A-Za-z][A-Za-z0-9-]*)/.+$`)

// StackHolder returns the holder of the bindings of the resource with
// logical ID logicalID in the stack with ID (ARN) stackID, as a custom
// resource's request gives them. The stack is named by its name, unique
// among the live stacks of an account and region, so that a stack deleted
// and created again under its name holds what it held. A holder longer than
// a tag value may be ends in a hash of the whole.
func StackHolder(stackID, logicalID string) (Holder, error) {
	m := stackARN.FindStringSubmatch(stackID)
	if m == nil {
		return "", fmt.Errorf("the request's StackId %q is not a CloudFormation stack ARN (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID)", stackID)
	}
	if logicalID == "" || !tagText.MatchString(logicalID) || strings.Contains(logicalID, "/") {
		return "", fmt.Errorf("the request's LogicalResourceId %q is not a logical ID: want letters and digits", logicalID)
	}
	h := "stack/" + m[1] + "/" + logicalID
	if len(h) > maxTagValueLen {
		sum := sha256.Sum256([]byte(h))
		h = h[:maxTagValueLen-17] + "+" + hex.EncodeToString(sum[:8])
	}
	return Holder(h), nil
}

// String describes h for people: "resource LOGICALID of stack NAME",
// "`cognitrig bind`", or the binding of an earlier release.
func (h Holder) String() string {
	switch {
	case h == "":
		return "a binding of an earlier cognitrig release, which recorded no holder"
	case h == CLI:
		return "`cognitrig bind`"
	}
	if rest, ok := strings.CutPrefix(string(h), "stack/"); ok {
		if name, logical, ok := strings.Cut(rest, "/"); ok {
			return "resource " + logical + " of stack " + name
		}
	}
	return "holder " + string(h)
}

// Note says what a change left as it is, or did beyond setting a slot,
// and why.
type Note struct {
	Slot Slot
	Text string
}

func (n Note) String() string { return string(n.Slot) + ": " + n.Text }

// HeldError reports a slot that another binding holds: Requester may take
// it over, or unbind it, only when it says so explicitly. It also reports
// a third take-over, which is never made.
type HeldError struct {
	PoolID string
	Slot   Slot
	// Holder holds the slot.
	Holder Holder
	// Requester asked to bind the slot, or for Unbind to let go of it.
	Requester Holder
	Unbind    bool
	// TakenFrom is set when the slot was already taken over: Holder took
	// it from TakenFrom, and a slot records one take-over.
	TakenFrom *Holder
}

func (e *HeldError) Error() string {
	if e.TakenFrom != nil {
		return fmt.Sprintf("%s of user pool %s was already taken over: %s holds it, taken over from %s; "+
			"cognitrig records one take-over per slot: remove the slot from one of those two bindings (or delete it) and try again",
			e.Slot, e.PoolID, e.Holder, *e.TakenFrom)
	}
	msg := fmt.Sprintf("%s of user pool %s is bound by %s", e.Slot, e.PoolID, e.Holder)
	switch {
	case e.Unbind:
		return msg + ": remove it from that binding instead, or pass --force to unbind it anyway " +
			"(the slot gets back what it held before that binding; a stack's next deploy binds it again)"
	case e.Requester == CLI:
		return msg + ": pass --take-over to take the slot over " +
			"(cognitrig unbind then gives it back to that binding, and deleting that binding leaves yours bound)"
	}
	return msg + `: leave the slot out of this binding, or set this binding's property TakeOver to "true" to take the slot over ` +
		"(deleting this binding then gives it back to that one, and deleting that one leaves this one's function bound)"
}

// Claims is what one holder asks of a pool's slots. Each slot's holders
// are recorded in the pool's tags (TagBefore, TagHolder and the take-over
// tags), so that deleting or unbinding either of two bindings of one slot,
// in either order, leaves the pool right:
//
//   - A free slot (no record, whatever it holds) is taken: what it held is
//     recorded, and given back when the holder lets go.
//   - A slot another holder holds is refused (*HeldError) unless TakeOver:
//     the taker then records the slot's value, the first holder's function,
//     which comes back when the taker lets go. Letting go of the first
//     holder while the taker holds the slot leaves the taker's function,
//     and moves the first holder's record to the taker, so that the
//     taker's release gives back the value from before both. A third
//     take-over is refused.
//   - A holder whose slot was taken over, binding again, leaves the slot as
//     it is and records its value as the one to give back.
//   - A record of an earlier release names no holder: it is the
//     requester's when the slot holds one of the values in Bound (the
//     resource's own, on an Update or a Delete); otherwise the slot is
//     refused, and a take-over takes the record over (no second level: its
//     binding cannot be told apart from another).
type Claims struct {
	Holder Holder
	// Set are the slots to hold, with the values to give them.
	Set []Binding
	// Release are the slots to let go of: each gets back what it held
	// before Holder took it, or the function of the binding Holder took it
	// over from. A slot without a record is cleared when Bound says
	// nothing about it, and left as it is otherwise.
	Release []Slot
	// Bound are values Holder gave slots, as far as it knows (a custom
	// resource knows its properties, old and new; the CLI knows nothing).
	// A released slot that holds none of its values in Bound was changed
	// by another writer and is left as it is; a slot with Bound values
	// and no record of Holder's is never taken from another holder by a
	// release, not even with Force.
	Bound []Binding
	// TakeOver lets Holder take the slots in Set that another holder holds.
	TakeOver bool
	// Force lets Holder release a slot another holder holds, as that
	// holder's delete would, when Bound says nothing about it.
	Force bool
}

// Check reports what is wrong with c, if anything: an invalid binding, a
// slot given twice, a missing holder.
func (c Claims) Check() error {
	if c.Holder == "" {
		return errors.New("claims without a holder: name the stack's resource (StackHolder) or the CLI")
	}
	if !tagText.MatchString(string(c.Holder)) || len(c.Holder) > maxTagValueLen {
		return fmt.Errorf("holder %q cannot be a tag value: use StackHolder or CLI", c.Holder)
	}
	return Validate(c.Set, c.Release)
}

// bound returns the values Bound gives slot s.
func (c Claims) bound(s Slot) []Binding {
	var bs []Binding
	for _, b := range c.Bound {
		if b.Slot == s {
			bs = append(bs, b)
		}
	}
	return bs
}

// holds reports whether lc's slot s holds one of the values in bs.
func holds(lc types.LambdaConfigType, bs []Binding) bool {
	return slices.ContainsFunc(bs, func(b Binding) bool {
		arn, version := Get(lc, b.Slot)
		return arn == b.ARN && version == b.version()
	})
}

// record is one level of a slot's records: who holds it, and what it gets
// back when that holder lets go (raw, as in the tag: "" when the tag is
// gone).
type record struct {
	holder Holder
	before string
}

// recordKeys are the tags of the two levels of slot s: before, holder.
func recordKeys(s Slot) [2][2]string {
	return [2][2]string{
		{TagBefore + string(s), TagHolder + string(s)},
		{TagTakeOverBefore + string(s), TagTakeOverHolder + string(s)},
	}
}

// readRecords returns slot s's records in tags, the first holder first.
func readRecords(tags map[string]string, s Slot) []record {
	var recs []record
	for _, k := range recordKeys(s) {
		before, hasBefore := tags[k[0]]
		holder, hasHolder := tags[k[1]]
		if hasBefore || hasHolder {
			recs = append(recs, record{holder: Holder(holder), before: before})
		}
	}
	return recs
}

// writeRecords replaces slot s's records in tags with recs.
func writeRecords(tags map[string]string, s Slot, recs []record) {
	for i, k := range recordKeys(s) {
		delete(tags, k[0])
		delete(tags, k[1])
		if i >= len(recs) {
			continue
		}
		if recs[i].before != "" {
			tags[k[0]] = recs[i].before
		}
		if recs[i].holder != "" {
			tags[k[1]] = string(recs[i].holder)
		}
	}
}

// index returns the level h holds in recs, or -1.
func index(recs []record, h Holder) int {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].holder == h {
			return i
		}
	}
	return -1
}

// ApplyTo makes c's change in the LambdaConfig lc and the tags of the pool
// poolID, as read: it releases, then sets, and records both in tags. It
// returns what it left as it is and what it took over, and fails, leaving
// lc as it was (tags may be changed), when a slot is held by another (a
// *HeldError), when a record cannot be read, when the bindings are invalid
// or Cognito would refuse the result (see Apply), or when the records would
// break Cognito's limits on tags.
func (c Claims) ApplyTo(poolID string, lc *types.LambdaConfigType, tags map[string]string) ([]Note, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var (
		notes []Note
		set   []Binding
		clear []Slot
	)
	note := func(s Slot, format string, a ...any) { notes = append(notes, Note{s, fmt.Sprintf(format, a...)}) }
	for _, s := range c.Release {
		recs, b, restore, err := c.release(poolID, *lc, tags, s, note)
		if err != nil {
			return nil, err
		}
		writeRecords(tags, s, recs)
		switch {
		case !restore:
		case b.ARN == "":
			clear = append(clear, s)
		default:
			set = append(set, b)
		}
	}
	for _, b := range c.Set {
		recs, take, err := c.hold(poolID, *lc, tags, b, note)
		if err != nil {
			return nil, err
		}
		writeRecords(tags, b.Slot, recs)
		if take {
			set = append(set, b)
		}
	}
	if _, err := Apply(lc, set, clear); err != nil {
		return nil, err
	}
	if err := checkTags(poolID, tags); err != nil {
		return nil, err
	}
	return notes, nil
}

// hold returns slot b.Slot's records once c holds it, and whether the slot
// is to be set to b.
func (c Claims) hold(poolID string, lc types.LambdaConfigType, tags map[string]string, b Binding, note func(Slot, string, ...any)) ([]record, bool, error) {
	recs := readRecords(tags, b.Slot)
	current := encode(Get(lc, b.Slot))
	top := len(recs) - 1
	switch i := index(recs, c.Holder); {
	case len(recs) == 0:
		return []record{{c.Holder, current}}, true, nil
	case i == top:
		return recs, true, nil
	case i >= 0:
		recs[i+1].before = encode(b.ARN, b.version())
		note(b.Slot, "left bound to %s, which took the slot over; this value is given back when it lets go", recs[top].holder)
		return recs, false, nil
	case recs[top].holder == "" && holds(lc, c.bound(b.Slot)):
		recs[top].holder = c.Holder
		note(b.Slot, "took over the record (tag %s) that an earlier cognitrig release wrote for this binding", TagBefore+string(b.Slot))
		return recs, true, nil
	case !c.TakeOver:
		return nil, false, &HeldError{PoolID: poolID, Slot: b.Slot, Holder: recs[top].holder, Requester: c.Holder}
	case recs[top].holder == "":
		recs[top].holder = c.Holder
		note(b.Slot, "took the slot over from %s: its record is this binding's now, and letting go gives back what the slot held before it", Holder(""))
		return recs, true, nil
	case top >= 1:
		from := recs[top-1].holder
		return nil, false, &HeldError{PoolID: poolID, Slot: b.Slot, Holder: recs[top].holder, Requester: c.Holder, TakenFrom: &from}
	}
	note(b.Slot, "took the slot over from %s, which gets it back when this binding lets go", recs[top].holder)
	return append(recs, record{c.Holder, current}), true, nil
}

// release returns slot s's records once c let go of it, and the value to
// give the slot, if restore.
func (c Claims) release(poolID string, lc types.LambdaConfigType, tags map[string]string, s Slot, note func(Slot, string, ...any)) (recs []record, b Binding, restore bool, err error) {
	recs = readRecords(tags, s)
	bound := c.bound(s)
	top := len(recs) - 1
	i := index(recs, c.Holder)
	switch {
	case i >= 0:
	case len(recs) == 0 && bound == nil:
		// Bound by hand or by another tool: unbinding clears it.
		return recs, Binding{Slot: s}, true, nil
	case len(recs) == 0:
		note(s, "no record of the slot's previous value (tag %s is gone): left as it is", TagBefore+string(s))
		return recs, b, false, nil
	case recs[top].holder == "" && holds(lc, bound):
		i = top
	case bound != nil:
		note(s, "bound by %s, not by this binding: left as it is", recs[top].holder)
		return recs, b, false, nil
	case !c.Force:
		return nil, b, false, &HeldError{PoolID: poolID, Slot: s, Holder: recs[top].holder, Requester: c.Holder, Unbind: true}
	default:
		i = top
		note(s, "released for %s, as its delete would", recs[top].holder)
	}
	if i < top {
		recs[i+1].before = recs[i].before
		note(s, "left bound to %s, which took the slot over; letting go of it gives back what the slot held before both", recs[top].holder)
		return slices.Delete(recs, i, i+1), b, false, nil
	}
	before := recs[i].before
	recs = recs[:i]
	switch {
	case bound != nil && !holds(lc, bound):
		arn, _ := Get(lc, s)
		note(s, "slot changed by another writer since it was bound (it holds %q): left as it is", arn)
		return recs, b, false, nil
	case before == "":
		note(s, "no record of the slot's previous value (tag %s is gone): left as it is", recordKeys(s)[i][0])
		return recs, b, false, nil
	}
	b, err = decode(s, before)
	if err != nil {
		return nil, b, false, fmt.Errorf("cannot give back %s of user pool %s: tag %s holds %q: %w; fix or remove the tag and try again",
			s, poolID, recordKeys(s)[i][0], before, err)
	}
	return recs, b, true, nil
}

// checkTags reports the records that Cognito would refuse in tags.
func checkTags(poolID string, tags map[string]string) error {
	if len(tags) > maxTags {
		return fmt.Errorf("user pool %s would have %d tags, more than the %d Cognito allows: cognitrig records each bound slot in 2 tags (4 when taken over); "+
			"remove tags the pool does not need, or bind fewer slots", poolID, len(tags), maxTags)
	}
	for _, s := range slots {
		for _, k := range recordKeys(s) {
			for _, key := range k {
				v, ok := tags[key]
				if ok && (len(key) > maxTagKeyLen || len(v) > maxTagValueLen || !tagText.MatchString(v)) {
					return fmt.Errorf("cannot record %s of user pool %s: tag %s = %q is not a tag value Cognito accepts (at most %d letters, digits, spaces and _.:/=+-@)",
						s, poolID, key, v, maxTagValueLen)
				}
			}
		}
	}
	return nil
}

// none is the recorded value of an empty slot.
const none = "-"

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
func decode(s Slot, v string) (Binding, error) {
	if v == none {
		return Binding{Slot: s}, nil
	}
	arn, version, _ := strings.Cut(v, " ")
	b := Binding{Slot: s, ARN: arn, Version: version}
	return b, b.Check()
}

// Hold makes the change c asks (see Claims) in the pool, recording it in
// the pool's tags, with one complete UpdateUserPool (see Modify). It writes
// nothing when the pool already is as asked. The returned Change's Notes
// say what it left as it is and what it took over.
func Hold(ctx context.Context, api API, poolID string, c Claims, opts ...Option) (Change, error) {
	if err := c.Check(); err != nil {
		return Change{PoolID: poolID}, err
	}
	var notes []Note
	ch, err := Modify(ctx, api, poolID, func(_ *types.UserPoolType, in *cip.UpdateUserPoolInput) error {
		tags := in.UserPoolTags
		if tags == nil {
			tags = map[string]string{}
		}
		n, err := c.ApplyTo(poolID, in.LambdaConfig, tags)
		if err != nil {
			return err
		}
		if len(tags) > 0 {
			in.UserPoolTags = tags
		}
		notes = n
		return nil
	}, opts...)
	ch.Notes = notes
	return ch, err
}
