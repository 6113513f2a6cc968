package userpool

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Diff shows the slots of two LambdaConfigs, one line each, in the order of
// Slots: "  Slot value" for a slot both hold alike, "- Slot value" and
// "+ Slot value" for what before held and after holds when they differ. A
// versioned slot's value is its ARN and version. The slot names are padded
// to one width. Slots neither holds are left out; when no slot is left,
// Diff returns "  (no triggers)\n".
func Diff(before, after types.LambdaConfigType) string {
	return diff(func(s Slot) string { return slotText(before, s) }, func(s Slot) string { return slotText(after, s) })
}

// diff is Diff of the texts that before and after give each slot, "" for
// an empty slot.
func diff(before, after func(Slot) string) string {
	type line struct {
		mark  string
		slot  Slot
		value string
	}
	var lines []line
	width := 0
	for _, s := range slots {
		b, a := before(s), after(s)
		switch {
		case b == a && b != "":
			lines = append(lines, line{" ", s, b})
		case b != a:
			if b != "" {
				lines = append(lines, line{"-", s, b})
			}
			if a != "" {
				lines = append(lines, line{"+", s, a})
			}
		default:
			continue
		}
		width = max(width, len(s))
	}
	if len(lines) == 0 {
		return "  (no triggers)\n"
	}
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.mark + " " + string(l.slot) + strings.Repeat(" ", width-len(l.slot)+1) + l.value + "\n")
	}
	return sb.String()
}

// slotText is what Diff shows of slot s in lc.
func slotText(lc types.LambdaConfigType, s Slot) string {
	return valueText(Get(lc, s))
}

// valueText is what Diff shows of a slot that holds arn and version.
func valueText(arn, version string) string {
	if arn == "" || version == "" {
		return arn
	}
	return arn + " " + version
}
