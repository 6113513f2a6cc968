// Package awsenv builds the AWS SDK configuration of a Lambda function from
// its environment alone.
//
// A Lambda function gets its region and its role's credentials in
// environment variables. The SDK's general loader (config.LoadDefaultConfig)
// also reads shared config files and links the SSO, SSO-OIDC, STS and
// sign-in clients for credential sources a function never uses: about
// 1.5 MB of binary and a millisecond of package initialization on every
// cold start. [Load] reads what a function (and the local tools: sam local,
// the Runtime Interface Emulator, moto_server) actually sets:
//
//   - AWS_REGION, or AWS_DEFAULT_REGION;
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or,
//     without them, container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI
//     or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, with
//     AWS_CONTAINER_AUTHORIZATION_TOKEN or
//     AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), fetched on first use;
//   - AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (the service's SDK ID
//     in capitals, spaces as underscores: AWS_ENDPOINT_URL_SESV2), unless
//     AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true;
//   - AWS_MAX_ATTEMPTS and AWS_RETRY_MODE.
//
// It reads no file and makes no network call. Command-line tools, which
// need profiles and SSO, keep config.LoadDefaultConfig.
package awsenv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// containerHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points.
const containerHost = "http://169.254.170.2"

// Load returns the AWS SDK configuration of a Lambda function, read from
// getenv. Every problem is reported, each naming its variable.
func Load(getenv func(string) string) (aws.Config, error) {
	var cfg aws.Config
	var errs []error

	cfg.Region = getenv("AWS_REGION")
	if cfg.Region == "" {
		cfg.Region = getenv("AWS_DEFAULT_REGION")
	}
	if cfg.Region == "" {
		errs = append(errs, errors.New("neither AWS_REGION nor AWS_DEFAULT_REGION is set; Lambda sets AWS_REGION, set it when running elsewhere"))
	}

	creds, err := credentialsFrom(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	cfg.Credentials = creds

	if !strings.EqualFold(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		if u := getenv("AWS_ENDPOINT_URL"); u != "" {
			if err := checkURL("AWS_ENDPOINT_URL", u); err != nil {
				errs = append(errs, err)
			}
			cfg.BaseEndpoint = aws.String(u)
		}
		cfg.ConfigSources = []any{serviceEndpoints(getenv)}
	}

	if v := getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("AWS_MAX_ATTEMPTS=%q is not a positive integer", v))
		}
		cfg.RetryMaxAttempts = n
	}
	if v := getenv("AWS_RETRY_MODE"); v != "" {
		mode, err := aws.ParseRetryMode(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("AWS_RETRY_MODE=%q: want standard or adaptive", v))
		}
		cfg.RetryMode = mode
	}
	if err := errors.Join(errs...); err != nil {
		return aws.Config{}, err
	}
	return cfg, nil
}

// credentialsFrom returns the credentials the environment gives.
func credentialsFrom(getenv func(string) string) (aws.CredentialsProvider, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id != "" && secret != "":
		return credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN")), nil
	case id != "":
		return nil, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both")
	case secret != "":
		return nil, errors.New("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both")
	}

	endpoint := getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	name := "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	if rel := getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint, name = containerHost+rel, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	}
	if endpoint == "" {
		return nil, errors.New("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Lambda sets them from the function's role), or AWS_CONTAINER_CREDENTIALS_FULL_URI")
	}
	if err := checkURL(name, endpoint); err != nil {
		return nil, err
	}
	token, tokenFile := getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"), getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	provider := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		o.AuthorizationToken = token
		if tokenFile != "" {
			// Read on every fetch: the file is rotated.
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", fmt.Errorf("read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
				}
				return strings.TrimSpace(string(b)), nil
			})
		}
	})
	return aws.NewCredentialsCache(provider), nil
}

// checkURL checks that the variable name holds an absolute http(s) URL.
func checkURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q is not an http or https URL", name, v)
	}
	return nil
}

// serviceEndpoints gives each SDK client the endpoint of its
// AWS_ENDPOINT_URL_<SERVICE> variable: the clients look in
// aws.Config.ConfigSources for a value with this method.
type serviceEndpoints func(string) string

// GetServiceBaseEndpoint returns the endpoint set for the service whose SDK
// ID is sdkID ("SESv2", "DynamoDB", "Cognito Identity Provider").
func (getenv serviceEndpoints) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	name := "AWS_ENDPOINT_URL_" + strings.ReplaceAll(strings.ToUpper(sdkID), " ", "_")
	v := getenv(name)
	if v == "" {
		return "", false, nil
	}
	if err := checkURL(name, v); err != nil {
		return "", false, err
	}
	return v, true, nil
}
