// Package awsbuild holds what the builders of the shipped functions that
// call AWS services (signup.FromEnv, groups.FromEnv,
// emailsender.FromEnv, passwordless.CreateFromEnv, ...) share:
// the AWS SDK configuration the option awsenv.WithConfig gives, or else
// the one of the function's environment.
package awsbuild

import (
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
)

// IsConfig reports whether o is an awsenv.WithConfig option, which the
// builders that call AWS services take.
func IsConfig(o fromenv.Owned) bool {
	_, ok := o.Value.(*aws.Config)
	return ok
}

// Config returns the configuration of the last awsenv.WithConfig option
// of own, or else, when there is none, the configuration awsenv.Load reads
// from getenv (AWS_REGION, AWS_ENDPOINT_URL and the Lambda role's
// credentials). It makes no network call.
func Config(own []fromenv.Owned, getenv func(string) string) (aws.Config, error) {
	for _, o := range slices.Backward(own) {
		if cfg, ok := o.Value.(*aws.Config); ok {
			return *cfg, nil
		}
	}
	cfg, err := awsenv.Load(getenv)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load the AWS SDK configuration: %w", err)
	}
	return cfg, nil
}
