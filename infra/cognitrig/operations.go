package cognitrig

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/pkg/metrics"
)

// OperationsProps configures what the construct gives its operators: the
// CloudWatch metrics the functions write (in the embedded metric format,
// EMF), the alarms on them and on the functions' own AWS/Lambda metrics,
// and one dashboard. The zero value (and Props.Operations nil) turns
// everything on, with the defaults below and no alarm action.
type OperationsProps struct {
	// ServiceName is the service the functions' metrics are written for
	// (POWERTOOLS_SERVICE_NAME, the dimension "service" of every EMF
	// metric), one for all the functions of the construct. Default: the
	// construct's path in the app with every character but letters,
	// digits, "-", "_" and "." written as "-" (CognitrigDemo-Triggers),
	// cut to 64 characters with a digest of the path when longer.
	// It must pass metrics.CheckService, as the functions check it: 1 to
	// 64 letters, digits and _ - . : /, without a run of six digits.
	ServiceName string
	// MetricsNamespace is the CloudWatch namespace of the EMF metrics
	// (POWERTOOLS_METRICS_NAMESPACE); default "cognitrig"
	// (metrics.DefaultNamespace). It must pass metrics.CheckNamespace: 1
	// to 255 letters, digits, spaces and . - _ / # :, not starting with
	// "AWS/".
	MetricsNamespace string
	// DisableMetrics stops the functions writing EMF metrics
	// (POWERTOOLS_METRICS_DISABLED=true). It gives up the metrics that
	// show abuse — codes sent by SMS (SMS pumping), wrong answers (code
	// guessing) — and so their alarms, which it drops; the functions'
	// AWS/Lambda metrics and their alarms stay. The synth warns
	// (cognitrig:disableMetrics).
	DisableMetrics bool
	// DisableAlarmsAndDashboard creates neither the alarms nor the
	// dashboard. It gives up being told of errors, throttling, slow
	// triggers, SMS pumping and code guessing. The synth warns
	// (cognitrig:disableAlarmsAndDashboard).
	DisableAlarmsAndDashboard bool

	// AlarmTopic receives the alarms' ALARM and OK notifications (an
	// awssns.ITopic, such as awssns.Topic_FromTopicArn for a topic made
	// elsewhere). CloudWatch must be able to publish to it: a topic of
	// another account needs a policy that lets it, and a topic encrypted
	// with a KMS key a key policy that lets cloudwatch.amazonaws.com use
	// the key.
	AlarmTopic awssns.ITopic
	// CreateAlarmTopic creates an SNS topic (SSL enforced) that receives
	// the alarms' notifications; subscribe to it through
	// Triggers.AlarmTopic. It cannot be combined with AlarmTopic. With
	// neither, the alarms notify nobody: they show in the console only,
	// and the synth says so (an info annotation).
	CreateAlarmTopic bool

	// SMSCodesPerHour is the threshold of the SMS pumping alarm: more
	// codes sent by SMS in one hour (the EMF metric CodesSent, channel
	// sms, Sum over 1 hour) sets it off. Default 100. The alarm exists
	// when the functions can send SMS: Passwordless with a channel other
	// than email and some SMS country, or CustomSenders.SMS.
	SMSCodesPerHour int
	// WrongAnswersPer5Minutes is the threshold of the wrong answers
	// alarm: more wrong answers to the passwordless challenge in five
	// minutes (the EMF metric AnswersWrong, Sum over 5 minutes) sets it
	// off. Default 50. The alarm exists with Passwordless.
	WrongAnswersPer5Minutes int
	// SlowTrigger is the threshold of the duration alarm of each trigger
	// Cognito invokes synchronously (not the custom senders): a longest
	// invocation (AWS/Lambda Duration, Maximum over 5 minutes) above it
	// sets the alarm off, before Cognito's 5-second limit fails a
	// sign-up or sign-in. Default 4 seconds; at most 5 seconds, written
	// out (not a token).
	SlowTrigger awscdk.Duration
}

