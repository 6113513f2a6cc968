package userpool

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// SlotHolders returns the holders that the records in tags (a pool's
// UserPoolTags) name for slot s: the first binding, then the binding that
// took the slot over from it, if any. The last one holds the slot. A record
// of an earlier cognitrig release names the empty Holder. SlotHolders
// returns nil when the slot has no record: nobody bound it through
// cognitrig, or another writer replaced the pool's tags.
func SlotHolders(tags map[string]string, s Slot) []Holder {
	var hs []Holder
	for _, r := range readRecords(tags, s) {
		hs = append(hs, r.holder)
	}
	return hs
}

// Drift is a slot that no longer holds what its binding set.
type Drift struct {
	Slot Slot
	// Found is what the slot holds; its ARN is "" when the slot is empty.
	Found Binding
	// Want is what the binding set, as given to FindDrift. Its ARN is ""
	// when the records alone prove the drift: they name a holder of the
	// slot, whose binding always sets a function, but not the function.
	Want Binding
	// Holders are the slot's holders according to the records (see
	// SlotHolders); nil when it has none.
	Holders []Holder
}

// Recorded reports whether the records name the function the slot should
// hold: false when only the records prove the drift.
func (d Drift) Recorded() bool { return d.Want.ARN != "" }

// FindDrift compares the slots of the LambdaConfig lc with what was bound
// to them, and returns the slots that differ, in the order of Slots.
//
// A slot that want binds differs when it does not hold want's function and
// version (the version's default applied, as Bind writes it). The records
// in tags (the pool's UserPoolTags) do not hold the function a holder set,
// only who holds the slot and what it held before, so for every other slot
// FindDrift reports only what they prove: a slot that a holder holds but
// that is empty. They cannot prove that a held slot holds another function
// than its holder set, nor anything about a slot whose tags are gone.
func FindDrift(lc types.LambdaConfigType, tags map[string]string, want []Binding) []Drift {
	var drifts []Drift
	for _, s := range slots {
		arn, version := Get(lc, s)
		d := Drift{Slot: s, Found: Binding{Slot: s, ARN: arn, Version: version}, Holders: SlotHolders(tags, s)}
		i := indexOf(want, s)
		switch {
		case i >= 0:
			d.Want = want[i]
			d.Want.Version = want[i].version()
			if arn == d.Want.ARN && version == d.Want.Version {
				continue
			}
		case d.Holders == nil || arn != "":
			continue
		default:
			d.Want = Binding{Slot: s}
		}
		drifts = append(drifts, d)
	}
	return drifts
}

// indexOf returns the index of the binding of slot s in bs, or -1.
func indexOf(bs []Binding, s Slot) int {
	for i, b := range bs {
		if b.Slot == s {
			return i
		}
	}
	return -1
}

// DriftDiff shows the slots of lc in the style of Diff, with each drift as
// a change from what the slot holds now ("-") to what was bound ("+"). A
// drift that only the records prove shows "+ SLOT (the function of
// HOLDER)", since the records do not name the function.
func DriftDiff(lc types.LambdaConfigType, drifts []Drift) string {
	return diff(func(s Slot) string { return slotText(lc, s) }, func(s Slot) string {
		for _, d := range drifts {
			switch {
			case d.Slot != s:
				continue
			case d.Recorded():
				return valueText(d.Want.ARN, d.Want.Version)
			}
			return "(the function of " + d.Holders[len(d.Holders)-1].String() + ")"
		}
		return slotText(lc, s)
	})
}

// CheckDrift reads the pool and returns its LambdaConfig and what
// FindDrift finds in it, given want. When the pool has members the SDK
// cannot represent, it returns what it found together with an
// *UnknownMembersError, as Show does.
func CheckDrift(ctx context.Context, api API, poolID string, want []Binding) (types.LambdaConfigType, []Drift, error) {
	pool, unknown, err := describe(ctx, api, poolID)
	if err != nil {
		return types.LambdaConfigType{}, nil, err
	}
	var lc types.LambdaConfigType
	if pool.LambdaConfig != nil {
		lc = *pool.LambdaConfig
	}
	drifts := FindDrift(lc, pool.UserPoolTags, want)
	if len(unknown) > 0 {
		return lc, drifts, &UnknownMembersError{PoolID: poolID, Members: unknown}
	}
	return lc, drifts, nil
}

// HoldersText says for people who the records say holds the slot: "held
// by H", "held by H2, which took it over from H1", or that there is no
// record.
func (d Drift) HoldersText() string {
	hs := d.Holders
	switch len(hs) {
	case 0:
		return "no record of who holds it (no tag " + TagHolder + string(d.Slot) + ": bound by hand, or another writer replaced the pool's tags)"
	case 1:
		return "held by " + hs[0].String()
	}
	return "held by " + hs[len(hs)-1].String() + ", which took it over from " + hs[len(hs)-2].String()
}
