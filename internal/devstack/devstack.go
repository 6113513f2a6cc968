// Package devstack runs the whole system on one machine, with no AWS
// account and no Docker: moto_server for SES v2, SNS, KMS and DynamoDB; a
// local Lambda endpoint (package lambdaserver) serving every trigger as
// its real bootstrap under the Runtime Interface Emulator; and
// cognito-local for the user-pool API, its triggers pointed at that
// endpoint, with a user pool and an app client made. It is what
// `make local`, `make demo` and the end-to-end test start.
//
// All servers bind 127.0.0.1. Stack.Close stops every one of them; the
// child processes also stop when the calling process dies (Linux).
package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/authfront"
	"github.com/cognitrig/cognitrig/internal/cognitolocal"
	"github.com/cognitrig/cognitrig/internal/lambdaserver"
	"github.com/cognitrig/cognitrig/internal/moto"
	"github.com/cognitrig/cognitrig/internal/rie"
	"github.com/cognitrig/cognitrig/pkg/throttle"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// Settings of the local stack that the functions and the demonstration
// share.
const (
	Region        = "us-east-1"
	AppName       = "cognitrig local"
	Sender        = "no-reply@example.com"
	ThrottleTable = "cognitrig-local-send-throttle"
	// DecoyKeySecret is the secret in moto_server that holds createauth's
	// decoy key (DECOY_KEY_SECRET_ARN takes a name too), made with a new
	// key at every start, as the construct keeps it in Secrets Manager.
	DecoyKeySecret = "cognitrig-local/decoy-key"
	// BlockedDomain is the email domain the pre sign-up policy refuses,
	// and AllowedDomain one whose users it confirms at once.
	BlockedDomain = "blocked.example"
	AllowedDomain = "example.com"
	// PoolName and ClientName name what Start makes in cognito-local;
	// DefaultGroup is the group post confirmation adds users to.
	PoolName     = "cognitrig-local"
	ClientName   = "cognitrig-local-client"
	DefaultGroup = "users"
	// TenantClaim is the ID-token claim pre token generation copies from
	// the custom:tenant attribute.
	TenantClaim = "tenant_id"
	// SignInPath is the page of the user-pool endpoint that magic links
	// open: MAGIC_LINK_URL is the endpoint's address with it.
	SignInPath = "/sign-in"
)

// Function is one trigger of the stack: the directory under triggers/
// holding its main, the trigger it serves, and its environment beyond the
// stack's AWS settings, in which $COGNITO_URL stands for the user-pool
// endpoint. With CallsPool its SDK's cognito-idp calls go to the user-pool
// endpoint rather than moto_server.
type Function struct {
	Name      string
	Trigger   trigger.Kind
	Env       map[string]string
	CallsPool bool
}

// EnvAt returns the function's environment for a stack whose user-pool
// endpoint is cognitoURL.
func (fn Function) EnvAt(cognitoURL string) map[string]string {
	env := make(map[string]string, len(fn.Env))
	for k, v := range fn.Env {
		env[k] = strings.ReplaceAll(v, "$COGNITO_URL", cognitoURL)
	}
	return env
}

// cognitoLocalRuns are the triggers cognito-local runs itself, in the
// flows it serves; the front (package authfront) runs the custom-auth
// triggers, pre sign-up on AdminCreateUser and pre token generation after
// a passwordless sign-in. cognito-local's user migration and custom
// sender triggers are left out: an event answered unchanged, as for a
// pool that binds none, would stop its sign-ins or its messages.
var cognitoLocalRuns = []trigger.Kind{
	trigger.KindPreSignUp, trigger.KindCustomMessage, trigger.KindPostConfirmation,
	trigger.KindPreTokenGeneration, trigger.KindPostAuthentication,
}

// decoyKey returns 32 random bytes in hex, a DECOY_KEY.
func decoyKey() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Functions returns the functions of the stack, configured for the local
// demonstration.
func Functions() []Function {
	passwordless := map[string]string{"APP_NAME": AppName, "EMAIL_FROM": Sender, "SEND_THROTTLE_TABLE": ThrottleTable,
		"MAGIC_LINK_URL": "$COGNITO_URL" + SignInPath}
	// createauth alone reads the decoy key, from moto's Secrets Manager:
	// the stack's unknown users are decoys too.
	create := maps.Clone(passwordless)
	create["DECOY_KEY_SECRET_ARN"] = DecoyKeySecret
	return []Function{
		{Name: "presignup", Trigger: trigger.KindPreSignUp, Env: map[string]string{
			"BLOCKED_EMAIL_DOMAINS": BlockedDomain, "AUTO_CONFIRM_EMAIL_DOMAINS": AllowedDomain}},
		{Name: "custommessage", Trigger: trigger.KindCustomMessage, Env: map[string]string{"APP_NAME": AppName}},
		{Name: "postconfirmation", Trigger: trigger.KindPostConfirmation, Env: map[string]string{"DEFAULT_GROUP": DefaultGroup}, CallsPool: true},
		{Name: "pretoken", Trigger: trigger.KindPreTokenGeneration, Env: map[string]string{"ID_TOKEN_CLAIMS_FROM_ATTRIBUTES": "custom:tenant=" + TenantClaim}},
		{Name: "defineauth", Trigger: trigger.KindDefineAuthChallenge, Env: passwordless},
		{Name: "createauth", Trigger: trigger.KindCreateAuthChallenge, Env: create},
		{Name: "verifyauth", Trigger: trigger.KindVerifyAuthChallenge, Env: passwordless},
	}
}

