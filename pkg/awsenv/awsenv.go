// Package awsenv builds the AWS SDK configuration of a Lambda function from
// its environment alone.
//
// A Lambda function gets its region and its role's credentials in
// environment variables. The SDK's general loader (config.LoadDefaultConfig)
// also reads shared config files and links the SSO, SSO-OIDC, STS and
// sign-in clients and the EC2 instance metadata client for credential
// sources a function never uses: about 1.5 MB of binary and a millisecond
// of package initialization on every cold start. [Load] reads what a
// function (and the local tools: sam local, the Runtime Interface
// Emulator, moto_server) actually sets:
//
//   - AWS_REGION, or AWS_DEFAULT_REGION;
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or,
//     without them, container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
//     or AWS_CONTAINER_CREDENTIALS_FULL_URI, with
//     AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or
//     AWS_CONTAINER_AUTHORIZATION_TOKEN), fetched on first use;
//     without any of them the function still starts, and every call that
//     needs credentials fails with [ErrNoCredentials], naming the variables
//     to set (and the shared credentials file, when there is one, that a
//     function does not read);
//   - AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (the service's SDK ID
//     in capitals, spaces as underscores: AWS_ENDPOINT_URL_SESV2,
//     AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER), unless
//     AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true;
//   - AWS_MAX_ATTEMPTS and AWS_RETRY_MODE;
//   - AWS_SDK_UA_APP_ID.
//
// Everything else (HTTP client, timeouts, checksums, user agent) is what
// the service clients default to; SDK warnings go to standard error, as
// with the general loader. Load reads no file and makes no network call.
// Shared files (~/.aws/credentials, ~/.aws/config, AWS_PROFILE) are never
// read: a Lambda function has none, and reading them is the general
// loader's job. Run locally, export a profile's credentials into the
// environment instead: eval "$(aws configure export-credentials --format env)".
// Command-line tools, which need profiles and SSO, keep
// config.LoadDefaultConfig.
package awsenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/smithy-go/logging"
)

// The variables Load reads.
const (
	envRegion             = "AWS_REGION"
	envDefaultRegion      = "AWS_DEFAULT_REGION"
	envAccessKeyID        = "AWS_ACCESS_KEY_ID"
	envSecretAccessKey    = "AWS_SECRET_ACCESS_KEY"
	envSessionToken       = "AWS_SESSION_TOKEN"
	envContainerFullURI   = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerRelURI    = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	envContainerToken     = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	envContainerTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	envEndpointURL        = "AWS_ENDPOINT_URL"
	envIgnoreEndpoints    = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
	envMaxAttempts        = "AWS_MAX_ATTEMPTS"
	envRetryMode          = "AWS_RETRY_MODE"
	envAppID              = "AWS_SDK_UA_APP_ID"
	// Read only to explain ErrNoCredentials: the files of the CLI and of
	// the general loader.
	envSharedCredentials = "AWS_SHARED_CREDENTIALS_FILE"
	envProfile           = "AWS_PROFILE"
	envHome              = "HOME"
)

// ErrNoCredentials is wrapped by the error of every call that needs
// credentials when the environment gives none. Load does not fail without
// them, so that a function whose event needs no AWS call runs; the error
// of a call that needs them names the variables to set.
var ErrNoCredentials = errors.New("no credentials")

// containerHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points.
const containerHost = "http://169.254.170.2"

// containerExpiryWindow is how long before they expire container
// credentials are fetched again, as the SDK's loader does.
const containerExpiryWindow = 5 * time.Minute

