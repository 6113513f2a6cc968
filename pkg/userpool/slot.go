package userpool

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Slot names a member of a user pool's LambdaConfig: a trigger, or
// KMSKeyID. Its value is the member's name in Cognito's API, which is the
// trigger.Kind of the trigger it holds.
type Slot string

// The slots, one for each LambdaConfig member.
const (
	PreSignUp                   = Slot(trigger.KindPreSignUp)
	CustomMessage               = Slot(trigger.KindCustomMessage)
	PostConfirmation            = Slot(trigger.KindPostConfirmation)
	PreAuthentication           = Slot(trigger.KindPreAuthentication)
	PostAuthentication          = Slot(trigger.KindPostAuthentication)
	DefineAuthChallenge         = Slot(trigger.KindDefineAuthChallenge)
	CreateAuthChallenge         = Slot(trigger.KindCreateAuthChallenge)
	VerifyAuthChallengeResponse = Slot(trigger.KindVerifyAuthChallenge)
	// PreTokenGeneration is both PreTokenGenerationConfig{LambdaArn,
	// LambdaVersion} and the legacy PreTokenGeneration ARN, which are
	// always set to the same function.
	PreTokenGeneration = Slot(trigger.KindPreTokenGeneration)
	UserMigration      = Slot(trigger.KindUserMigration)
	CustomSMSSender    = Slot(trigger.KindCustomSMSSender)
	CustomEmailSender  = Slot(trigger.KindCustomEmailSender)
	InboundFederation  = Slot(trigger.KindInboundFederation)
	// KMSKeyID is the ARN of the KMS key that Cognito encrypts the codes
	// it passes to the custom sender triggers with. It is required while
	// CustomSMSSender or CustomEmailSender is bound.
	KMSKeyID Slot = "KMSKeyID"
)

// slots lists every slot in the order of Cognito's documentation, the
// order of Diff: the triggers in the order of trigger.Kinds, then KMSKeyID.
var slots = func() []Slot {
	var out []Slot
	for _, k := range trigger.Kinds() {
		out = append(out, Slot(k))
	}
	return append(out, KMSKeyID)
}()

// Slots returns every slot, in the order of Cognito's documentation.
func Slots() []Slot { return slots }

// Versions of the versioned slots: the LambdaVersion values of package
// trigger.
const (
	V1_0 = trigger.LambdaV1
	V2_0 = trigger.LambdaV2
	V3_0 = trigger.LambdaV3
)

// Versions returns the event versions a slot accepts, the default first,
// or nil for a slot without versions (trigger.Kind.LambdaVersions).
// PreTokenGeneration accepts V1_0, V2_0 and V3_0; the custom senders and
// InboundFederation accept V1_0.
func (s Slot) Versions() []string {
	return trigger.Kind(s).LambdaVersions()
}

// Valid reports whether s is one of the slots.
func (s Slot) Valid() bool { return slices.Contains(slots, s) }

// ParseSlot returns the slot named name, ignoring case. It also accepts
// PreTokenGenerationConfig for PreTokenGeneration.
func ParseSlot(name string) (Slot, error) {
	if strings.EqualFold(name, "PreTokenGenerationConfig") {
		return PreTokenGeneration, nil
	}
	for _, s := range slots {
		if strings.EqualFold(name, string(s)) {
			return s, nil
		}
	}
	return "", fmt.Errorf("unknown trigger %q: valid names are %s", name, slotList())
}

