package userpool

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/mototest"
)

// wire returns v as the JSON value the check for unknown members assumes
// Cognito sends: each member under its Go field name, times as epoch
// seconds.
func wire(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return wire(v.Elem())
	case reflect.Slice:
		out := []any{}
		for i := range v.Len() {
			out = append(out, wire(v.Index(i)))
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			out[k.String()] = wire(v.MapIndex(k))
		}
		return out
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return t.Unix()
		}
		out := map[string]any{}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				out[f.Name] = wire(v.Field(i))
			}
		}
		return out
	}
	return v.Interface()
}

// TestWireNamesAreFieldNamesInThePool checks what the check for unknown
// members relies on: the SDK reads each member of the pool, at any depth,
// under its Go field name. A pool with every member set, sent that way,
// must come back whole, and hold no unknown member.
func TestWireNamesAreFieldNamesInThePool(t *testing.T) {
	want := filledPool()
	body, err := json.Marshal(map[string]any{"UserPool": wire(reflect.ValueOf(want))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Write(body)
	}))
	defer srv.Close()
	var raw []byte
	out, err := cip.NewFromConfig(mototest.Config(srv.URL)).DescribeUserPool(t.Context(),
		&cip.DescribeUserPoolInput{UserPoolId: aws.String("x")}, captureBody(&raw))
	if err != nil {
		t.Fatal(err)
	}
	got := *out.UserPool
	for _, d := range []**time.Time{&got.CreationDate, &got.LastModifiedDate} {
		*d = aws.Time((*d).Local())
	}
	if !reflect.DeepEqual(&got, want) {
		gotJSON, _ := json.Marshal(wire(reflect.ValueOf(got)))
		t.Errorf("the SDK read a pool with every member set as\n%s\nwant\n%s", gotJSON, body)
	}
	if unknown, err := unknownMembers(raw); err != nil || len(unknown) > 0 {
		t.Errorf("unknownMembers = %q, %v; want none", unknown, err)
	}
	if len(raw) == 0 {
		t.Error("the raw body was not captured")
	}
}

// TestUnknownMembersReadsEveryType checks that the walk reaches every
// object of a pool with every member set: a member planted in each (but
// in UserPoolTags, whose keys are data) is found.
func TestUnknownMembersReadsEveryType(t *testing.T) {
	pool := wire(reflect.ValueOf(filledPool())).(map[string]any)
	var want []string
	var plant func(path string, v any)
	plant = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if path == "UserPoolTags" {
				return
			}
			for k, child := range v {
				p := k
				if path != "" {
					p = path + "." + k
				}
				plant(p, child)
			}
			v["Unknown"] = "x"
			if path == "" {
				want = append(want, "Unknown")
			} else {
				want = append(want, path+".Unknown")
			}
		case []any:
			for _, e := range v {
				plant(path+"[]", e)
			}
		}
	}
	plant("", pool)
	body, _ := json.Marshal(map[string]any{"UserPool": pool})
	got, err := unknownMembers(body)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("unknownMembers =\n%q\nwant the planted members\n%q", got, want)
	}
}
