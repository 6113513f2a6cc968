package awsenv_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
)

// A function's main builds its AWS configuration once, from os.Getenv;
// here from a map, as for a local run against an emulator on this
// machine. Load calls nothing: the endpoint is only where the service
// clients built from cfg will send their requests.
func ExampleLoad() {
	env := map[string]string{
		"AWS_REGION":       "eu-west-1",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
		"AWS_MAX_ATTEMPTS": "2",
	}
	cfg, err := awsenv.Load(func(k string) string { return env[k] })
	if err != nil {
		fmt.Println("bad configuration:", err)
		return
	}
	fmt.Println("region:", cfg.Region)
	fmt.Println("endpoint:", aws.ToString(cfg.BaseEndpoint))
	fmt.Println("attempts:", cfg.RetryMaxAttempts)

	// Without credentials in the environment the function still starts;
	// a call that needs them fails.
	_, err = cfg.Credentials.Retrieve(context.Background())
	fmt.Println("no credentials:", errors.Is(err, awsenv.ErrNoCredentials))
	// Output:
	// region: eu-west-1
	// endpoint: http://127.0.0.1:5000
	// attempts: 2
	// no credentials: true
}

// Load reports every wrong variable at once, each by its name, so that
// the function fails at start-up with a message that says what to fix.
func ExampleLoad_invalid() {
	env := map[string]string{
		"AWS_ENDPOINT_URL": "127.0.0.1:5000",
		"AWS_RETRY_MODE":   "sometimes",
	}
	_, err := awsenv.Load(func(k string) string { return env[k] })
	fmt.Println(err)
	// Output:
	// neither AWS_REGION nor AWS_DEFAULT_REGION is set: Lambda sets AWS_REGION; set it to the function's region when running elsewhere
	// AWS_ENDPOINT_URL="127.0.0.1:5000" is not an http or https URL: set it to a URL such as http://127.0.0.1:5000
	// AWS_RETRY_MODE="sometimes" is not a retry mode: set standard or adaptive
}
