package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/cognitrig/cognitrig/internal/envfile"
	"github.com/cognitrig/cognitrig/pkg/awsenv"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// networkEvent is the create auth challenge event of the network figure:
// a known user's first round, which sends a code by email.
const networkEvent = "events/createauth/CreateAuthChallenge_Authentication.json"

// latency is the network figure: create auth challenge invocations that
// send an email through SES v2 to moto_server.
type latency struct {
	invocations, rounds int
	// p50 and p99 are the medians, over the rounds, of each round's
	// percentiles.
	p50, p99 time.Duration
}

// measureNetwork builds the create auth challenge function with its own
// build function, as the deployed bootstrap does (one SDK client for the
// whole run), pointed at the moto_server at endpoint, and times rounds of
// n invocations that each send an email.
func measureNetwork(ctx context.Context, root, endpoint string, n, rounds int) (latency, error) {
	env, err := envfile.Read(filepath.Join(root, "triggers", "createauth", "invoke.env"))
	if err != nil {
		return latency{}, err
	}
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":      endpoint,
		"AWS_ACCESS_KEY_ID":     "bench",
		"AWS_SECRET_ACCESS_KEY": "bench",
		"AWS_REGION":            "us-east-1",
		// The invocation log line goes to standard output, where this
		// command prints its table; it costs microseconds next to the
		// milliseconds of a send.
		"LOG_LEVEL": "error",
	} {
		vars[k] = v
	}
	getenv := func(k string) string { return vars[k] }

	awscfg, err := awsenv.Load(getenv)
	if err != nil {
		return latency{}, err
	}
	ses := sesv2.NewFromConfig(awscfg)
	if _, err := ses.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(vars["EMAIL_FROM"])}); err != nil {
		return latency{}, fmt.Errorf("verify %s in moto_server: %w", vars["EMAIL_FROM"], err)
	}
	h, err := passwordless.CreateFromEnv(getenv)
	if err != nil {
		return latency{}, fmt.Errorf("build the create auth challenge function: %w", err)
	}
	payload, err := os.ReadFile(filepath.Join(root, networkEvent))
	if err != nil {
		return latency{}, err
	}
	var p50s, p99s []float64
	for range rounds {
		took := make([]time.Duration, 0, n)
		for range n {
			ictx, cancel := triggertest.Context(5 * time.Second)
			start := time.Now()
			_, err := h.Invoke(ictx, payload)
			took = append(took, time.Since(start))
			cancel()
			if err != nil {
				return latency{}, fmt.Errorf("create auth challenge with SES v2 to moto_server: %w", err)
			}
			if ctx.Err() != nil {
				return latency{}, ctx.Err()
			}
		}
		slices.Sort(took)
		p50s = append(p50s, float64(percentile(took, 50)))
		p99s = append(p99s, float64(percentile(took, 99)))
	}
	return latency{invocations: n, rounds: rounds, p50: time.Duration(median(p50s)), p99: time.Duration(median(p99s))}, nil
}

// percentile returns the p-th percentile of sorted durations (nearest
// rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted) + 99) / 100 // ceil(p/100 * n), 1-based
	return sorted[max(i, 1)-1]
}