// Load returns the AWS SDK configuration of a Lambda function, read from
// getenv (os.Getenv in a main). Every problem is reported, each naming its
// variable. Missing credentials are not a problem for Load: the calls that
// need them fail, with an error wrapping [ErrNoCredentials].
//
// The service clients also look at the process environment for
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> when they are built (a
// service variable set in the process wins over AWS_ENDPOINT_URL, one set
// only in getenv does not), so getenv must agree with the process
// environment on those: os.Getenv does.
func Load(getenv func(string) string) (aws.Config, error) {
	cfg := aws.Config{
		// What the general loader sets too: the clients default to
		// dropping the SDK's warnings.
		Logger: logging.NewStandardLogger(os.Stderr),
		AppID:  getenv(envAppID),
	}
	var errs []error

	cfg.Region = getenv(envRegion)
	if cfg.Region == "" {
		cfg.Region = getenv(envDefaultRegion)
	}
	if cfg.Region == "" {
		errs = append(errs, fmt.Errorf("neither %s nor %s is set: Lambda sets %s; set it to the function's region when running elsewhere", envRegion, envDefaultRegion, envRegion))
	}

	creds, err := credentialsFrom(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	cfg.Credentials = creds

	ignore, err := parseBool(getenv, envIgnoreEndpoints)
	if err != nil {
		errs = append(errs, err)
	}
	if !ignore {
		if u := getenv(envEndpointURL); u != "" {
			if err := checkURL(envEndpointURL, u); err != nil {
				errs = append(errs, err)
			}
			cfg.BaseEndpoint = aws.String(u)
		}
		se := serviceEndpoints(getenv)
		if err := se.check(); err != nil {
			errs = append(errs, err)
		}
		cfg.ConfigSources = []any{se}
	}

	if v := getenv(envMaxAttempts); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("%s=%q is not a positive integer: set the number of attempts of each call, first one included (the SDK's default is 3)", envMaxAttempts, v))
		}
		cfg.RetryMaxAttempts = n
	}
	if v := getenv(envRetryMode); v != "" {
		mode, err := aws.ParseRetryMode(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a retry mode: set standard or adaptive", envRetryMode, v))
		}
		cfg.RetryMode = mode
	}

	if err := errors.Join(errs...); err != nil {
		return aws.Config{}, err
	}
	return cfg, nil
}

// credentialsFrom returns the credentials the environment gives: the key
// pair, else the container endpoint, else a provider that fails with
// ErrNoCredentials.
func credentialsFrom(getenv func(string) string) (aws.CredentialsProvider, error) {
	id, secret := getenv(envAccessKeyID), getenv(envSecretAccessKey)
	switch {
	case id != "" && secret != "":
		// Static credentials need no cache: Retrieve returns them.
		return credentials.NewStaticCredentialsProvider(id, secret, getenv(envSessionToken)), nil
	case id != "":
		return nil, fmt.Errorf("%s is set but %s is not: set both, or neither", envAccessKeyID, envSecretAccessKey)
	case secret != "":
		return nil, fmt.Errorf("%s is set but %s is not: set both, or neither", envSecretAccessKey, envAccessKeyID)
	}

	// The relative URI wins, as in the SDK's loader.
	name, endpoint := envContainerRelURI, getenv(envContainerRelURI)
	if endpoint != "" {
		endpoint = containerHost + endpoint
	} else {
		name, endpoint = envContainerFullURI, getenv(envContainerFullURI)
	}
	if endpoint == "" {
		return noCredentials{sharedFile: sharedCredentialsFile(getenv), profile: getenv(envProfile)}, nil
	}
	if err := checkContainerURL(name, endpoint); err != nil {
		return nil, err
	}
	token, tokenFile := getenv(envContainerToken), getenv(envContainerTokenFile)
	provider := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		o.AuthorizationToken = token
		if tokenFile != "" {
			// The file wins over the variable, and is read on every
			// fetch: it is rotated.
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", fmt.Errorf("read the container authorization token of %s: %w", envContainerTokenFile, err)
				}
				return strings.TrimSpace(string(b)), nil
			})
		}
	})
	return aws.NewCredentialsCache(provider, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = containerExpiryWindow
	}), nil
}

// sharedCredentialsFile returns the shared credentials file the AWS CLI
// would read: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials; "" when
// neither is known.
func sharedCredentialsFile(getenv func(string) string) string {
	if f := getenv(envSharedCredentials); f != "" {
		return f
	}
	if home := getenv(envHome); home != "" {
		return filepath.Join(home, ".aws", "credentials")
	}
	return ""
}

// noCredentials is the credentials provider of an environment without
// credentials: every Retrieve fails with ErrNoCredentials. It looks for the
// shared credentials file only then, to say that it is not read: a
// function that makes no call pays nothing.
type noCredentials struct {
	sharedFile string // see sharedCredentialsFile
	profile    string // AWS_PROFILE
}