func slotList() string {
	names := make([]string, len(slots))
	for i, s := range slots {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Binding assigns a function to a slot.
type Binding struct {
	Slot Slot
	// ARN is the function's ARN, unqualified or with an alias (Cognito
	// cannot call a numbered version); for KMSKeyID, the key's ARN.
	ARN string
	// Version is the event version the function expects, for the slots
	// that have one (see Slot.Versions). "" means V1_0, the version Cognito
	// assumes when none is given, for every slot that has versions:
	// pre token generation functions written for V2_0 or V3_0 events must
	// say so. Slots without versions take "".
	Version string
}

var (
	// lambdaARN matches a function ARN, with an optional qualifier.
	lambdaARN = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$`)
	// kmsARN matches a KMS key or alias ARN.
	kmsARN = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+$`)
	// digits matches a numbered function version.
	digits = regexp.MustCompile(`^[0-9]+$`)
)

// version returns b's version with its default applied.
func (b Binding) version() string {
	if b.Version == "" && b.Slot.Versions() != nil {
		return V1_0
	}
	return b.Version
}

// Check reports what is wrong with b, if anything.
func (b Binding) Check() error {
	if !b.Slot.Valid() {
		_, err := ParseSlot(string(b.Slot))
		return err
	}
	if err := checkARN(b.Slot, b.ARN); err != nil {
		return err
	}
	versions := b.Slot.Versions()
	switch v := b.version(); {
	case versions == nil && v != "":
		return fmt.Errorf("%s takes no version, got %q", b.Slot, v)
	case versions != nil && !slices.Contains(versions, v):
		return fmt.Errorf("%s takes version %s, got %q", b.Slot, strings.Join(versions, " or "), v)
	}
	return nil
}

func checkARN(s Slot, arn string) error {
	if s == KMSKeyID {
		if !kmsARN.MatchString(arn) {
			return fmt.Errorf("%s: %q is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", s, arn)
		}
		return nil
	}
	if !lambdaARN.MatchString(arn) {
		return fmt.Errorf("%s: %q is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS])", s, arn)
	}
	parts := strings.Split(arn, ":")
	if len(parts) == 8 && (digits.MatchString(parts[7]) || parts[7] == "$LATEST") {
		return fmt.Errorf("%s: %q names a function version; Cognito cannot call a version: use the unqualified ARN or an alias", s, arn)
	}
	return nil
}

// Validate checks a set of bindings and a list of slots to clear: every
// binding is valid, and no slot appears twice.
func Validate(set []Binding, clear []Slot) error {
	seen := map[Slot]bool{}
	var errs []error
	for _, b := range set {
		if err := b.Check(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[b.Slot] {
			errs = append(errs, fmt.Errorf("%s is given twice: a slot holds one function", b.Slot))
		}
		seen[b.Slot] = true
	}
	for _, s := range clear {
		if !s.Valid() {
			_, err := ParseSlot(string(s))
			errs = append(errs, err)
			continue
		}
		if seen[s] {
			errs = append(errs, fmt.Errorf("%s is both set and cleared", s))
		}
		seen[s] = true
	}
	return errors.Join(errs...)
}

// Get returns the ARN and the version that slot s holds in lc, or "" and
// "" when it is empty. The version is "" for slots without versions. A
// PreTokenGeneration given only by the legacy ARN reads as V1_0.
func Get(lc types.LambdaConfigType, s Slot) (arn, version string) {
	switch s {
	case PreTokenGeneration:
		if c := lc.PreTokenGenerationConfig; c != nil && aws.ToString(c.LambdaArn) != "" {
			return *c.LambdaArn, string(c.LambdaVersion)
		}
		if a := aws.ToString(lc.PreTokenGeneration); a != "" {
			return a, V1_0
		}
	case CustomSMSSender:
		if c := lc.CustomSMSSender; c != nil {
			return versioned(c.LambdaArn, c.LambdaVersion)
		}
	case CustomEmailSender:
		if c := lc.CustomEmailSender; c != nil {
			return versioned(c.LambdaArn, c.LambdaVersion)
		}
	case InboundFederation:
		if c := lc.InboundFederation; c != nil {
			return versioned(c.LambdaArn, c.LambdaVersion)
		}
	default:
		if f := field(&lc, s); f != nil {
			return aws.ToString(*f), ""
		}
	}
	return "", ""
}

// versioned returns the ARN and version of a versioned member, or "" and
// "" when it has no ARN.
func versioned[V ~string](arn *string, version V) (string, string) {
	if aws.ToString(arn) == "" {
		return "", ""
	}
	return *arn, string(version)
}

// setSlot assigns arn and version to slot s of lc; an empty arn clears the
// slot. It never writes through a pointer lc shares with another value.
func setSlot(lc *types.LambdaConfigType, s Slot, arn, version string) {
	var a *string
	if arn != "" {
		a = aws.String(arn)
	}
	switch s {
	case PreTokenGeneration:
		lc.PreTokenGeneration = a
		lc.PreTokenGenerationConfig = ifSet(a, types.PreTokenGenerationVersionConfigType{
			LambdaArn: a, LambdaVersion: types.PreTokenGenerationLambdaVersionType(version),
		})
	case CustomSMSSender:
		lc.CustomSMSSender = ifSet(a, types.CustomSMSLambdaVersionConfigType{
			LambdaArn: a, LambdaVersion: types.CustomSMSSenderLambdaVersionType(version),
		})
	case CustomEmailSender:
		lc.CustomEmailSender = ifSet(a, types.CustomEmailLambdaVersionConfigType{
			LambdaArn: a, LambdaVersion: types.CustomEmailSenderLambdaVersionType(version),
		})
	case InboundFederation:
		lc.InboundFederation = ifSet(a, types.InboundFederationLambdaType{
			LambdaArn: a, LambdaVersion: types.InboundFederationLambdaVersionType(version),
		})
	default:
		if f := field(lc, s); f != nil {
			*f = a
		}
	}
}

// ifSet returns &v when arn is set, else nil.
func ifSet[T any](arn *string, v T) *T {
	if arn == nil {
		return nil
	}
	return &v
}

// field returns the member of lc that holds slot s, for the slots held by
// a plain string, else nil. Those members are named like their slots (the
// tests check it against the SDK).
func field(lc *types.LambdaConfigType, s Slot) **string {
	f := reflect.ValueOf(lc).Elem().FieldByName(string(s))
	if !f.IsValid() {
		return nil
	}
	p, _ := f.Addr().Interface().(**string)
	return p
}
