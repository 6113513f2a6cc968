package passwordlesscore

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultFlowConfig().Check(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigCheckNamesTheField(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*FlowConfig)
		want string
	}{
		{"short code", func(c *FlowConfig) { c.OTPLength = 5 }, "OTPLength 5 is out of range; use 6 to 10 digits"},
		{"long code", func(c *FlowConfig) { c.OTPLength = 11 }, "OTPLength 11"},
		{"no ttl", func(c *FlowConfig) { c.TTL = 0 }, "TTL 0s is out of range; use 1m0s to 15m0s"},
		{"ttl beyond a session", func(c *FlowConfig) { c.TTL = 16 * time.Minute }, "TTL 16m0s"},
		{"no attempts", func(c *FlowConfig) { c.MaxAttempts = 0 }, "MaxAttempts 0 is out of range; use 1 to 10"},
		{"many attempts", func(c *FlowConfig) { c.MaxAttempts = 11 }, "MaxAttempts 11"},
		{"negative resends", func(c *FlowConfig) { c.MaxResends = -1 }, "MaxResends -1 is out of range; use 0 to 10"},
		{"many resends", func(c *FlowConfig) { c.MaxResends = 11 }, "MaxResends 11"},
		{"no channel", func(c *FlowConfig) { c.Channel = "" }, `Channel: channel "" is not known; use email, sms or auto`},
		{"unknown channel", func(c *FlowConfig) { c.Channel = "fax" }, `channel "fax"`},
		{"short decoy key", func(c *FlowConfig) { c.DecoyKey = []byte("short") }, "DecoyKey has 5 bytes; use at least 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultFlowConfig()
			tt.mod(&cfg)
			err := cfg.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if _, err := New(cfg); err == nil || !strings.HasPrefix(err.Error(), "authflow: ") {
				t.Errorf("New: got %v, want an error prefixed authflow", err)
			}
		})
	}
}

func TestConfigCheckReportsEveryField(t *testing.T) {
	err := FlowConfig{}.Check()
	for _, field := range []string{"OTPLength", "TTL", "MaxAttempts", "Channel"} {
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("zero FlowConfig: got %v, want it to name %s", err, field)
		}
	}
}

func TestConfigLimitsAreAccepted(t *testing.T) {
	for _, mod := range []func(*FlowConfig){
		func(c *FlowConfig) { c.OTPLength, c.TTL, c.MaxAttempts, c.MaxResends = 6, MinTTL, 1, 0 },
		func(c *FlowConfig) {
			c.OTPLength, c.TTL, c.MaxAttempts, c.MaxResends = 10, MaxTTL, MaxAttemptsLimit, MaxResendsLimit
		},
		func(c *FlowConfig) { c.Channel, c.RequirePassword, c.MagicLink = ChannelEmail, true, true },
		func(c *FlowConfig) { c.Channel, c.DecoyKey = ChannelSMS, make([]byte, 16) },
	} {
		cfg := DefaultFlowConfig()
		mod(&cfg)
		if err := cfg.Check(); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}

func TestParseChannel(t *testing.T) {
	for _, s := range []string{"email", "sms", "auto"} {
		if got, err := ParseChannel(s); err != nil || string(got) != s {
			t.Errorf("ParseChannel(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "EMAIL", "Sms", " auto", "phone"} {
		if _, err := ParseChannel(s); err == nil {
			t.Errorf("ParseChannel(%q) accepted", s)
		}
	}
}

func TestNewKeepsItsOwnDecoyKey(t *testing.T) {
	key := []byte("0123456789abcdef")
	cfg := DefaultFlowConfig()
	cfg.DecoyKey = key
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	before := f.decoyDestination("someone", ChannelEmail)
	key[0] = 'X'
	if after := f.decoyDestination("someone", ChannelEmail); after != before {
		t.Errorf("changing the caller's key changed the flow's decoys: %q then %q", before, after)
	}
	if got := f.Config(); string(got.DecoyKey) != "0123456789abcdef" {
		t.Errorf("Config().DecoyKey = %q", got.DecoyKey)
	}
}
