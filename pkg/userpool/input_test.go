package userpool

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// These tests walk the SDK's types by reflection, so that an SDK upgrade
// that adds a member fails here until the member is either copied by
// UpdateInput (or modeled as a Slot) or listed below with the reason it is
// not.

// inputSkipped lists the members of UpdateUserPoolInput that UpdateInput
// does not fill from the described pool, with the reason.
var inputSkipped = map[string]string{}

// poolDropped lists the members of UserPoolType that UpdateInput does not
// send back, with the reason.
var poolDropped = map[string]string{
	"Status":                    "read-only",
	"CreationDate":              "read-only",
	"LastModifiedDate":          "read-only",
	"EstimatedNumberOfUsers":    "read-only",
	"SmsConfigurationFailure":   "read-only",
	"EmailConfigurationFailure": "read-only",
	"Domain":                    "read-only here: set with CreateUserPoolDomain",
	"CustomDomain":              "read-only here: set with CreateUserPoolDomain",
	"Arn":                       "read-only",
	"SchemaAttributes":          "create-only (AddCustomAttributes adds)",
	"AliasAttributes":           "create-only",
	"UsernameAttributes":        "create-only",
	"UsernameConfiguration":     "create-only",
}

// fill sets every exported field reachable from v to a non-zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

func filledPool() *types.UserPoolType {
	var p types.UserPoolType
	fill(reflect.ValueOf(&p).Elem())
	return &p
}

func TestUpdateInputFillsEveryMember(t *testing.T) {
	in, err := UpdateInput(filledPool())
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		reason, skipped := inputSkipped[f.Name]
		switch zero := v.Field(i).IsZero(); {
		case zero && !skipped:
			t.Errorf("UpdateUserPoolInput.%s is not filled from the pool: copy it in UpdateInput (UpdateUserPool resets what it is not sent), or list it in inputSkipped with the reason", f.Name)
		case !zero && skipped:
			t.Errorf("UpdateUserPoolInput.%s is filled, yet inputSkipped says %q: remove it from the list", f.Name, reason)
		}
	}
}

func TestUpdateInputUsesEveryPoolMember(t *testing.T) {
	want, err := UpdateInput(filledPool())
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[types.UserPoolType]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			pool := filledPool()
			reflect.ValueOf(pool).Elem().Field(i).SetZero()
			got, err := UpdateInput(pool)
			if f.Name == "Id" {
				if err == nil {
					t.Error("UpdateInput accepts a pool without an Id")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			reason, dropped := poolDropped[f.Name]
			switch used := !reflect.DeepEqual(got, want); {
			case !used && !dropped:
				t.Errorf("UserPoolType.%s does not reach the request: send it back in UpdateInput, or list it in poolDropped with the reason", f.Name)
			case used && dropped:
				t.Errorf("UserPoolType.%s reaches the request, yet poolDropped says %q: remove it from the list", f.Name, reason)
			}
		})
	}
}

func TestSlotsCoverLambdaConfig(t *testing.T) {
	claimed := map[string]Slot{}
	for _, s := range Slots() {
		var lc types.LambdaConfigType
		setSlot(&lc, s, "arn:aws:lambda:us-east-1:123456789012:function:f", V1_0)
		v := reflect.ValueOf(lc)
		n := 0
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || v.Field(i).IsZero() {
				continue
			}
			n++
			if other, ok := claimed[f.Name]; ok {
				t.Errorf("LambdaConfigType.%s is set by both %s and %s", f.Name, other, s)
			}
			claimed[f.Name] = s
		}
		if n == 0 {
			t.Errorf("slot %s sets no member of LambdaConfigType", s)
		}
		if arn, _ := Get(lc, s); arn == "" {
			t.Errorf("Get(%s) does not read what setSlot wrote", s)
		}
		setSlot(&lc, s, "", "")
		if !reflect.ValueOf(lc).IsZero() {
			t.Errorf("clearing %s leaves %+v", s, lc)
		}
	}
	typ := reflect.TypeFor[types.LambdaConfigType]()
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() && claimed[f.Name] == "" {
			t.Errorf("LambdaConfigType.%s has no Slot: add one (it is written back as it is, but cannot be bound or shown)", f.Name)
		}
	}
}