// The defaults of OperationsProps.
const (
	defaultSMSCodesPerHour = 100
	defaultWrongAnswers    = 50
	defaultSlowTrigger     = 4 * time.Second
)

// Warning IDs of the operations props.
const (
	warnDisableMetrics            = "cognitrig:disableMetrics"
	warnDisableAlarmsAndDashboard = "cognitrig:disableAlarmsAndDashboard"
)

// ops returns the operations props, the zero value when unset.
func (t *Triggers) ops() OperationsProps {
	if t.props.Operations != nil {
		return *t.props.Operations
	}
	return OperationsProps{}
}

// unsafeServiceChar is a character the default service name does not
// keep.
var unsafeServiceChar = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// maxServiceName is the longest value of a dimension metrics.CheckService
// takes.
const maxServiceName = 64

// serviceName is the service of the construct's metrics.
func (t *Triggers) serviceName() string {
	if s := t.ops().ServiceName; s != "" {
		return s
	}
	return defaultServiceName(*t.Node().Path())
}

// defaultServiceName is the service name of a construct at path: the path
// with every character but letters, digits, "-", "_" and "." written as
// "-"; a longer one than a dimension takes is cut, and told from others
// by a digest of the path in letters.
func defaultServiceName(path string) string {
	s := unsafeServiceChar.ReplaceAllString(path, "-")
	if len(s) <= maxServiceName {
		return s
	}
	sum := sha256.Sum256([]byte(path))
	var tag [8]byte
	for i, b := range sum[:4] {
		tag[2*i], tag[2*i+1] = 'a'+b>>4, 'a'+b&15
	}
	return s[:maxServiceName-len(tag)-1] + "-" + string(tag[:])
}

// metricsNamespace is the namespace of the construct's EMF metrics.
func (t *Triggers) metricsNamespace() string {
	if ns := t.ops().MetricsNamespace; ns != "" {
		return ns
	}
	return metrics.DefaultNamespace
}

// metricsEnv is the environment of the metrics, which every function the
// construct makes gets.
func (t *Triggers) metricsEnv() map[string]string {
	env := map[string]string{metrics.EnvService: t.serviceName(), metrics.EnvNamespace: t.metricsNamespace()}
	if t.ops().DisableMetrics {
		env[metrics.EnvDisabled] = "true"
	}
	return env
}

// opsProblems returns what is wrong with the operations props.
func (t *Triggers) opsProblems() []string {
	o := t.ops()
	var out []string
	// The checks of the functions' own configuration (trigger.OptionsFromEnv).
	switch s := t.serviceName(); {
	case isToken(s):
		out = append(out, "Operations.ServiceName must be written out in the app, not a token: it is the service dimension of the alarms' metrics")
	case metrics.CheckService(s) != nil && o.ServiceName != "":
		out = append(out, fmt.Sprintf("Operations.ServiceName (POWERTOOLS_SERVICE_NAME): %v", metrics.CheckService(s)))
	case metrics.CheckService(s) != nil:
		out = append(out, fmt.Sprintf("the service name derived from the construct's path (POWERTOOLS_SERVICE_NAME): %v; set Operations.ServiceName", metrics.CheckService(s)))
	}
	if ns := t.metricsNamespace(); isToken(ns) {
		out = append(out, "Operations.MetricsNamespace must be written out in the app, not a token: it is the namespace of the alarms' metrics")
	} else if err := metrics.CheckNamespace(ns); err != nil {
		out = append(out, fmt.Sprintf("Operations.MetricsNamespace (POWERTOOLS_METRICS_NAMESPACE): %v", err))
	}
	if o.AlarmTopic != nil && o.CreateAlarmTopic {
		out = append(out, "Operations.AlarmTopic and Operations.CreateAlarmTopic both name the alarms' topic: set one of them")
	}
	if o.SMSCodesPerHour < 0 {
		out = append(out, fmt.Sprintf("Operations.SMSCodesPerHour is %d: give the number of SMS codes per hour above which the alarm goes off (0: %d)", o.SMSCodesPerHour, defaultSMSCodesPerHour))
	}
	if o.WrongAnswersPer5Minutes < 0 {
		out = append(out, fmt.Sprintf("Operations.WrongAnswersPer5Minutes is %d: give the number of wrong answers in 5 minutes above which the alarm goes off (0: %d)", o.WrongAnswersPer5Minutes, defaultWrongAnswers))
	}
	if o.SlowTrigger != nil {
		d, ok := goDuration(o.SlowTrigger)
		switch {
		case !ok:
			out = append(out, "Operations.SlowTrigger must be written out in the app, not a token: it is the threshold of the duration alarms")
		case d <= 0 || d > triggerTimeout:
			out = append(out, fmt.Sprintf("Operations.SlowTrigger is %v: give a duration above 0 and at most %v, Cognito's limit", d, triggerTimeout))
		}
	}
	return out
}

