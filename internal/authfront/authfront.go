// Package authfront serves the Amazon Cognito user-pool API in front of
// cognito-local, adding what cognito-local lacks: the custom
// authentication flow (AuthFlow CUSTOM_AUTH) that runs the pool's define,
// create and verify auth challenge functions. Real clients, such as the
// AWS CLI, boto3, the AWS SDKs and amazon-cognito-identity-js, use it
// unchanged with their endpoint set to the front.
//
// The front handles InitiateAuth and AdminInitiateAuth with CUSTOM_AUTH,
// RespondToAuthChallenge and AdminRespondToAuthChallenge for the sessions
// it started, and the refresh of the tokens it issued. Everything else,
// the user store included, is cognito-local's: the front forwards it
// unchanged. It keeps no users of its own; it reads them, their groups and
// the app clients from cognito-local through its API.
//
// The loop itself is [triggertest.CustomAuth], the project's model of
// Cognito's side of the custom-auth contract, with one instance per
// sign-in; its errors ([triggertest.CognitoError]) go to the client as
// Cognito's, with HTTP 400. Tokens are signed with cognito-local's key and
// issuer, so cognito-local and the clients accept them as its own, and
// pass through the pool's pre token generation function.
package authfront

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// targetPrefix starts the X-Amz-Target header of every user-pool API
// call.
const targetPrefix = "AWSCognitoIdentityProviderService."

// maxRequest bounds the body of a call the front reads itself; Cognito's
// own limit is far below it.
const maxRequest = 1 << 20

// Config says where cognito-local and the functions are.
type Config struct {
	// Upstream is cognito-local's address, such as http://127.0.0.1:40123.
	Upstream string
	// Issuer is the address of the front as clients use it, such as
	// http://127.0.0.1:9229. Tokens carry Issuer/<pool ID> as iss; give
	// cognito-local the same TokenConfig.IssuerDomain so that its tokens
	// and the front's agree.
	Issuer string
	// KeyPEM is cognito-local's RSA signing key in PEM
	// (lib/keys/cognitoLocal.private.json, member pem, of its package):
	// see [ReadKeyFile].
	KeyPEM []byte
	// Function returns the function bound to trigger k of pool poolID, or
	// nil when none is bound.
	Function func(ctx context.Context, poolID string, k trigger.Kind) (lambda.Handler, error)
	// StateFile keeps the app-client settings cognito-local drops (see
	// clientOverlay) across restarts; "" keeps them in memory.
	StateFile string
	// Now is the clock of sessions and tokens; nil means time.Now.
	Now func() time.Time
	// Log receives the front's own events; nil means slog.Default(). It
	// never receives answers, codes, sessions or tokens.
	Log *slog.Logger
}

// Front is an http.Handler serving the user-pool API. It is safe for
// concurrent use.
type Front struct {
	cfg    Config
	proxy  *httputil.ReverseProxy
	idp    *cip.Client
	signer *signer

	mu       sync.Mutex
	clients  map[string]string    // app client ID -> pool ID
	sessions map[string]*signIn   // session -> the sign-in it continues
	refresh  map[string]refreshed // refresh token -> whom it was issued to
	overlays map[string]clientOverlay
	secret   [32]byte // keys the UUIDs shown for unknown users
}

// New returns a front for cfg. It makes no call.
func New(cfg Config) (*Front, error) {
	up, err := url.Parse(cfg.Upstream)
	if err != nil || up.Host == "" {
		return nil, fmt.Errorf("authfront: Upstream %q is not an address such as http://127.0.0.1:40123", cfg.Upstream)
	}
	if cfg.Function == nil {
		return nil, errors.New("authfront: Config.Function is nil; give the function lookup of the stack")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s, err := newSigner(cfg.KeyPEM)
	if err != nil {
		return nil, err
	}
	idp := cip.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(cfg.Upstream),
	})
	proxy := httputil.NewSingleHostReverseProxy(up)
	proxy.ModifyResponse = modelUnsupported
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		cfg.Log.Error("cognito-local did not answer", "err", err)
		writeError(w, http.StatusInternalServerError, "InternalErrorException", "The local user-pool service (cognito-local) did not answer; see its log.")
	}
	f := &Front{
		cfg: cfg, proxy: proxy, idp: idp, signer: s,
		clients: map[string]string{}, sessions: map[string]*signIn{}, refresh: map[string]refreshed{},
	}
	rand.Read(f.secret[:]) // never fails (crypto/rand)
	if err := f.loadOverlays(); err != nil {
		return nil, err
	}
	return f, nil
}