// Config says where the stack's parts are and which ports they take.
type Config struct {
	// Root is the repository root: the module holding triggers/.
	Root string
	// Dir holds what the stack writes: the host builds of the functions,
	// cognito-local's configuration and data, the front's settings, and
	// the logs. It is created when missing. The pool, its app client and
	// its users are kept from one start to the next, unless Clean.
	Dir string
	// Clean starts with no pool, app client or user: a new pool.
	Clean bool
	// Emulator is the aws-lambda-rie executable; Tools is the folder of
	// the Node.js tools, with cognito-local installed (npm ci in tools/).
	Emulator, Tools string
	// MotoPort, LambdaPort and CognitoPort are the ports of 127.0.0.1 the
	// servers take; 0 picks free ones.
	MotoPort, LambdaPort, CognitoPort int
	// Code, when set, is the code cognito-local puts in every message it
	// sends (its CODE setting), for scripted runs.
	Code string
	// Functions are the functions to serve; nil means Functions().
	Functions []Function
}

// Stack is a running local stack.
type Stack struct {
	// MotoURL, LambdaURL and CognitoURL are the endpoints of the stack:
	// moto_server, the local Lambda endpoint and the user-pool API (the
	// front of package authfront, before cognito-local).
	MotoURL, LambdaURL, CognitoURL string
	// cognitoLocalURL is cognito-local's own address, behind the front.
	cognitoLocalURL string
	// mux routes the requests of CognitoURL.
	mux *http.ServeMux
	// UserPoolID and ClientID identify the pool and app client made in
	// cognito-local.
	UserPoolID, ClientID string
	// Logs is the folder of the logs: moto.log, functions.log and
	// cognito-local.log.
	Logs string

	closers []func() error
	once    sync.Once
	err     error
}