// warnOps adds the warnings and notes of the operations props.
func (t *Triggers) warnOps() {
	o := t.ops()
	if o.DisableMetrics {
		warn(t, warnDisableMetrics, "Operations.DisableMetrics: the functions write no EMF metrics (POWERTOOLS_METRICS_DISABLED=true), so nothing counts codes sent by SMS or wrong answers, "+
			"and the alarms that tell you of SMS pumping and code guessing are not created")
	}
	if o.DisableAlarmsAndDashboard {
		warn(t, warnDisableAlarmsAndDashboard, "Operations.DisableAlarmsAndDashboard: no alarm and no dashboard; errors, throttling, triggers close to Cognito's 5-second limit, "+
			"SMS pumping and code guessing go unnoticed unless you watch the metrics yourself")
	} else if o.AlarmTopic == nil && !o.CreateAlarmTopic {
		awscdk.Annotations_Of(t).AddInfo(jsii.String("the cognitrig alarms notify nobody: they show in the CloudWatch console only; " +
			"set Operations.CreateAlarmTopic (and subscribe to Triggers.AlarmTopic) or Operations.AlarmTopic to be told"))
	}
}

// monitored is a function the construct made, for the alarms and the
// dashboard.
type monitored struct {
	name string // the shipped function's name, or the construct's own
	fn   awslambda.Function
	sync bool   // Cognito waits for it: it has Cognito's 5-second budget
	kind string // the trigger it serves (its Denials' trigger dimension), or ""
}

// createOperations creates the alarms, their topic and the dashboard.
func (t *Triggers) createOperations() {
	o := t.ops()
	if o.DisableAlarmsAndDashboard {
		return
	}
	scope := constructs.NewConstruct(t, jsii.String("Operations"))
	switch {
	case o.AlarmTopic != nil:
		t.alarmTopic = o.AlarmTopic
	case o.CreateAlarmTopic:
		t.alarmTopic = awssns.NewTopic(scope, jsii.String("AlarmTopic"), &awssns.TopicProps{
			DisplayName: jsii.String("cognitrig alarms"),
			EnforceSSL:  jsii.Bool(true),
		})
	}
	var fns []monitored
	for _, s := range shipped {
		if fn := t.functions[s.name]; fn != nil {
			fns = append(fns, monitored{s.name, fn, s.timeout == triggerTimeout, string(s.slot)})
		}
	}
	if t.repairFn != nil {
		fns = append(fns, monitored{"userpoolrepair", t.repairFn, false, ""})
	}
	slow := defaultSlowTrigger
	if d, ok := goDuration(o.SlowTrigger); ok && o.SlowTrigger != nil && d > 0 && d <= triggerTimeout {
		slow = d
	}
	five := awscdk.Duration_Minutes(jsii.Number(5))
	for _, m := range fns {
		fscope := constructs.NewConstruct(scope, m.fn.Node().Scope().Node().Id())
		t.alarm(fscope, "Errors", t.failures(m, five), 0, t.failuresText(m))
		t.alarm(fscope, "Throttles", m.fn.MetricThrottles(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}), 0,
			fmt.Sprintf("cognitrig %s: Lambda throttled the function (AWS/Lambda Throttles > 0 in 5 minutes); Cognito fails the sign-up or sign-in. Raise the account's concurrency.", m.name))
		if m.sync {
			t.alarm(fscope, "Duration", m.fn.MetricDuration(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum")}), float64(slow.Milliseconds()),
				fmt.Sprintf("cognitrig %s: an invocation took more than %v (AWS/Lambda Duration, Maximum over 5 minutes); Cognito gives up on a trigger after 5 seconds.", m.name, slow))
		}
	}
	if !o.DisableMetrics {
		if t.sendsSMS() {
			n := o.SMSCodesPerHour
			if n == 0 {
				n = defaultSMSCodesPerHour
			}
			t.alarm(scope, "SMSPumping", t.emf(metrics.CodesSent, metrics.ChannelSMS, awscdk.Duration_Hours(jsii.Number(1))), float64(n),
				fmt.Sprintf("cognitrig %s: more than %d codes sent by SMS in one hour (%s/%s, channel sms): SMS pumping sends codes to numbers that pay their owner, at your cost. "+
					"Look at the destinations' countries in the logs, narrow SMSAllowedCallingCodes, lower the send limits.", t.serviceName(), n, t.metricsNamespace(), metrics.CodesSent))
		}
		if t.props.Passwordless != nil {
			n := o.WrongAnswersPer5Minutes
			if n == 0 {
				n = defaultWrongAnswers
			}
			t.alarm(scope, "WrongAnswers", t.emf(metrics.AnswersWrong, "", five), float64(n),
				fmt.Sprintf("cognitrig %s: more than %d wrong answers to the sign-in challenge in 5 minutes (%s/%s): someone may be guessing codes.", t.serviceName(), n, t.metricsNamespace(), metrics.AnswersWrong))
		}
	}
	t.dashboard = t.newDashboard(scope, fns)
}

