package userpool

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Apply sets the bindings in set and empties the slots in clear, in lc.
// It reports whether lc changed. It fails, leaving lc as it was, when the
// bindings are invalid (see Validate) or when the result would have a
// custom sender without a KMS key, which Cognito refuses.
//
// Apply never writes through a pointer that lc shares with another value,
// so lc may be a shallow copy of a LambdaConfig read from elsewhere.
func Apply(lc *types.LambdaConfigType, set []Binding, clear []Slot) (changed bool, err error) {
	if err := Validate(set, clear); err != nil {
		return false, err
	}
	next := *lc
	for _, b := range set {
		setSlot(&next, b.Slot, b.ARN, b.version())
	}
	for _, s := range clear {
		setSlot(&next, s, "", "")
	}
	if err := checkConfig(next); err != nil {
		return false, err
	}
	changed = !reflect.DeepEqual(*lc, next)
	*lc = next
	return changed, nil
}

// checkConfig reports a LambdaConfig that Cognito would refuse.
func checkConfig(lc types.LambdaConfigType) error {
	if key, _ := Get(lc, KMSKeyID); key != "" {
		return nil
	}
	var senders []string
	for _, s := range []Slot{CustomSMSSender, CustomEmailSender} {
		if arn, _ := Get(lc, s); arn != "" {
			senders = append(senders, string(s))
		}
	}
	if len(senders) > 0 {
		return fmt.Errorf("%s needs a KMS key to encrypt the codes it receives: bind %s too (cognitrig: --kms-key-id)",
			strings.Join(senders, " and "), KMSKeyID)
	}
	return nil
}
