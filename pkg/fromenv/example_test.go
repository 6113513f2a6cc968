package fromenv_test

import (
	"fmt"
	"log/slog"

	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// A program keeps one list of options for several builders, such as
// signup.FromEnv and message.FromEnv. A builder reads them with Apply,
// takes the owned options of its own package, and refuses the others
// with NotTaken.
func Example() {
	quiet := trigger.WithLogger(slog.New(slog.DiscardHandler))
	opts := []fromenv.Option{
		fromenv.WithTriggerOptions(quiet),
		fromenv.Own("passwordless.WithClock", "a clock"), // as passwordless.WithClock does
	}

	s := fromenv.Apply(opts)
	fmt.Println(len(s.TriggerOptions), "trigger option")
	for _, o := range s.Own {
		fmt.Println(fromenv.NotTaken("signup.FromEnv", o))
	}
	// Output:
	// 1 trigger option
	// signup.FromEnv does not take passwordless.WithClock: leave it out of the options of signup.FromEnv, and give it only to the builders its documentation names
}