// failures is what the Errors alarm of a function watches: its
// AWS/Lambda Errors, less the refusals among them (the EMF metric Denials
// of its trigger), which Lambda counts as errors too. Without metrics, or
// for a function that serves no trigger, it is AWS/Lambda Errors alone.
func (t *Triggers) failures(m monitored, period awscdk.Duration) alarmable {
	errs := m.fn.MetricErrors(&awscloudwatch.MetricOptions{Period: period, Statistic: jsii.String("Sum")})
	if t.ops().DisableMetrics || m.kind == "" {
		return errs
	}
	denials := awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:  jsii.String(t.metricsNamespace()),
		MetricName: jsii.String(metrics.Denials),
		DimensionsMap: &map[string]*string{
			metrics.DimService: jsii.String(t.serviceName()),
			metrics.DimTrigger: jsii.String(m.kind),
		},
		Statistic: jsii.String("Sum"),
		Period:    period,
	})
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String("FILL(errors, 0) - FILL(denials, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{"errors": errs, "denials": denials},
		Label:        jsii.String(m.name + " failures"),
		Period:       period,
	})
}

// failuresText describes the Errors alarm of a function.
func (t *Triggers) failuresText(m monitored) string {
	if t.ops().DisableMetrics || m.kind == "" {
		return fmt.Sprintf("cognitrig %s: the function failed (AWS/Lambda Errors > 0 in 5 minutes); a refusal the function returns to Cognito counts as an error too. Read its log group.", m.name)
	}
	return fmt.Sprintf("cognitrig %s: the function failed (AWS/Lambda Errors, less the refusals it returned to Cognito (%s/%s), > 0 in 5 minutes). Read its log group: lines with outcome error, timeout, panic or invalid_event.",
		m.name, t.metricsNamespace(), metrics.Denials)
}

// alarmable is a metric or a math expression, which alarms can watch.
type alarmable interface {
	CreateAlarm(scope constructs.Construct, id *string, props *awscloudwatch.CreateAlarmOptions) awscloudwatch.Alarm
}

