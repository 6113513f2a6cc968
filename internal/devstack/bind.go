package devstack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	lambdaapi "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitrig/cognitrig/internal/lambdaserver"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// Account is the AWS account of the functions' ARNs in the pool's
// LambdaConfig.
const Account = "000000000000"

// FunctionARN returns the ARN of the stack's function name, as the pool's
// LambdaConfig names it; the local Lambda endpoint takes ARNs.
func FunctionARN(name string) string {
	return "arn:aws:lambda:" + Region + ":" + Account + ":function:" + name
}

// bindTriggers binds every function of the stack to its trigger in the
// pool's LambdaConfig, with the binding code of production
// (userpool.Bind: the pool read and written back complete). It writes
// nothing when the pool already holds them.
func (st *Stack) bindTriggers(ctx context.Context, cfg Config) error {
	var set []userpool.Binding
	for _, fn := range cfg.Functions {
		if fn.Trigger != "" {
			set = append(set, userpool.Binding{Slot: userpool.Slot(fn.Trigger), ARN: FunctionARN(fn.Name)})
		}
	}
	if _, err := userpool.Bind(ctx, st.pool(), st.UserPoolID, set, nil); err != nil {
		return fmt.Errorf("bind the functions to the pool: %w", err)
	}
	return nil
}

// pool returns a cognito-idp client of cognito-local itself, behind the
// front.
func (st *Stack) pool() *cip.Client {
	cfg := AWSConfig()
	cfg.BaseEndpoint = aws.String(st.cognitoLocalURL)
	return cip.NewFromConfig(cfg)
}

// boundARN returns the ARN of the function that pool's LambdaConfig binds
// to trigger k, or "".
func (st *Stack) boundARN(ctx context.Context, pool string, k trigger.Kind) (string, error) {
	out, err := st.pool().DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	if err != nil {
		return "", fmt.Errorf("read the LambdaConfig of pool %s: %w", pool, err)
	}
	if out.UserPool.LambdaConfig == nil {
		return "", nil
	}
	arn, _ := userpool.Get(*out.UserPool.LambdaConfig, userpool.Slot(k))
	return arn, nil
}

// function is the front's lookup: the function the pool binds to trigger
// k, invoked through the local Lambda endpoint, or nil.
func (st *Stack) function(ctx context.Context, pool string, k trigger.Kind) (lambdaapi.Handler, error) {
	arn, err := st.boundARN(ctx, pool, k)
	if arn == "" || err != nil {
		return nil, err
	}
	return st.Remote(arn), nil
}

// dispatcher listens for the Lambda endpoint cognito-local invokes its
// triggers through, and returns its address and the function that starts
// serving it, once cognito-local's address is known. cognito-local names a trigger, not a function, and
// calls it for every pool; the dispatcher invokes the function the
// event's pool binds to that trigger, through the local Lambda endpoint,
// or, when the pool binds none, answers with the event unchanged, which
// cognito-local reads as no trigger at all.
func (st *Stack) dispatcher() (string, func(), error) {
	lambdaURL, err := url.Parse(st.LambdaURL)
	if err != nil {
		return "", nil, err
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(lambdaURL) }}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
		name, ok2 := strings.CutSuffix(name, "/invocations")
		payload, err := io.ReadAll(io.LimitReader(r.Body, lambdaserver.MaxPayload+1))
		if !ok || !ok2 || err != nil {
			http.Error(w, "not an invocation of the Lambda Invoke API", http.StatusNotFound)
			return
		}
		var ev struct {
			UserPoolID string `json:"userPoolId"`
		}
		_ = json.Unmarshal(payload, &ev)
		arn, err := st.boundARN(r.Context(), ev.UserPoolID, trigger.Kind(name))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if arn == "" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(payload)
			return
		}
		r.URL.Path = "/2015-03-31/functions/" + arn + "/invocations"
		r.URL.RawPath = ""
		r.Body = io.NopCloser(bytes.NewReader(payload))
		r.ContentLength = int64(len(payload))
		proxy.ServeHTTP(w, r)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	st.closers = append(st.closers, func() error {
		err := hs.Close() // closes l too, once serving
		_ = l.Close()     // for a stack that never served it; already closed otherwise
		return err
	})
	return "http://" + l.Addr().String(), func() { go func() { _ = hs.Serve(l) }() }, nil
}
