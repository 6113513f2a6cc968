// Package awsbuild holds what the builders of the shipped functions that
// call AWS services (signup.FromEnv, groups.FromEnv,
// customsender.EmailFromEnv, passwordless.CreateFromEnv, ...) share:
// the AWS SDK configuration their WithAWSConfig option gives, or else
// the one of the function's environment.
package awsbuild

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/pkg/awsenv"
)

// Config returns *given, or else, when given is nil, the configuration
// awsenv.Load reads from getenv (AWS_REGION, AWS_ENDPOINT_URL and the
// Lambda role's credentials). It makes no network call.
func Config(given *aws.Config, getenv func(string) string) (aws.Config, error) {
	if given != nil {
		return *given, nil
	}
	cfg, err := awsenv.Load(getenv)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load the AWS SDK configuration: %w", err)
	}
	return cfg, nil
}

// Cognito returns a cognito-idp client built from the configuration of
// [Config].
func Cognito(given *aws.Config, getenv func(string) string) (*cip.Client, error) {
	cfg, err := Config(given, getenv)
	if err != nil {
		return nil, err
	}
	return cip.NewFromConfig(cfg), nil
}