// Start builds the functions and starts the stack. On error, whatever
// was started is stopped again.
func Start(ctx context.Context, cfg Config) (*Stack, error) {
	st := &Stack{Logs: filepath.Join(cfg.Dir, "logs")}
	if err := st.start(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// start starts the parts of the stack in order, recording how to stop
// each.
func (st *Stack) start(ctx context.Context, cfg Config) error {
	if cfg.Functions == nil {
		cfg.Functions = Functions()
	}
	// The children run in other folders: make every path absolute.
	for _, p := range []*string{&cfg.Root, &cfg.Dir, &cfg.Emulator, &cfg.Tools} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	for _, p := range []struct {
		port int
		env  string
	}{{cfg.MotoPort, "MOTO_PORT"}, {cfg.LambdaPort, "LAMBDA_PORT"}, {cfg.CognitoPort, "COGNITO_PORT"}} {
		if p.port != 0 {
			if err := moto.CheckPort(p.port); err != nil {
				return fmt.Errorf("%w; for example %s=%d make local", err, p.env, p.port+1)
			}
		}
	}
	if err := cognitolocal.Installed(cfg.Tools); err != nil {
		return err
	}
	if err := os.MkdirAll(st.Logs, 0o755); err != nil {
		return err
	}
	fns, err := build(ctx, cfg)
	if err != nil {
		return err
	}

	motoLog, err := st.logFile("moto.log")
	if err != nil {
		return err
	}
	srv, err := moto.Start(ctx, cfg.MotoPort, motoLog)
	if err != nil {
		return fmt.Errorf("moto_server: %w", err)
	}
	st.closers = append(st.closers, srv.Close)
	st.MotoURL = srv.Endpoint
	if err := prepareMoto(ctx, st.MotoURL); err != nil {
		return err
	}

	// The functions that call the pool need cognito-local's address
	// before it starts.
	if cfg.CognitoPort == 0 {
		if cfg.CognitoPort, err = moto.FreePort(); err != nil {
			return err
		}
	}
	st.CognitoURL = "http://127.0.0.1:" + strconv.Itoa(cfg.CognitoPort)
	if st.LambdaURL, err = st.serveFunctions(cfg, fns); err != nil {
		return err
	}
	if err := st.startCognitoLocal(ctx, cfg); err != nil {
		return err
	}
	if err := st.serveFront(cfg); err != nil {
		return err
	}
	if err := st.makePool(ctx); err != nil {
		return err
	}
	if err := st.bindTriggers(ctx, cfg); err != nil {
		return err
	}
	if err := st.serveSignIn(st.mux, cfg.Tools); err != nil {
		return err
	}
	return nil
}

// Close stops every server of the stack, the last started first.
func (st *Stack) Close() error {
	st.once.Do(func() {
		var errs []error
		for _, c := range slices.Backward(st.closers) {
			errs = append(errs, c())
		}
		st.err = errors.Join(errs...)
	})
	return st.err
}

// AWSConfig returns an SDK configuration for the stack: fake static
// credentials in Region. Set BaseEndpoint per client (MotoURL,
// LambdaURL or CognitoURL).
func AWSConfig() aws.Config {
	return aws.Config{Region: Region, Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
}

// logFile opens a log of the stack, closed with it.
func (st *Stack) logFile(name string) (*os.File, error) {
	f, err := os.Create(filepath.Join(st.Logs, name))
	if err != nil {
		return nil, err
	}
	st.closers = append(st.closers, f.Close)
	return f, nil
}

// build builds the functions for this machine into Dir/functions.
func build(ctx context.Context, cfg Config) (map[string]string, error) {
	out := map[string]string{}
	for _, fn := range cfg.Functions {
		bootstrap := filepath.Join(cfg.Dir, "functions", fn.Name, "bootstrap")
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", bootstrap, "./"+fn.Name)
		cmd.Dir = filepath.Join(cfg.Root, "triggers") // the functions' own module
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build function %s: %v\n%s", fn.Name, err, b)
		}
		out[fn.Name] = bootstrap
	}
	return out, nil
}

// prepareMoto creates what the functions need in moto: the sender
// identity, the send throttle table and the decoy key's secret.
func prepareMoto(ctx context.Context, endpoint string) error {
	cfg := AWSConfig()
	cfg.BaseEndpoint = aws.String(endpoint)
	if _, err := sesv2.NewFromConfig(cfg).CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(Sender)}); err != nil {
		return fmt.Errorf("create the SES identity %s in moto: %w", Sender, err)
	}
	if err := throttle.CreateTable(ctx, dynamodb.NewFromConfig(cfg), ThrottleTable); err != nil {
		return fmt.Errorf("create the throttle table in moto: %w", err)
	}
	if _, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String(DecoyKeySecret), SecretString: aws.String(decoyKey())}); err != nil {
		return fmt.Errorf("create the decoy key's secret %s in moto: %w", DecoyKeySecret, err)
	}
	return nil
}

