package cognitrig

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// Slot is one member of a user pool's LambdaConfig: one trigger. It is
// pkg/userpool's Slot, so that the construct, the binding custom resource
// and the cognitrig CLI know one list of slots: write userpool.PreSignUp,
// userpool.PreTokenGeneration and so on. Each slot holds at most one
// function. The construct binds every slot but userpool.KMSKeyID, which
// holds a key, not a function (see Props.CustomSenderKMSKey).
// userpool.PreTokenGeneration is the pre token generation trigger of every
// event version: it is written as PreTokenGenerationConfig with the
// binding's LambdaVersion (V1_0 unless given), never as the legacy
// PreTokenGeneration member.
type Slot = userpool.Slot

// functionSlot reports whether slot is a LambdaConfig member that holds a
// function.
func functionSlot(slot Slot) bool {
	return slot.Valid() && slot != userpool.KMSKeyID
}

// canonical returns slot as userpool names it, also when it is spelled as
// Cognito's API spells it (PreTokenGenerationConfig), or in another case
// (userpool.ParseSlot); an unknown slot is returned unchanged.
func canonical(slot Slot) Slot {
	if s, err := userpool.ParseSlot(string(slot)); err == nil {
		return s
	}
	return slot
}

// member is the name of slot's member in the Cognito API's LambdaConfig,
// as the custom resource's LambdaConfig property, the construct IDs and
// the messages spell it.
func member(slot Slot) string {
	if slot == userpool.PreTokenGeneration {
		return "PreTokenGenerationConfig"
	}
	return string(slot)
}

// claim is one slot's function: its ARN (often a token), the event version
// for the slots that take one, and who bound it, for error messages.
type claim struct {
	arn      string
	version  string
	claimant string
}

// lambdaConfig is the set of claims of one pool. It refuses a second claim
// on a slot and remembers the conflict, so that every conflict can be
// reported at synth time. The zero value is empty and ready to use.
type lambdaConfig struct {
	claims    map[Slot]claim
	conflicts []error
	kmsKeyArn string
}

// claim records fn's ARN in slot for claimant. A bad slot or version, or a
// slot already claimed, is recorded as a conflict and returned. slot may
// also be spelled as Cognito's API spells it (PreTokenGenerationConfig;
// userpool.ParseSlot). An empty version is the slot's default, userpool's
// first version.
func (c *lambdaConfig) claim(slot Slot, arn, version, claimant string) error {
	slot = canonical(slot)
	err := c.check(slot, version, claimant)
	if err == nil {
		if versions := slot.Versions(); versions != nil && version == "" {
			version = versions[0]
		}
		if c.claims == nil {
			c.claims = map[Slot]claim{}
		}
		c.claims[slot] = claim{arn: arn, version: version, claimant: claimant}
		return nil
	}
	c.conflicts = append(c.conflicts, err)
	return err
}

func (c *lambdaConfig) check(slot Slot, version, claimant string) error {
	versions := slot.Versions()
	switch {
	case !functionSlot(slot):
		return fmt.Errorf("%s binds an unknown LambdaConfig slot %q; use one of %s", claimant, slot, slotList())
	case version != "" && versions == nil:
		return fmt.Errorf("%s binds %s with LambdaVersion %s, but %s takes no version; leave it empty", claimant, member(slot), version, member(slot))
	case version != "" && !slices.Contains(versions, version):
		return fmt.Errorf("%s binds %s with LambdaVersion %s; %s accepts %s", claimant, member(slot), version, member(slot), strings.Join(versions, ", "))
	}
	if prev, ok := c.claims[slot]; ok {
		return fmt.Errorf("LambdaConfig slot %s is claimed twice: by %s and by %s; a pool has one function per trigger, so remove one of them (or route both from one function)", member(slot), prev.claimant, claimant)
	}
	return nil
}

// apiJSON is the LambdaConfig in the Cognito API's shape, the custom
// resource's LambdaConfig property: plain ARNs, and {LambdaArn,
// LambdaVersion} objects for the versioned slots, plus KMSKeyID.
func (c *lambdaConfig) apiJSON() map[string]any {
	out := map[string]any{}
	for slot, cl := range c.claims {
		if slot.Versions() == nil {
			out[member(slot)] = cl.arn
		} else {
			out[member(slot)] = map[string]any{"LambdaArn": cl.arn, "LambdaVersion": cl.version}
		}
	}
	if c.kmsKeyArn != "" {
		out[string(userpool.KMSKeyID)] = c.kmsKeyArn
	}
	return out
}

// bound reports whether slot is claimed.
func (c *lambdaConfig) bound(slot Slot) bool {
	_, ok := c.claims[slot]
	return ok
}

// boundSlots returns the claimed slots, sorted.
func (c *lambdaConfig) boundSlots() []Slot {
	return slices.Sorted(maps.Keys(c.claims))
}

// slotList names the slots that hold a function, in userpool's order.
func slotList() string {
	var names []string
	for _, s := range userpool.Slots() {
		if functionSlot(s) {
			names = append(names, member(s))
		}
	}
	return strings.Join(names, ", ")
}
