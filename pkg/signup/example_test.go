package signup_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/cognitrig/cognitrig/pkg/signup"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// A pre sign-up trigger that refuses a throwaway-mail domain and confirms
// a partner's users at once, configured the way the function's main reads
// its environment. In a main, pass the trigger.Handler to lambda.Start.
func ExampleHandler() {
	env := map[string]string{
		signup.EnvBlockedEmailDomains:     "throwaway.example.org",
		signup.EnvAutoConfirmEmailDomains: "example.com",
	}
	policy, err := signup.PolicyFromEnv(func(k string) string { return env[k] })
	if err != nil {
		fmt.Println("bad configuration:", err)
		return
	}
	fn, err := signup.Handler(policy, nil) // no Linker: linking is off
	if err != nil {
		fmt.Println(err)
		return
	}
	h := trigger.PreSignUp(fn, trigger.WithLogger(trigger.NewLogger(io.Discard, slog.LevelInfo)))

	for _, name := range []string{"PreSignUp_SignUp.blocked-domain.json", "PreSignUp_SignUp.json"} {
		event, _ := os.ReadFile("../../events/presignup/" + name)
		out, err := triggertest.Invoke(h, event)
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		ok, _ := triggertest.Equivalent(out, event)
		fmt.Println("accepted, response changed:", !ok)
	}
	// Output:
	// refused: Sign-up with this email address is not allowed.
	// accepted, response changed: true
}

// The provider of a federated userName is found among the pool's real
// provider names, so that a name with an underscore splits right.
func ExampleSplitUserName() {
	pool := []string{"Google", "My_Corp"}
	for _, userName := range []string{"Google_1234", "My_Corp_jane.doe", "Facebook_10001", "Acme_1"} {
		id, err := signup.SplitUserName(userName, pool)
		fmt.Printf("%s: %q %q %v\n", userName, id.Provider, id.Subject, err)
	}
	// Output:
	// Google_1234: "Google" "1234" <nil>
	// My_Corp_jane.doe: "My_Corp" "jane.doe" <nil>
	// Facebook_10001: "Facebook" "10001" <nil>
	// Acme_1: "" "" the user name starts with no identity provider name of the pool
}
