package trigger_test

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

func TestAttributesTakeStringsBooleansAndNumbers(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    trigger.Attributes
		wantErr string
	}{
		{name: "strings", json: `{"email":"jane@example.com","email_verified":"true"}`,
			want: trigger.Attributes{"email": "jane@example.com", "email_verified": "true"}},
		{name: "booleans", json: `{"email_verified":true,"phone_number_verified":false}`,
			want: trigger.Attributes{"email_verified": "true", "phone_number_verified": "false"}},
		{name: "numbers as written", json: `{"custom:age":42,"custom:score":-1.5e3}`,
			want: trigger.Attributes{"custom:age": "42", "custom:score": "-1.5e3"}},
		{name: "null value is absent", json: `{"email":null,"sub":"x"}`, want: trigger.Attributes{"sub": "x"}},
		{name: "escaped string", json: `{"name":"J\u00e4ne \"J\""}`, want: trigger.Attributes{"name": `Jäne "J"`}},
		{name: "empty", json: `{}`, want: trigger.Attributes{}},
		{name: "null", json: `null`, want: nil},
		{name: "object value", json: `{"address":{"street":"x"}}`, wantErr: `attribute "address" is a JSON object, want a string`},
		{name: "array value", json: `{"groups":["a"]}`, wantErr: `attribute "groups" is a JSON array, want a string`},
		{name: "not an object", json: `"email"`, wantErr: "the attributes are a JSON string, want an object"},
		{name: "duplicate name", json: `{"email_verified":"false","email_verified":true}`, wantErr: "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got trigger.Attributes
			err := json.Unmarshal([]byte(tt.json), &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal error = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "street") {
					t.Errorf("error %q repeats a value", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !maps.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Unmarshal = %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestPreSignUpTakesBooleanAttributes runs an event whose attributes
// carry JSON booleans and numbers through the adapter: the handler sees
// their string forms, and the event goes back as it came.
func TestPreSignUpTakesBooleanAttributes(t *testing.T) {
	in := triggertest.Load(t, preSignUpFixture)
	in = []byte(strings.Replace(string(in), `"userAttributes": {`, `"userAttributes": {"email_verified": true, "custom:age": 42, `, 1))
	var seen trigger.Attributes
	h := trigger.PreSignUp(func(_ context.Context, ev *trigger.PreSignUpEvent) error {
		seen = ev.Request.UserAttributes
		return nil
	})
	out, err := triggertest.Invoke(h, in)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if seen["email_verified"] != "true" || seen["custom:age"] != "42" {
		t.Errorf("the handler saw email_verified %q, custom:age %q; want \"true\" and \"42\"", seen["email_verified"], seen["custom:age"])
	}
	triggertest.AssertEqual(t, out, in)
}