func TestUpdateInputTransforms(t *testing.T) {
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:tokens"
	template := func(opt types.DefaultEmailOptionType) *types.VerificationMessageTemplateType {
		return &types.VerificationMessageTemplateType{
			DefaultEmailOption: opt, SmsMessage: aws.String("sms {####}"),
			EmailMessage: aws.String("code {####}"), EmailSubject: aws.String("code"),
			EmailMessageByLink: aws.String("link {##Click##}"), EmailSubjectByLink: aws.String("link"),
		}
	}
	tests := []struct {
		name  string
		pool  types.UserPoolType
		check func(t *testing.T, in *cip.UpdateUserPoolInput)
	}{
		{
			name: "unused account validity days cleared",
			pool: types.UserPoolType{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 7}},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				if c := in.AdminCreateUserConfig; c.UnusedAccountValidityDays != 0 || !c.AllowAdminCreateUserOnly {
					t.Errorf("AdminCreateUserConfig = %+v, want AllowAdminCreateUserOnly kept and UnusedAccountValidityDays 0", *c)
				}
			},
		},
		{
			name: "code pair kept",
			pool: types.UserPoolType{VerificationMessageTemplate: template(types.DefaultEmailOptionTypeConfirmWithCode)},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				v := in.VerificationMessageTemplate
				if v.EmailMessage == nil || v.EmailSubject == nil || v.SmsMessage == nil || v.EmailMessageByLink != nil || v.EmailSubjectByLink != nil {
					t.Errorf("template = %+v, want the code pair and the SMS only", *v)
				}
			},
		},
		{
			name: "link pair kept",
			pool: types.UserPoolType{VerificationMessageTemplate: template(types.DefaultEmailOptionTypeConfirmWithLink)},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				v := in.VerificationMessageTemplate
				if v.EmailMessage != nil || v.EmailSubject != nil || v.SmsMessage == nil || v.EmailMessageByLink == nil || v.EmailSubjectByLink == nil {
					t.Errorf("template = %+v, want the link pair and the SMS only", *v)
				}
			},
		},
		{
			name: "no option keeps the code pair",
			pool: types.UserPoolType{VerificationMessageTemplate: template("")},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				if v := in.VerificationMessageTemplate; v.EmailMessage == nil || v.EmailMessageByLink != nil {
					t.Errorf("template = %+v, want the code pair", *v)
				}
			},
		},
		{
			name: "absent members stay absent",
			pool: types.UserPoolType{},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				if in.UserPoolAddOns != nil || in.DeviceConfiguration != nil || in.SmsConfiguration != nil || in.UserPoolTags != nil {
					t.Errorf("got add-ons %v, device %v, SMS %v, tags %v; want none", in.UserPoolAddOns, in.DeviceConfiguration, in.SmsConfiguration, in.UserPoolTags)
				}
				if in.LambdaConfig == nil || !reflect.ValueOf(*in.LambdaConfig).IsZero() {
					t.Errorf("LambdaConfig = %+v, want an empty one", in.LambdaConfig)
				}
			},
		},
		{
			name: "legacy token ARN follows the config",
			pool: types.UserPoolType{LambdaConfig: &types.LambdaConfigType{
				PreTokenGeneration:       aws.String("arn:aws:lambda:us-east-1:123456789012:function:old"),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: aws.String(fn), LambdaVersion: V2_0},
			}},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				if got := aws.ToString(in.LambdaConfig.PreTokenGeneration); got != fn {
					t.Errorf("PreTokenGeneration = %s, want %s", got, fn)
				}
			},
		},
		{
			name: "legacy token ARN alone kept",
			pool: types.UserPoolType{LambdaConfig: &types.LambdaConfigType{PreTokenGeneration: aws.String(fn)}},
			check: func(t *testing.T, in *cip.UpdateUserPoolInput) {
				if got := aws.ToString(in.LambdaConfig.PreTokenGeneration); got != fn || in.LambdaConfig.PreTokenGenerationConfig != nil {
					t.Errorf("LambdaConfig = %+v, want the legacy ARN alone", *in.LambdaConfig)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pool.Id = aws.String("us-east-1_Example")
			in, err := UpdateInput(&tt.pool)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, in)
		})
	}
}

func TestUpdateInputDoesNotAliasThePool(t *testing.T) {
	pool := filledPool()
	before := *filledPool()
	in, err := UpdateInput(pool)
	if err != nil {
		t.Fatal(err)
	}
	in.UserPoolTags["cognitrig:test"] = "y"
	for _, s := range Slots() {
		setSlot(in.LambdaConfig, s, "", "")
	}
	in.AdminCreateUserConfig.AllowAdminCreateUserOnly = false
	in.VerificationMessageTemplate.SmsMessage = nil
	if !reflect.DeepEqual(*pool, before) {
		t.Error("editing the request's tags, LambdaConfig or transformed members changed the pool")
	}
}
