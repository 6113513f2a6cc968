package metrics_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/cognitrig/cognitrig/pkg/metrics"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// A handler counts something of its own with metrics.Count on the context
// it was given. The adapter writes the invocation's metrics, with Duration,
// in one EMF line after the invocation's log line (here to standard
// output with the timestamp hidden; in Lambda, standard output is the
// default).
func ExampleCount() {
	h := trigger.PreSignUp(func(ctx context.Context, ev *trigger.PreSignUpEvent) error {
		metrics.Count(ctx, "TrialStarted", metrics.Dim("plan", "free"))
		return nil
	}, trigger.WithLogger(trigger.NewLogger(io.Discard, nil)), trigger.WithMetricsWriter(hideTimes{}))

	_, err := triggertest.Invoke(h, []byte(`{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"us-east-1_EXAMPLE","userName":"jane","callerContext":{"awsSdkVersion":"x","clientId":"c"},"request":{"userAttributes":{}},"response":{}}`))
	fmt.Println(err)
	// Output:
	// {"_aws":{"Timestamp":0,"CloudWatchMetrics":[{"Namespace":"cognitrig","Dimensions":[["service","plan"]],"Metrics":[{"Name":"TrialStarted","Unit":"Count"}]},{"Namespace":"cognitrig","Dimensions":[["service","trigger"]],"Metrics":[{"Name":"Duration","Unit":"Milliseconds"}]}]},"service":"cognitrig","plan":"free","trigger":"PreSignUp","TrialStarted":1,"Duration":0}
	// <nil>
}

// hideTimes writes to standard output with the timestamp and the duration,
// which change from run to run, set to 0, and without the ColdStart
// document, which only the process's first invocation writes.
type hideTimes struct{}

var (
	timestamp = regexp.MustCompile(`"Timestamp":\d+`)
	duration  = regexp.MustCompile(`"Duration":[0-9.e+-]+`)
	coldStart = regexp.MustCompile(`(?m)^.*"ColdStart":1}\n`)
)

func (hideTimes) Write(p []byte) (int, error) {
	s := coldStart.ReplaceAll(p, nil)
	s = timestamp.ReplaceAll(s, []byte(`"Timestamp":0`))
	s = duration.ReplaceAll(s, []byte(`"Duration":0`))
	_, err := os.Stdout.Write(s)
	return len(p), err
}

// Add records a value of another unit; recorded again in the same
// invocation, the values are kept as an EMF array.
func ExampleAdd() {
	var c metrics.Collector
	c.Open()
	ctx := metrics.NewContext(context.Background(), &c)
	metrics.Add(ctx, "QueueWait", metrics.UnitMilliseconds, 12.5)
	metrics.Add(ctx, "QueueWait", metrics.UnitMilliseconds, 3)
	_ = metrics.NewEmitter(hideTimes{}, "MyApp", "signup", "").Flush(&c, false)
	// Output:
	// {"_aws":{"Timestamp":0,"CloudWatchMetrics":[{"Namespace":"MyApp","Dimensions":[["service"]],"Metrics":[{"Name":"QueueWait","Unit":"Milliseconds"}]}]},"service":"signup","QueueWait":[12.5,3]}
}