// Retrieve returns an error wrapping ErrNoCredentials that says what to
// set.
func (p noCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	msg := fmt.Sprintf("%s and %s are not set (a Lambda function always has them, from its role): set them, or %s or %s for a container credentials endpoint",
		envAccessKeyID, envSecretAccessKey, envContainerFullURI, envContainerRelURI)
	var unread []string
	if p.sharedFile != "" {
		if info, err := os.Stat(p.sharedFile); err == nil && info.Mode().IsRegular() {
			unread = append(unread, "the shared credentials file "+p.sharedFile)
		}
	}
	if p.profile != "" {
		unread = append(unread, fmt.Sprintf("%s=%q", envProfile, p.profile))
	}
	if len(unread) > 0 {
		verb := "is"
		if len(unread) > 1 {
			verb = "are"
		}
		msg += fmt.Sprintf("; %s %s not read: a Lambda function gets its credentials from its environment only, so the functions read no file (the SDK's loader that does would slow every cold start); export them into the environment, for instance with eval \"$(aws configure export-credentials --format env)\"",
			strings.Join(unread, " and "), verb)
	}
	return aws.Credentials{}, fmt.Errorf("%w: %s", ErrNoCredentials, msg)
}

// checkContainerURL checks the container credentials endpoint in variable
// name: https, or http to this host or to the ECS or EKS credentials
// address only, since the authorization token goes with the request.
// Host names other than localhost are refused over http: checking them
// would need a DNS lookup.
func checkContainerURL(name, v string) error {
	if err := checkURL(name, v); err != nil {
		return err
	}
	u, _ := url.Parse(v)
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && (ip.IsLoopback() || slices.ContainsFunc(containerIPs(), ip.Equal)) {
		return nil
	}
	return fmt.Errorf("%s=%q: over http, the container credentials endpoint must be on a loopback address or the ECS or EKS credentials address (169.254.170.2, 169.254.170.23, fd00:ec2::23); use https for any other host", name, v)
}

// containerIPs returns the addresses of the ECS and EKS credentials
// endpoints.
func containerIPs() []net.IP {
	return []net.IP{net.ParseIP("169.254.170.2"), net.ParseIP("169.254.170.23"), net.ParseIP("fd00:ec2::23")}
}

// checkURL checks that variable name holds an absolute http(s) URL.
func checkURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q is not an http or https URL: set it to a URL such as http://127.0.0.1:5000", name, v)
	}
	return nil
}

// parseBool reads the boolean variable name: unset is false.
func parseBool(getenv func(string) string, name string) (bool, error) {
	switch v := getenv(name); strings.ToLower(v) {
	case "":
		return false, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, fmt.Errorf("%s=%q: set true or false", name, v)
	}
}

// serviceEndpoints gives each SDK client the endpoint of its
// AWS_ENDPOINT_URL_<SERVICE> variable: a client looks in
// aws.Config.ConfigSources for a value with a GetServiceBaseEndpoint
// method when it is built.
type serviceEndpoints func(string) string

// checkedServices are the SDK IDs of the clients the functions of this
// module build, whose variables Load checks even when getenv is not
// os.Getenv.
func checkedServices() []string {
	return []string{"Cognito Identity Provider", "DynamoDB", "KMS", "Lambda", "SESv2", "SNS"}
}

// check reports the malformed AWS_ENDPOINT_URL_<SERVICE> variables, of
// the services of checkedServices and of every such variable in the
// process environment. The clients ignore an error of
// GetServiceBaseEndpoint and fall back to the service's AWS endpoint, so
// Load has to report it.
func (getenv serviceEndpoints) check() error {
	var names []string
	for _, id := range checkedServices() {
		names = append(names, serviceVariable(id))
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, envEndpointURL+"_") && !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var errs []error
	for _, name := range names {
		if v := getenv(name); v != "" {
			if err := checkURL(name, v); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// GetServiceBaseEndpoint returns the endpoint set for the service whose SDK
// ID is sdkID ("SESv2", "DynamoDB", "Cognito Identity Provider"). A value
// Load has not checked is returned as it is: the client then fails on its
// calls instead of falling back to the service's AWS endpoint.
func (getenv serviceEndpoints) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v := getenv(serviceVariable(sdkID))
	return v, v != "", nil
}

// serviceVariable returns the name of the endpoint variable of the service
// whose SDK ID is sdkID: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER.
func serviceVariable(sdkID string) string {
	return envEndpointURL + "_" + strings.ReplaceAll(strings.ToUpper(sdkID), " ", "_")
}