// alarm creates an alarm on metric above threshold in one period, with
// the topic's actions; no data is no alarm.
func (t *Triggers) alarm(scope constructs.Construct, id string, metric alarmable, threshold float64, description string) {
	a := metric.CreateAlarm(scope, jsii.String(id), &awscloudwatch.CreateAlarmOptions{
		AlarmDescription:   jsii.String(description),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		Threshold:          jsii.Number(threshold),
		EvaluationPeriods:  jsii.Number(1),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	if t.alarmTopic != nil {
		action := awscloudwatchactions.NewSnsAction(t.alarmTopic)
		a.AddAlarmAction(action)
		a.AddOkAction(action)
	}
	t.alarms = append(t.alarms, a)
}

// emf is the Sum over period of one of the functions' EMF metrics, for
// the construct's service, and for channel when it is not empty (the
// dimensions of the catalog of pkg/metrics: every metric has service, and
// CodesSent channel too).
func (t *Triggers) emf(name, channel string, period awscdk.Duration) awscloudwatch.Metric {
	dims := map[string]*string{metrics.DimService: jsii.String(t.serviceName())}
	if channel != "" {
		dims[metrics.DimChannel] = jsii.String(channel)
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String(t.metricsNamespace()),
		MetricName:    jsii.String(name),
		DimensionsMap: &dims,
		Statistic:     jsii.String("Sum"),
		Period:        period,
	})
}

// emfWidget is the Sum over 5 minutes of one of the functions' EMF
// metrics for the construct's service, with the dimension dim set to
// value unless dim is empty, labelled for a graph.
func (t *Triggers) emfWidget(name, dim, value string) awscloudwatch.IMetric {
	dims := map[string]*string{metrics.DimService: jsii.String(t.serviceName())}
	label := name
	if dim != "" {
		dims[dim] = jsii.String(value)
		label += " (" + value + ")"
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String(t.metricsNamespace()),
		MetricName:    jsii.String(name),
		DimensionsMap: &dims,
		Statistic:     jsii.String("Sum"),
		Period:        awscdk.Duration_Minutes(jsii.Number(5)),
		Label:         jsii.String(label),
	})
}

// emfSearch is a search for one of the functions' EMF metrics of the
// construct's service with the dimensions dims besides service, whatever
// their values: a line for each (the reasons of SignUpsRefused, say).
func (t *Triggers) emfSearch(name string, dims ...string) awscloudwatch.IMetric {
	schema := append([]string{strconv.Quote(t.metricsNamespace()), metrics.DimService}, dims...)
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(fmt.Sprintf(`SEARCH('{%s} MetricName="%s" %s="%s"', 'Sum', 300)`,
			strings.Join(schema, ","), name, metrics.DimService, t.serviceName())),
		Label:        jsii.String(""),
		Period:       awscdk.Duration_Minutes(jsii.Number(5)),
		UsingMetrics: &map[string]awscloudwatch.IMetric{},
	})
}

// sendsSMS reports whether the construct's functions can send a code by
// SMS: passwordless with a channel other than email and some country to
// send to, or the custom SMS sender.
func (t *Triggers) sendsSMS() bool {
	if pw := t.props.Passwordless; pw != nil && !strings.EqualFold(pw.Channel, metrics.ChannelEmail) &&
		(len(pw.SMSAllowedCallingCodes) > 0 || pw.AllowSMSToAllCountries) {
		return true
	}
	return t.props.CustomSenders != nil && t.props.CustomSenders.SMS
}

