package passwordlesscore_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/envvar"
	"github.com/cognitrig/cognitrig/internal/passwordlesscore"
)

func TestCheckSecretID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr string // in the error; "" when it must pass
	}{
		{name: "full ARN, as CloudFormation gives it", id: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:TriggersDecoyKey1A2B3C4D-AbCdEf"},
		{name: "ARN in another partition", id: "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:decoy-AbCdEf"},
		{name: "ARN of a name with a path", id: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cognitrig/prod/decoy-key"},
		{name: "name", id: "cognitrig/decoy-key"},
		{name: "name with every allowed sign", id: "a/b_c+d=e.f@g-h"},
		{name: "name of 512 characters", id: strings.Repeat("a", 512)},
		{name: "empty", id: "", wantErr: "is empty"},
		{name: "name too long", id: strings.Repeat("a", 513), wantErr: "more than 512"},
		{name: "name with a space", id: "decoy key", wantErr: "letters, digits and /_+=.@-"},
		{name: "a CDK token left unresolved", id: "${Token[TOKEN.123]}", wantErr: "letters, digits"},
		{name: "ARN cut short", id: "arn:aws:secretsmanager:eu-west-1:123456789012", wantErr: "7 parts"},
		{name: "ARN of a KMS key", id: "arn:aws:kms:eu-west-1:123456789012:key/0000", wantErr: `"kms" resource`},
		{name: "ARN without region", id: "arn:aws:secretsmanager::123456789012:secret:x", wantErr: "region"},
		{name: "ARN with a short account", id: "arn:aws:secretsmanager:eu-west-1:1234:secret:x", wantErr: "12 digits"},
		{name: "ARN without partition", id: "arn::secretsmanager:eu-west-1:123456789012:secret:x", wantErr: "partition"},
		{name: "ARN of something else", id: "arn:aws:secretsmanager:eu-west-1:123456789012:policy:x", wantErr: "resource type"},
		{name: "ARN without name", id: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:", wantErr: "name is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := passwordlesscore.CheckSecretID(tt.id)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckSecretID: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckSecretID error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// The secret holds the key in the form of DECOY_KEY; a final newline,
// which echo and editors add, does not count. No error repeats the value.
func TestParseDecoyKey(t *testing.T) {
	want := bytes.Repeat([]byte{0x0f}, 32)
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{name: "hex", in: strings.Repeat("0f", 32)},
		{name: "hex with a final newline", in: strings.Repeat("0f", 32) + "\n"},
		{name: "upper-case hex", in: strings.Repeat("0F", 32)},
		{name: "base64", in: "Dw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8="},
		{name: "base64 without padding", in: "Dw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8"},
		{name: "too short", in: "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", wantErr: "15 bytes"},
		{name: "a password, not a key", in: "correct horse battery staple!", wantErr: "not hex or base64"},
		{name: "JSON", in: `{"key":"` + strings.Repeat("0f", 32) + `"}`, wantErr: "not hex or base64"},
		{name: "empty", in: "", wantErr: "0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := passwordlesscore.ParseDecoyKey(tt.in)
			if tt.wantErr == "" {
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("ParseDecoyKey = %d bytes, %v; want the 32 bytes of the key", len(got), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseDecoyKey error = %v, want one containing %q", err, tt.wantErr)
			}
			if tt.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Error("the error repeats the value")
			}
		})
	}
}

// A contradiction about the key names both variables, so that the CDK
// construct names the props that set each.
func TestDecoyKeyContradictionsNameBothVariables(t *testing.T) {
	env := map[string]string{"DECOY_KEY": strings.Repeat("0f", 16), "DECOY_KEY_SECRET_ARN": "decoy-key"}
	_, err := passwordlesscore.ConfigFromEnv(func(k string) string { return env[k] })
	named := envvar.Names(err)
	if !slices.Contains(named, "DECOY_KEY") || !slices.Contains(named, "DECOY_KEY_SECRET_ARN") {
		t.Errorf("ConfigFromEnv error %v names %v, want DECOY_KEY and DECOY_KEY_SECRET_ARN", err, named)
	}
}