// serveFunctions starts the local Lambda endpoint.
func (st *Stack) serveFunctions(cfg Config, bootstraps map[string]string) (string, error) {
	logs, err := st.logFile("functions.log")
	if err != nil {
		return "", err
	}
	base := map[string]string{
		"AWS_ENDPOINT_URL": st.MotoURL, "AWS_REGION": Region, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
	}
	var fns []rie.Function
	for _, fn := range cfg.Functions {
		env := maps.Clone(base)
		if fn.CallsPool {
			env["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] = st.CognitoURL
		}
		maps.Copy(env, fn.EnvAt(st.CognitoURL))
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(env)) {
			kv = append(kv, k+"="+env[k])
		}
		fns = append(fns, rie.Function{Name: fn.Name, Bootstrap: bootstraps[fn.Name], Emulator: cfg.Emulator, Env: kv, Timeout: 5 * time.Second, Logs: logs})
	}
	srv, err := lambdaserver.New(fns, lambdaserver.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		return "", err
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(cfg.LambdaPort))
	if err != nil {
		return "", fmt.Errorf("the local Lambda endpoint cannot listen on port %d: %w (set LAMBDA_PORT to choose another port)", cfg.LambdaPort, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	st.closers = append(st.closers, srv.Close, hs.Close)
	return "http://" + l.Addr().String(), nil
}

// startCognitoLocal starts cognito-local on a free port, behind the
// front, with the data of the last run unless cfg.Clean. It invokes the
// triggers it runs through the dispatcher, which follows each pool's
// LambdaConfig.
func (st *Stack) startCognitoLocal(ctx context.Context, cfg Config) error {
	triggers := map[string]string{}
	for _, k := range cognitoLocalRuns {
		// By the trigger's name, which cognito-local puts in its errors
		// ("PreSignUp failed with error …"), as Cognito does.
		triggers[string(k)] = string(k)
	}
	dispatcher, serveDispatcher, err := st.dispatcher()
	if err != nil {
		return err
	}
	logs, err := st.logFile("cognito-local.log")
	if err != nil {
		return err
	}
	srv, err := cognitolocal.Start(ctx, cognitolocal.Config{
		Tools: cfg.Tools, Home: filepath.Join(cfg.Dir, "cognito-local"), Fresh: cfg.Clean,
		Mailbox: st.MotoURL, Sender: Sender,
		LambdaURL: dispatcher, Triggers: triggers,
		// The front signs its tokens with cognito-local's key and this
		// issuer: the two agree.
		IssuerDomain: st.CognitoURL,
		Code:         cfg.Code, Log: logs,
	})
	if err != nil {
		return fmt.Errorf("%w (%s)", err, filepath.Join(st.Logs, "cognito-local.log"))
	}
	st.closers = append(st.closers, srv.Close)
	st.cognitoLocalURL = srv.URL
	serveDispatcher()
	return nil
}

// serveFront serves the user-pool API on CognitoPort: the front of
// package authfront, which runs custom authentication and forwards the
// rest to cognito-local; and the mailbox, at MailboxPath. The browser
// example joins them once the pool is made (serveSignIn).
func (st *Stack) serveFront(cfg Config) error {
	key, err := authfront.ReadKeyFile(cognitolocal.KeyFile(cfg.Tools))
	if err != nil {
		return err
	}
	logs, err := st.logFile("front.log")
	if err != nil {
		return err
	}
	state := filepath.Join(cfg.Dir, "cognito-local", "front.json")
	if cfg.Clean {
		if err := os.Remove(state); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	front, err := authfront.New(authfront.Config{
		Upstream:  st.cognitoLocalURL,
		Issuer:    st.CognitoURL,
		KeyPEM:    key,
		Function:  st.function,
		StateFile: state,
		Log:       slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", strings.TrimPrefix(st.CognitoURL, "http://"))
	if err != nil {
		return fmt.Errorf("the user-pool endpoint cannot listen on %s: %w (set COGNITO_PORT to choose another port)", st.CognitoURL, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+MailboxPath, st.serveMailbox)
	st.mux = mux
	mux.Handle("/", front)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	st.closers = append(st.closers, hs.Close)
	return nil
}

// makePool creates the user pool, its app client and its group in
// cognito-local, or finds them, by name, as an earlier start made them.
func (st *Stack) makePool(ctx context.Context) error {
	cfg := AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	idp := cip.NewFromConfig(cfg)
	if err := st.findPool(ctx, idp); err != nil {
		return err
	}
	if st.UserPoolID == "" {
		pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{
			PoolName:               aws.String(PoolName),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			Schema: []types.SchemaAttributeType{{
				Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
			}},
		})
		if err != nil {
			return fmt.Errorf("create the user pool in cognito-local: %w", err)
		}
		st.UserPoolID = aws.ToString(pool.UserPool.Id)
	}
	// Passwordless sign-in and refresh; unknown users get a challenge
	// too, as they should in production.
	flows := []types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	}
	if st.ClientID == "" {
		client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(st.UserPoolID), ClientName: aws.String(ClientName),
			ExplicitAuthFlows: flows, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, AuthSessionValidity: aws.Int32(3),
		})
		if err != nil {
			return fmt.Errorf("create the app client in cognito-local: %w", err)
		}
		st.ClientID = aws.ToString(client.UserPoolClient.ClientId)
	} else if _, err := idp.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{
		// The settings of this version of the stack, whatever an older one
		// made.
		UserPoolId: aws.String(st.UserPoolID), ClientId: aws.String(st.ClientID), ClientName: aws.String(ClientName),
		ExplicitAuthFlows: flows, PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, AuthSessionValidity: aws.Int32(3),
	}); err != nil {
		return fmt.Errorf("update the app client in cognito-local: %w", err)
	}
	_, err := idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(st.UserPoolID), GroupName: aws.String(DefaultGroup)})
	var exists *types.GroupExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("create the group %s in cognito-local: %w", DefaultGroup, err)
	}
	return nil
}

// findPool sets UserPoolID and ClientID to the stack's pool and app client
// in cognito-local's data, when an earlier start made them.
func (st *Stack) findPool(ctx context.Context, idp *cip.Client) error {
	pools, err := idp.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		return fmt.Errorf("list the user pools of cognito-local: %w", err)
	}
	for _, p := range pools.UserPools {
		if aws.ToString(p.Name) != PoolName {
			continue
		}
		st.UserPoolID = aws.ToString(p.Id)
		clients, err := idp.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(60)})
		if err != nil {
			return fmt.Errorf("list the app clients of cognito-local: %w", err)
		}
		for _, c := range clients.UserPoolClients {
			if aws.ToString(c.ClientName) == ClientName {
				st.ClientID = aws.ToString(c.ClientId)
			}
		}
		return nil
	}
	return nil
}
