package cognitrig

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Slot is one member of a user pool's LambdaConfig: one trigger. The values
// are the member names of the Cognito API (DescribeUserPool,
// UpdateUserPool), which the custom resource's LambdaConfig property uses
// too. Each slot holds at most one function.
type Slot string

// The slots of a LambdaConfig. SlotPreTokenGeneration is the pre token
// generation trigger of every event version; it is written as
// PreTokenGenerationConfig with the binding's LambdaVersion (V1_0 unless
// given), never as the legacy PreTokenGeneration member.
const (
	SlotPreSignUp                   Slot = "PreSignUp"
	SlotCustomMessage               Slot = "CustomMessage"
	SlotPostConfirmation            Slot = "PostConfirmation"
	SlotPreAuthentication           Slot = "PreAuthentication"
	SlotPostAuthentication          Slot = "PostAuthentication"
	SlotDefineAuthChallenge         Slot = "DefineAuthChallenge"
	SlotCreateAuthChallenge         Slot = "CreateAuthChallenge"
	SlotVerifyAuthChallengeResponse Slot = "VerifyAuthChallengeResponse"
	SlotPreTokenGeneration          Slot = "PreTokenGenerationConfig"
	SlotUserMigration               Slot = "UserMigration"
	SlotCustomSMSSender             Slot = "CustomSMSSender"
	SlotCustomEmailSender           Slot = "CustomEmailSender"
	SlotInboundFederation           Slot = "InboundFederation"
)

// Slots lists every slot, in the order of the Cognito API's LambdaConfig.
var Slots = []Slot{
	SlotPreSignUp, SlotCustomMessage, SlotPostConfirmation, SlotPreAuthentication,
	SlotPostAuthentication, SlotDefineAuthChallenge, SlotCreateAuthChallenge,
	SlotVerifyAuthChallengeResponse, SlotPreTokenGeneration, SlotUserMigration,
	SlotCustomSMSSender, SlotCustomEmailSender, SlotInboundFederation,
}

// The LambdaVersion values of the slots that take one: the event version
// Cognito sends.
const (
	V1_0 = "V1_0"
	V2_0 = "V2_0"
	V3_0 = "V3_0"
)

// slotVersions lists the LambdaVersion values of the slots whose member is
// an object {LambdaArn, LambdaVersion}; the other slots, absent here, take
// a plain ARN.
var slotVersions = map[Slot][]string{
	SlotPreTokenGeneration: {V1_0, V2_0, V3_0},
	SlotCustomSMSSender:    {V1_0},
	SlotCustomEmailSender:  {V1_0},
	SlotInboundFederation:  {V1_0},
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
// slot already claimed, is recorded as a conflict and returned.
func (c *lambdaConfig) claim(slot Slot, arn, version, claimant string) error {
	err := c.check(slot, version, claimant)
	if err == nil {
		if slotVersions[slot] != nil && version == "" {
			version = V1_0
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
	versions := slotVersions[slot]
	switch {
	case !slices.Contains(Slots, slot):
		return fmt.Errorf("%s binds an unknown LambdaConfig slot %q; use one of %s", claimant, slot, slotList())
	case version != "" && versions == nil:
		return fmt.Errorf("%s binds %s with LambdaVersion %s, but %s takes no version; leave it empty", claimant, slot, version, slot)
	case version != "" && !slices.Contains(versions, version):
		return fmt.Errorf("%s binds %s with LambdaVersion %s; %s accepts %s", claimant, slot, version, slot, strings.Join(versions, ", "))
	}
	if prev, ok := c.claims[slot]; ok {
		return fmt.Errorf("LambdaConfig slot %s is claimed twice: by %s and by %s; a pool has one function per trigger, so remove one of them (or route both from one function)", slot, prev.claimant, claimant)
	}
	return nil
}

// apiJSON is the LambdaConfig in the Cognito API's shape, the custom
// resource's LambdaConfig property: plain ARNs, and {LambdaArn,
// LambdaVersion} objects for the versioned slots, plus KMSKeyID.
func (c *lambdaConfig) apiJSON() map[string]any {
	out := map[string]any{}
	for slot, cl := range c.claims {
		if slotVersions[slot] == nil {
			out[string(slot)] = cl.arn
		} else {
			out[string(slot)] = map[string]any{"LambdaArn": cl.arn, "LambdaVersion": cl.version}
		}
	}
	if c.kmsKeyArn != "" {
		out["KMSKeyID"] = c.kmsKeyArn
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

func slotList() string {
	names := make([]string, len(Slots))
	for i, s := range Slots {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
