package buildtest

import (
	"errors"
	"maps"
	"testing"
)

func TestBuilt(t *testing.T) {
	if !Built(t, nil) || !Built(t, nil, "") {
		t.Error("Built(nil) = false, want true")
	}
	if Built(t, errors.New("no APP_NAME, no EMAIL_FROM"), "APP_NAME", "EMAIL_FROM") {
		t.Error("Built(error naming what is wanted) = true, want false")
	}
}

func TestEnv(t *testing.T) {
	got := Env("APP_NAME=Example  EMPTY= OTP_CHANNEL=sms")
	want := map[string]string{"APP_NAME": "Example", "EMPTY": "", "OTP_CHANNEL": "sms"}
	if !maps.Equal(got, want) {
		t.Errorf("Env = %v, want %v", got, want)
	}
}
