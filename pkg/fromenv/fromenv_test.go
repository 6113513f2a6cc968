package fromenv_test

import (
	"log/slog"
	"reflect"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// ownOption is an option of a package of its own, with its own method.
type ownOption string

func (o ownOption) ApplyFromEnv(s *fromenv.Settings) {
	fromenv.Own("own.Option", o).ApplyFromEnv(s)
}

// Apply records every option in order: the trigger options of all
// WithTriggerOptions in one list, the owned options in another.
func TestApply(t *testing.T) {
	logger := trigger.WithLogger(slog.New(slog.DiscardHandler))
	noMiddleware := trigger.WithMiddleware()
	tests := []struct {
		name        string
		opts        []fromenv.Option
		wantTrigger int
		wantOwn     []fromenv.Owned
	}{
		{name: "no options"},
		{name: "trigger options only", opts: []fromenv.Option{fromenv.WithTriggerOptions(logger), fromenv.WithTriggerOptions(noMiddleware)}, wantTrigger: 2},
		{name: "an empty WithTriggerOptions adds nothing", opts: []fromenv.Option{fromenv.WithTriggerOptions()}},
		{
			name:        "owned options keep their order",
			opts:        []fromenv.Option{fromenv.Own("a.WithX", 1), fromenv.WithTriggerOptions(logger), ownOption("b"), fromenv.Own("a.WithX", 2)},
			wantTrigger: 1,
			wantOwn:     []fromenv.Owned{{Name: "a.WithX", Value: 1}, {Name: "own.Option", Value: ownOption("b")}, {Name: "a.WithX", Value: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fromenv.Apply(tt.opts)
			if got := len(s.TriggerOptions); got != tt.wantTrigger {
				t.Errorf("%d trigger options, want %d", got, tt.wantTrigger)
			}
			if !reflect.DeepEqual(s.Own, tt.wantOwn) {
				t.Errorf("Own = %v, want %v", s.Own, tt.wantOwn)
			}
		})
	}
}

// The error of NotTaken names the builder and the option, and says what
// to do.
func TestNotTaken(t *testing.T) {
	tests := []struct {
		builder string
		option  fromenv.Owned
		want    string
	}{
		{
			builder: "signup.FromEnv",
			option:  fromenv.Owned{Name: "passwordless.WithClock"},
			want:    "signup.FromEnv does not take passwordless.WithClock: leave it out of the options of signup.FromEnv, and give it only to the builders its documentation names",
		},
		{
			builder: "claims.FromEnv",
			option:  fromenv.Owned{Name: "awsenv.WithConfig"},
			want:    "claims.FromEnv does not take awsenv.WithConfig: leave it out of the options of claims.FromEnv, and give it only to the builders its documentation names",
		},
	}
	for _, tt := range tests {
		t.Run(tt.builder+" "+tt.option.Name, func(t *testing.T) {
			if got := fromenv.NotTaken(tt.builder, tt.option).Error(); got != tt.want {
				t.Errorf("NotTaken = %q, want %q", got, tt.want)
			}
		})
	}
}