// newDashboard creates the dashboard: the functions' invocations, errors,
// throttles and durations, and the EMF metrics of what the functions do.
func (t *Triggers) newDashboard(scope constructs.Construct, fns []monitored) awscloudwatch.Dashboard {
	five := awscdk.Duration_Minutes(jsii.Number(5))
	// lambdaMetrics returns the AWS/Lambda metric name of every
	// function, each labelled with the function and suffix.
	lambdaMetrics := func(name, stat, suffix string) []awscloudwatch.IMetric {
		var out []awscloudwatch.IMetric
		for _, m := range fns {
			out = append(out, m.fn.Metric(jsii.String(name), &awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String(stat), Label: jsii.String(m.name + suffix)}))
		}
		return out
	}
	graph := func(title string, metrics *[]awscloudwatch.IMetric, annotations ...*awscloudwatch.HorizontalAnnotation) awscloudwatch.IWidget {
		props := &awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Left: metrics, Width: jsii.Number(8), Height: jsii.Number(6)}
		if len(annotations) > 0 {
			props.LeftAnnotations = &annotations
		}
		return awscloudwatch.NewGraphWidget(props)
	}
	list := func(ms ...awscloudwatch.IMetric) *[]awscloudwatch.IMetric { return &ms }
	d := awscloudwatch.NewDashboard(scope, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: awscdk.Duration_Days(jsii.Number(1)),
	})
	d.AddWidgets(awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
		Markdown: jsii.String(fmt.Sprintf("# cognitrig %s\nThe functions of the Cognito triggers (AWS/Lambda) and what they do (EMF metrics in %s, service %s).",
			*t.Node().Path(), t.metricsNamespace(), t.serviceName())),
		Width: jsii.Number(24), Height: jsii.Number(2),
	}))
	d.AddWidgets(
		graph("Invocations", list(lambdaMetrics("Invocations", "Sum", "")...)),
		graph("Errors and throttles", list(append(lambdaMetrics("Errors", "Sum", " errors"), lambdaMetrics("Throttles", "Sum", " throttles")...)...)),
		graph("Duration (maximum, ms)", list(lambdaMetrics("Duration", "Maximum", "")...),
			&awscloudwatch.HorizontalAnnotation{Value: jsii.Number(float64(triggerTimeout.Milliseconds())), Label: jsii.String("Cognito's limit")}),
	)
	if t.ops().DisableMetrics {
		return d
	}
	var emf []awscloudwatch.IWidget
	if t.props.PreSignUp != nil {
		emf = append(emf, graph("Sign-ups allowed, and refused by reason", list(t.emfWidget(metrics.SignUpsAllowed, "", ""), t.emfSearch(metrics.SignUpsRefused, metrics.DimReason))))
	}
	if t.props.Passwordless != nil || t.props.CustomSenders != nil {
		emf = append(emf, graph("Codes sent by channel", list(
			t.emfWidget(metrics.CodesSent, metrics.DimChannel, metrics.ChannelEmail), t.emfWidget(metrics.CodesSent, metrics.DimChannel, metrics.ChannelSMS))))
	}
	if t.props.Passwordless != nil {
		emf = append(emf,
			graph("Answers", list(t.emfWidget(metrics.AnswersRight, "", ""), t.emfWidget(metrics.AnswersWrong, "", ""),
				t.emfWidget(metrics.AnswersExpired, "", ""), t.emfWidget(metrics.AnswersExhausted, "", ""))),
			graph("Send limits hit, and decoys served", list(
				t.emfWidget(metrics.ThrottleHits, metrics.DimScope, metrics.ScopeUser), t.emfWidget(metrics.ThrottleHits, metrics.DimScope, metrics.ScopePool),
				t.emfWidget(metrics.DecoysServed, "", ""))))
	}
	emf = append(emf, graph("Errors by trigger and kind", list(t.emfSearch(metrics.Errors, metrics.DimTrigger, metrics.DimKind))),
		graph("Refusals returned to Cognito, by trigger", list(t.emfSearch(metrics.Denials, metrics.DimTrigger))))
	for chunk := range slices.Chunk(emf, 3) {
		d.AddWidgets(chunk...)
	}
	return d
}

// AlarmTopic returns the SNS topic the alarms notify: Operations.AlarmTopic,
// or the topic the construct created for Operations.CreateAlarmTopic; nil
// otherwise, and with Operations.DisableAlarmsAndDashboard.
func (t *Triggers) AlarmTopic() awssns.ITopic { return t.alarmTopic }

// Alarms returns the alarms the construct created, nil with
// Operations.DisableAlarmsAndDashboard.
func (t *Triggers) Alarms() []awscloudwatch.Alarm { return slices.Clone(t.alarms) }

// Dashboard returns the CloudWatch dashboard of the construct, or nil with
// Operations.DisableAlarmsAndDashboard.
func (t *Triggers) Dashboard() awscloudwatch.Dashboard { return t.dashboard }