// ServeHTTP handles the calls of the custom-auth flow, forwards every
// other request to cognito-local, and words cognito-local's errors as
// Cognito does.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if !ok || r.Method != http.MethodPost || !(handled(op) || translated(op) || passwordCall(op)) {
		f.proxy.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	if err != nil || len(body) > maxRequest {
		writeError(w, http.StatusBadRequest, "InvalidParameterException", "The request body could not be read, or is over 1 MiB.")
		return
	}
	var in request
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "The request body is not a JSON object of the call's parameters.")
		return
	}
	if clientCall(op) {
		f.clientCall(w, r, op, body)
		return
	}
	in.admin = strings.HasPrefix(op, "Admin")
	in.sdk = sdkVersion(r.Header.Get("User-Agent"))
	var out any
	if passwordCall(op) {
		if err := f.checkPassword(r.Context(), op, &in, body); err != nil {
			f.writeFailure(w, op, err)
			return
		}
	}
	if op == "AdminCreateUser" {
		if err := f.adminCreateUser(r.Context(), &in, body); err != nil {
			f.writeFailure(w, op, err)
			return
		}
	}
	if strings.HasSuffix(op, "InitiateAuth") {
		if err := f.checkFlow(r.Context(), &in); err != nil {
			f.writeFailure(w, op, err)
			return
		}
	}
	switch {
	case strings.HasSuffix(op, "InitiateAuth") && in.AuthFlow == "CUSTOM_AUTH":
		out, err = f.initiate(r.Context(), &in)
	case strings.HasSuffix(op, "InitiateAuth") && isRefresh(in.AuthFlow) && f.issued(in.AuthParameters["REFRESH_TOKEN"]):
		out, err = f.refreshTokens(r.Context(), &in)
	case strings.HasSuffix(op, "RespondToAuthChallenge") && f.started(in.Session):
		out, err = f.respond(r.Context(), &in)
	case strings.HasSuffix(op, "RespondToAuthChallenge") && in.ChallengeName == trigger.ChallengeCustom:
		err = errInvalidSession
	case translated(op):
		// A call of another flow: cognito-local's, in Cognito's words.
		f.forwardTranslated(w, r, op, body, &in)
		return
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		f.proxy.ServeHTTP(w, r)
		return
	}
	if err != nil {
		f.writeFailure(w, op, err)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalErrorException", "The front could not encode its response.")
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write(b)
}

// handled reports whether op is a call the front may answer itself.
func handled(op string) bool {
	switch op {
	case "InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge":
		return true
	}
	return clientCall(op)
}

// clientCall reports whether op is a call about an app client whose
// answer the front completes.
func clientCall(op string) bool {
	switch op {
	case "CreateUserPoolClient", "UpdateUserPoolClient", "DescribeUserPoolClient":
		return true
	}
	return false
}

func isRefresh(flow string) bool { return flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN" }

// request holds the parameters of the four calls the front answers.
type request struct {
	UserPoolID         string            `json:"UserPoolId"`
	ClientID           string            `json:"ClientId"`
	AuthFlow           string            `json:"AuthFlow"`
	AuthParameters     map[string]string `json:"AuthParameters"`
	ChallengeName      string            `json:"ChallengeName"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	Session            string            `json:"Session"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`

	admin bool   // an Admin… call, which names the pool
	sdk   string // the client's SDK, for callerContext.awsSdkVersion
}

// sdkVersion turns a User-Agent such as "aws-sdk-go-v2/1.36.3 os/linux"
// into the callerContext.awsSdkVersion Cognito sends, such as
// "aws-sdk-go-v2-1.36.3"; "aws-sdk-unknown-unknown" when there is none.
func sdkVersion(ua string) string {
	first, _, _ := strings.Cut(ua, " ")
	name, version, ok := strings.Cut(first, "/")
	if !ok || name == "" || version == "" {
		return "aws-sdk-unknown-unknown"
	}
	return name + "-" + version
}

// Error is a modelled error of the user-pool API: HTTP 400 with the
// exception's name, which the SDKs decode and do not retry.
type Error struct {
	Exception, Message string
}

func (e *Error) Error() string { return e.Exception + ": " + e.Message }

var errInvalidSession = &Error{"NotAuthorizedException", "Invalid session for the user."}

// writeFailure answers a failed call: Cognito's error with HTTP 400, or
// a 500 for a fault of the stack itself, which the log explains.
func (f *Front) writeFailure(w http.ResponseWriter, op string, err error) {
	var ce *Error
	if errors.As(err, &ce) {
		writeError(w, http.StatusBadRequest, ce.Exception, ce.Message)
		return
	}
	if e, ok := cognitoError(err); ok {
		writeError(w, http.StatusBadRequest, e.Exception, e.Message)
		return
	}
	f.cfg.Log.Error("a call failed in the local stack", "op", op, "err", err)
	writeError(w, http.StatusInternalServerError, "InternalErrorException", "The local stack failed to serve "+op+"; see its log.")
}

// writeError writes an error in the shape of the AWS JSON protocol.
func writeError(w http.ResponseWriter, status int, exception, message string) {
	b, _ := json.Marshal(map[string]string{"__type": exception, "message": message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", exception+":")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// modelUnsupported turns cognito-local's HTTP 500 for an unsupported
// call into a 400 InvalidParameterException: SDKs retry a 500 (the AWS
// CLI for 12 s) but not a modelled error.
func modelUnsupported(resp *http.Response) error {
	if resp.StatusCode != http.StatusInternalServerError {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxRequest))
	resp.Body.Close()
	if err != nil {
		return err
	}
	if e := unsupported(resp.StatusCode, b); e != nil {
		b, _ = json.Marshal(map[string]string{"__type": e.Exception, "message": e.Message})
		resp.StatusCode, resp.Status = http.StatusBadRequest, "400 Bad Request"
		resp.Header.Set("X-Amzn-Errortype", e.Exception+":")
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return nil
}

// unsupported returns the modelled error for cognito-local's answer
// (status, body) when it says the call is unsupported, or nil.
func unsupported(status int, body []byte) *Error {
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if status != http.StatusInternalServerError || json.Unmarshal(body, &e) != nil || e.Type != "CognitoLocal#Unsupported" {
		return nil
	}
	return &Error{"InvalidParameterException", e.Message + " (the local stack does not support it; see docs/local.md)"}
}
