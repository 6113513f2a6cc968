package passwordless_test

import (
	"fmt"

	"github.com/cognitrig/cognitrig/pkg/passwordless"
)

// Every wrong variable is named, whichever of the three functions reads
// the environment: here SEND_THROTTLE_TABLE, which only create uses,
// stops define and verify too.
func ExampleConfigFromEnv() {
	env := map[string]string{"OTP_LENGTH": "4", "SEND_THROTTLE_TABLE": "x"}
	_, err := passwordless.ConfigFromEnv(func(k string) string { return env[k] })
	fmt.Println(err)
	// Output:
	// OTP_LENGTH="4" is out of range; use 6 to 10 digits
	// SEND_THROTTLE_TABLE: table name "x" has 1 characters; DynamoDB table names have 3 to 255
}
