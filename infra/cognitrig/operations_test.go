package cognitrig_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/infra/cognitrig"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

// lint runs cfn-lint on the template, as the demonstration's test does:
// errors fail the test, warnings are logged.
func (tm template) lint(t *testing.T) {
	t.Helper()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Log("cfn-lint is not installed (pip install cfn-lint): the template is not linted")
		return
	}
	file := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(file, []byte(jsonOf(tm)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--format", "parseable", file).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode()&(1|2) == 0:
		t.Logf("cfn-lint warnings:\n%s", out)
	default:
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

// alarms returns the alarms of the template in short, sorted: namespace,
// metric, dimensions (values written by refs), statistic, period and
// threshold. It fails the test unless every alarm fires above its
// threshold in one period and treats missing data as not breaching.
func (tm template) alarms(t *testing.T) []string {
	t.Helper()
	var out []string
	for id, a := range tm.ofType("AWS::CloudWatch::Alarm") {
		p := a["Properties"].(map[string]any)
		if p["ComparisonOperator"] != "GreaterThanThreshold" || p["EvaluationPeriods"] != float64(1) || p["TreatMissingData"] != "notBreaching" {
			t.Errorf("alarm %s: %v %v periods, missing data %v; want GreaterThanThreshold in 1 period, notBreaching", id, p["ComparisonOperator"], p["EvaluationPeriods"], p["TreatMissingData"])
		}
		if ms, ok := p["Metrics"].([]any); ok {
			// A math expression: "EXPRESSION (ID=METRIC; ...) > THRESHOLD".
			var expr string
			var used []string
			for _, m := range ms {
				m := m.(map[string]any)
				if e, ok := m["Expression"].(string); ok {
					expr = e
					continue
				}
				st := m["MetricStat"].(map[string]any)
				used = append(used, fmt.Sprint(m["Id"], "=", metricText(st["Metric"].(map[string]any), st["Stat"], st["Period"])))
			}
			slices.Sort(used)
			out = append(out, fmt.Sprintf("%s (%s) > %v", expr, strings.Join(used, "; "), p["Threshold"]))
			continue
		}
		out = append(out, fmt.Sprintf("%s > %v", metricText(p, p["Statistic"], p["Period"]), p["Threshold"]))
	}
	slices.Sort(out)
	return out
}

// metricText writes a metric of an alarm in short: namespace, name,
// dimensions (values written by refs), statistic and period.
func metricText(m map[string]any, stat, period any) string {
	var dims []string
	ds, _ := m["Dimensions"].([]any)
	for _, d := range ds {
		d := d.(map[string]any)
		dims = append(dims, fmt.Sprint(d["Name"], "=", refs(d["Value"])))
	}
	slices.Sort(dims)
	return fmt.Sprintf("%s %s {%s} %s %v", m["Namespace"], m["MetricName"], strings.Join(dims, " "), stat, period)
}

// triggerOf is the trigger each shipped function serves, by construct ID.
var triggerOf = map[string]string{
	"PreSignUp": "PreSignUp", "CustomMessage": "CustomMessage", "PostConfirmation": "PostConfirmation",
	"DefineAuth": "DefineAuthChallenge", "CreateAuth": "CreateAuthChallenge", "VerifyAuth": "VerifyAuthChallengeResponse",
	"PreToken": "PreTokenGeneration", "CustomEmailSender": "CustomEmailSender", "CustomSMSSender": "CustomSMSSender",
}

// lambdaAlarms are the alarms of a function (by its construct ID): errors
// (less its trigger's Denials in namespace ns for service, unless ns is
// empty: metrics off) and throttles, and for a trigger Cognito waits for,
// the longest invocation above slow milliseconds (0: none).
func (tm template) lambdaAlarms(t *testing.T, id string, slow int, ns, service string) []string {
	t.Helper()
	fn := tm.logicalID(t, "AWS::Lambda::Function", "Triggers"+id+"Function")
	errs := "AWS/Lambda Errors {FunctionName=" + fn + "} Sum 300 > 0"
	if ns != "" {
		errs = fmt.Sprintf("FILL(errors, 0) - FILL(denials, 0) (denials=%s Denials {service=%s trigger=%s} Sum 300; errors=AWS/Lambda Errors {FunctionName=%s} Sum 300) > 0",
			ns, service, triggerOf[id], fn)
	}
	out := []string{
		errs,
		"AWS/Lambda Throttles {FunctionName=" + fn + "} Sum 300 > 0",
	}
	if slow > 0 {
		out = append(out, fmt.Sprintf("AWS/Lambda Duration {FunctionName=%s} Maximum 300 > %d", fn, slow))
	}
	return out
}

// TestAlarms checks the alarms of every shipped function and of the EMF
// metrics of abuse, with the defaults: no action, and a note that says so.
func TestAlarms(t *testing.T) {
	s := ownedApp(t)
	var want []string
	for _, id := range []string{"PreSignUp", "CustomMessage", "DefineAuth", "CreateAuth", "VerifyAuth", "PostConfirmation", "PreToken"} {
		want = append(want, s.tmpl.lambdaAlarms(t, id, 4000, "cognitrig", "Owned-Triggers")...)
	}
	// Cognito does not wait for the custom senders.
	want = append(want, s.tmpl.lambdaAlarms(t, "CustomEmailSender", 0, "cognitrig", "Owned-Triggers")...)
	want = append(want, s.tmpl.lambdaAlarms(t, "CustomSMSSender", 0, "cognitrig", "Owned-Triggers")...)
	want = append(want,
		"cognitrig CodesSent {channel=sms service=Owned-Triggers} Sum 3600 > 100",
		"cognitrig AnswersWrong {service=Owned-Triggers} Sum 300 > 50",
	)
	slices.Sort(want)
	if got := s.tmpl.alarms(t); !slices.Equal(got, want) {
		t.Errorf("alarms\n got %q\nwant %q", got, want)
	}
	for id, a := range s.tmpl.ofType("AWS::CloudWatch::Alarm") {
		p := a["Properties"].(map[string]any)
		if p["AlarmActions"] != nil || p["OKActions"] != nil || p["AlarmDescription"] == nil {
			t.Errorf("alarm %s: actions %v, %v, description %v; want none by default, and a description", id, p["AlarmActions"], p["OKActions"], p["AlarmDescription"])
		}
	}
	if got := len(s.triggers.Alarms()); got != len(want) {
		t.Errorf("Alarms() has %d alarms, want %d", got, len(want))
	}
	if s.triggers.AlarmTopic() != nil || len(s.tmpl.ofType("AWS::SNS::Topic")) != 0 {
		t.Error("a topic without Operations.AlarmTopic or CreateAlarmTopic")
	}
	notes := assertions.Annotations_FromStack(s.stack).FindInfo(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("alarms notify nobody")))
	if notes == nil || len(*notes) != 1 {
		t.Errorf("got notes %v, want one that the alarms notify nobody", notes)
	}
	s.tmpl.lint(t)
}

// dashboardWidgets returns the widgets of the one dashboard by title, each
// as its JSON.
func (tm template) dashboardWidgets(t *testing.T) map[string]string {
	t.Helper()
	body := refs(tm.only(t, "AWS::CloudWatch::Dashboard")["Properties"].(map[string]any)["DashboardBody"])
	var doc struct {
		Widgets []struct {
			Properties struct {
				Title    string
				Markdown string
			}
		}
	}
	var raw struct{ Widgets []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("dashboard body: %v\n%s", err, body)
	}
	_ = json.Unmarshal([]byte(body), &raw)
	out := map[string]string{}
	for i, w := range doc.Widgets {
		title := w.Properties.Title
		if title == "" {
			title = "text"
		}
		out[title] = string(raw.Widgets[i])
	}
	return out
}

// TestDashboard checks the dashboard: the functions' AWS/Lambda metrics
// and the EMF metrics of what they do.
func TestDashboard(t *testing.T) {
	s := ownedApp(t)
	if s.triggers.Dashboard() == nil {
		t.Fatal("Dashboard() = nil")
	}
	widgets := s.tmpl.dashboardWidgets(t)
	createAuth := s.tmpl.logicalID(t, "AWS::Lambda::Function", "TriggersCreateAuthFunction")
	for title, parts := range map[string][]string{
		"Invocations":            {`"AWS/Lambda","Invocations","FunctionName","` + createAuth + `"`},
		"Errors and throttles":   {`"AWS/Lambda","Errors","FunctionName","` + createAuth + `"`, `"AWS/Lambda","Throttles"`},
		"Duration (maximum, ms)": {`"AWS/Lambda","Duration","FunctionName","` + createAuth + `"`, `"stat":"Maximum"`, `"value":5000`},
		"Sign-ups allowed, and refused by reason": {`"cognitrig","SignUpsAllowed","service","Owned-Triggers"`,
			`SEARCH('{\"cognitrig\",service,reason} MetricName=\"SignUpsRefused\" service=\"Owned-Triggers\"', 'Sum', 300)`},
		"Codes sent by channel":                    {`"cognitrig","CodesSent","channel","email","service","Owned-Triggers"`, `"cognitrig","CodesSent","channel","sms","service","Owned-Triggers"`},
		"Answers":                                  {`"AnswersRight"`, `"AnswersWrong"`, `"AnswersExpired"`, `"AnswersExhausted"`},
		"Send limits hit, and decoys served":       {`"ThrottleHits","scope","user"`, `"ThrottleHits","scope","pool"`, `"DecoysServed"`},
		"Errors by trigger and kind":               {`SEARCH('{\"cognitrig\",service,trigger,kind} MetricName=\"Errors\" service=\"Owned-Triggers\"', 'Sum', 300)`},
		"Refusals returned to Cognito, by trigger": {`SEARCH('{\"cognitrig\",service,trigger} MetricName=\"Denials\" service=\"Owned-Triggers\"', 'Sum', 300)`},
		"text": {"Owned/Triggers"},
	} {
		w, ok := widgets[title]
		if !ok {
			t.Errorf("no widget %q among %v", title, slices.Sorted(mapKeys(widgets)))
			continue
		}
		for _, p := range parts {
			if !strings.Contains(w, p) {
				t.Errorf("widget %q: %s\nwant %s in it", title, w, p)
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// opsStack synthesizes Triggers of the props in a stack of its own, with
// functions that build in no time.
func opsStack(t *testing.T, props cognitrig.Props) (template, *cognitrig.Triggers, awscdk.Stack) {
	t.Helper()
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
	if props.ModuleDir == "" {
		props.ModuleDir = passwordlessModule(t, "triggers/presignup", "triggers/customsmssender", "infra/userpoolbinding")
	}
	tr := cognitrig.NewTriggers(stack, "Triggers", &props)
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl, tr, stack
}

// TestOperationsProps checks the service name, the namespace, the
// thresholds and the topic the construct creates.
func TestOperationsProps(t *testing.T) {
	tmpl, tr, _ := opsStack(t, cognitrig.Props{AppName: "Example",
		Passwordless: &cognitrig.PasswordlessProps{Channel: "sms", SMSAllowedCallingCodes: []string{"1"}},
		Operations: &cognitrig.OperationsProps{ServiceName: "auth.prod", MetricsNamespace: "MyApp/Auth", SMSCodesPerHour: 20, WrongAnswersPer5Minutes: 10,
			SlowTrigger: awscdk.Duration_Seconds(jsii.Number(3)), CreateAlarmTopic: true},
	})
	for _, id := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
		env := tmpl.functionEnv(t, id)
		if env["POWERTOOLS_SERVICE_NAME"] != "auth.prod" || env["POWERTOOLS_METRICS_NAMESPACE"] != "MyApp/Auth" || env["POWERTOOLS_METRICS_DISABLED"] != "" {
			t.Errorf("%s: metrics environment %v", id, env)
		}
	}
	var want []string
	for _, id := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
		want = append(want, tmpl.lambdaAlarms(t, id, 3000, "MyApp/Auth", "auth.prod")...)
	}
	want = append(want,
		"MyApp/Auth CodesSent {channel=sms service=auth.prod} Sum 3600 > 20",
		"MyApp/Auth AnswersWrong {service=auth.prod} Sum 300 > 10",
	)
	slices.Sort(want)
	if got := tmpl.alarms(t); !slices.Equal(got, want) {
		t.Errorf("alarms\n got %q\nwant %q", got, want)
	}
	topic := tmpl.logicalID(t, "AWS::SNS::Topic")
	if tr.AlarmTopic() == nil {
		t.Error("AlarmTopic() = nil, want the topic created for CreateAlarmTopic")
	}
	if got := jsonOf(tmpl.only(t, "AWS::SNS::TopicPolicy")["Properties"]); !strings.Contains(got, `"aws:SecureTransport":"false"`) {
		t.Errorf("topic policy %s, want SSL enforced", got)
	}
	for id, a := range tmpl.ofType("AWS::CloudWatch::Alarm") {
		p := a["Properties"].(map[string]any)
		if w := `[{"Ref":"` + topic + `"}]`; jsonOf(p["AlarmActions"]) != w || jsonOf(p["OKActions"]) != w {
			t.Errorf("alarm %s: actions %v, %v; want %s", id, p["AlarmActions"], p["OKActions"], w)
		}
	}
	tmpl.lint(t)
}

// TestAlarmTopicGiven checks that the alarms notify a topic given in the
// props, and that no topic is created.
func TestAlarmTopicGiven(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
	const arn = "arn:aws:sns:us-east-1:123456789012:ops"
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		PreSignUp:  &cognitrig.PreSignUpProps{},
		Operations: &cognitrig.OperationsProps{AlarmTopic: awssns.Topic_FromTopicArn(stack, jsii.String("Ops"), jsii.String(arn))},
		ModuleDir:  fakeModule(t, "triggers/presignup"),
	})
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.ofType("AWS::SNS::Topic")) != 0 || tr.AlarmTopic() == nil || *tr.AlarmTopic().TopicArn() != arn {
		t.Errorf("topics %v, AlarmTopic() %v; want the given topic only", tmpl.ofType("AWS::SNS::Topic"), tr.AlarmTopic())
	}
	alarms := tmpl.ofType("AWS::CloudWatch::Alarm")
	if len(alarms) != 3 {
		t.Errorf("%d alarms, want errors, throttles and duration of presignup", len(alarms))
	}
	for id, a := range alarms {
		if got := jsonOf(a["Properties"].(map[string]any)["AlarmActions"]); got != `["`+arn+`"]` {
			t.Errorf("alarm %s: AlarmActions %s, want the given topic", id, got)
		}
	}
	tmpl.lint(t)
}

// TestOperationsOff checks the switches: without alarms and dashboard
// there are none, but the metrics stay; without metrics, the functions
// write none and the alarms on them and their widgets go.
func TestOperationsOff(t *testing.T) {
	pw := &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", SMSAllowedCallingCodes: []string{"1"}}
	t.Run("alarms and dashboard", func(t *testing.T) {
		tmpl, tr, _ := opsStack(t, cognitrig.Props{AppName: "Example", Passwordless: pw, Operations: &cognitrig.OperationsProps{DisableAlarmsAndDashboard: true, CreateAlarmTopic: true}})
		for _, typ := range []string{"AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::SNS::Topic"} {
			if got := tmpl.ofType(typ); len(got) != 0 {
				t.Errorf("%d resources of type %s, want none", len(got), typ)
			}
		}
		if tr.Dashboard() != nil || tr.Alarms() != nil || tr.AlarmTopic() != nil {
			t.Error("Dashboard(), Alarms() or AlarmTopic() is not nil")
		}
		if env := tmpl.functionEnv(t, "CreateAuth"); env["POWERTOOLS_SERVICE_NAME"] != "Stack-Triggers" || env["POWERTOOLS_METRICS_DISABLED"] != "" {
			t.Errorf("metrics environment %v, want the metrics on", env)
		}
	})
	t.Run("metrics", func(t *testing.T) {
		tmpl, _, _ := opsStack(t, cognitrig.Props{AppName: "Example", Passwordless: pw, Operations: &cognitrig.OperationsProps{DisableMetrics: true}})
		for _, id := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
			if got := tmpl.functionEnv(t, id)["POWERTOOLS_METRICS_DISABLED"]; got != "true" {
				t.Errorf("%s: POWERTOOLS_METRICS_DISABLED = %q, want true", id, got)
			}
		}
		var want []string
		for _, id := range []string{"DefineAuth", "CreateAuth", "VerifyAuth"} {
			want = append(want, tmpl.lambdaAlarms(t, id, 4000, "", "")...)
		}
		slices.Sort(want)
		if got := tmpl.alarms(t); !slices.Equal(got, want) {
			t.Errorf("alarms without metrics\n got %q\nwant %q (AWS/Lambda's alone)", got, want)
		}
		widgets := tmpl.dashboardWidgets(t)
		for title, w := range widgets {
			if strings.Contains(w, `"cognitrig"`) {
				t.Errorf("widget %q shows EMF metrics without metrics: %s", title, w)
			}
		}
		if _, ok := widgets["Invocations"]; !ok {
			t.Errorf("widgets %v, want the functions' own metrics still", slices.Sorted(mapKeys(widgets)))
		}
	})
}

// TestAbuseAlarms checks that the SMS pumping alarm exists exactly when
// the functions can send SMS, and the wrong answers alarm with
// passwordless sign-in.
func TestAbuseAlarms(t *testing.T) {
	for _, tc := range []struct {
		name         string
		props        cognitrig.Props
		sms, answers bool
	}{
		{"codes by email only", cognitrig.Props{Passwordless: &cognitrig.PasswordlessProps{Channel: "email", EmailFrom: "a@example.com", SMSAllowedCallingCodes: []string{"1"}}}, false, true},
		{"auto without SMS countries", cognitrig.Props{Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com"}}, false, true},
		{"auto with SMS countries", cognitrig.Props{Passwordless: &cognitrig.PasswordlessProps{EmailFrom: "a@example.com", SMSAllowedCallingCodes: []string{"1"}}}, true, true},
		{"custom SMS sender", cognitrig.Props{CustomSenders: &cognitrig.CustomSendersProps{SMS: true, SMSAllowedCallingCodes: []string{"1"}}}, true, false},
		{"pre sign-up", cognitrig.Props{PreSignUp: &cognitrig.PreSignUpProps{}}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.props.AppName = "Example"
			tmpl, _, _ := opsStack(t, tc.props)
			alarms := strings.Join(tmpl.alarms(t), "\n")
			if got := strings.Contains(alarms, " CodesSent "); got != tc.sms {
				t.Errorf("SMS pumping alarm: %v, want %v", got, tc.sms)
			}
			if got := strings.Contains(alarms, " AnswersWrong "); got != tc.answers {
				t.Errorf("wrong answers alarm: %v, want %v", got, tc.answers)
			}
		})
	}
}

// TestTracing checks that Props.Tracing sets X-Ray tracing on every
// function the construct makes, the binding's included.
func TestTracing(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("us-east-1")})
	cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		ExistingUserPool: existingPool(stack, "us-east-1_AbC123"), Nonce: "n", RepairDrift: true,
		PreSignUp: &cognitrig.PreSignUpProps{}, Tracing: awslambda.Tracing_ACTIVE,
		ModuleDir: fakeModule(t, "triggers/presignup", "infra/userpoolbinding"),
	})
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	fns := tmpl.ofType("AWS::Lambda::Function")
	if len(fns) != 3 {
		t.Errorf("%d functions, want presignup, the binding and the repair", len(fns))
	}
	for id, fn := range fns {
		if got := jsonOf(fn["Properties"].(map[string]any)["TracingConfig"]); got != `{"Mode":"Active"}` {
			t.Errorf("%s: TracingConfig %s, want Active", id, got)
		}
	}
}

// deploy writes a resolved value as deployment would: Fn::Join joined,
// the ARN of a GetAtt a function's ARN named after the resource.
func deploy(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if g, ok := v["Fn::GetAtt"].([]any); ok {
			return "arn:aws:lambda:eu-west-1:123456789012:function:" + fmt.Sprint(g[0])
		}
		if j, ok := v["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, deploy(p))
			}
			return strings.Join(parts, j[0].(string))
		}
	}
	return jsonOf(v)
}

// TestRepairDrift checks the repair of the binding: a second function from
// the binding's code, with the binding's properties (LambdaConfig bound
// after NewTriggers included), the rule on the pool's UpdateUserPool
// calls, and the binding's permissions on the pool only.
func TestRepairDrift(t *testing.T) {
	stack := awscdk.NewStack(newApp(), jsii.String("Stack"), &awscdk.StackProps{Env: env("eu-west-1")})
	tr := cognitrig.NewTriggers(stack, "Triggers", &cognitrig.Props{
		ExistingUserPool: existingPool(stack, "eu-west-1_AbC123"), Nonce: "n", RepairDrift: true,
		PreSignUp: &cognitrig.PreSignUpProps{},
		PassRoles: []awsiam.IRole{awsiam.Role_FromRoleArn(stack, jsii.String("SMSRole"), jsii.String("arn:aws:iam::123456789012:role/cognito-sms"), nil)},
		ModuleDir: fakeModule(t, "triggers/presignup", "infra/userpoolbinding"),
	})
	tr.Bind(userpool.PreAuthentication, userFunction(stack, "PreAuth"), nil)
	tmpl, err := synth(stack)
	if err != nil {
		t.Fatal(err)
	}
	if tr.RepairFunction() == nil || tr.RepairRule() == nil {
		t.Fatal("RepairFunction() or RepairRule() is nil")
	}
	repair := tmpl.resource(t, "AWS::Lambda::Function", "TriggersUserPoolRepairFunction")
	bindingFn := tmpl.resource(t, "AWS::Lambda::Function", "TriggersUserPoolBindingFunction")
	if a, b := repair["Metadata"].(map[string]any)["aws:asset:path"], bindingFn["Metadata"].(map[string]any)["aws:asset:path"]; a != b {
		t.Errorf("repair asset %v, binding asset %v; want the same code", a, b)
	}
	bindingID := tmpl.logicalID(t, "Custom::CognitrigUserPoolBinding")
	vars := repair["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
	if got := jsonOf(vars["REPAIR_STACK_ID"]); got != `{"Ref":"AWS::StackId"}` {
		t.Errorf("REPAIR_STACK_ID = %s, want the stack's ID", got)
	}
	if vars["REPAIR_LOGICAL_ID"] != bindingID {
		t.Errorf("REPAIR_LOGICAL_ID = %v, want %s", vars["REPAIR_LOGICAL_ID"], bindingID)
	}
	var repairProps map[string]any
	if err := json.Unmarshal([]byte(refs(vars["REPAIR_PROPERTIES"])), &repairProps); err != nil {
		t.Fatalf("REPAIR_PROPERTIES %s: %v", refs(vars["REPAIR_PROPERTIES"]), err)
	}
	bound := map[string]any{}
	for k, v := range tmpl.only(t, "Custom::CognitrigUserPoolBinding")["Properties"].(map[string]any) {
		bound[k] = v
	}
	delete(bound, "ServiceToken")
	delete(bound, "Nonce")
	lc := map[string]any{}
	for k, v := range bound["LambdaConfig"].(map[string]any) {
		lc[k] = refs(v)
	}
	bound["LambdaConfig"] = lc
	if got, want := jsonOf(repairProps), jsonOf(bound); got != want || !strings.Contains(got, "PreAuth") {
		t.Errorf("REPAIR_PROPERTIES\n got %s\nwant %s (the binding's properties but ServiceToken and Nonce)", got, want)
	}
	// The repair function reads its environment so, with the tokens
	// written out as deployment does.
	deployed := map[string]string{
		binding.EnvRepairProperties: deploy(vars["REPAIR_PROPERTIES"]),
		binding.EnvRepairStackID:    "arn:aws:cloudformation:eu-west-1:123456789012:stack/Stack/4f3c2b10-0000-0000-0000-000000000000",
		binding.EnvRepairLogicalID:  bindingID,
	}
	target, err := binding.ParseRepairEnv(func(k string) string { return deployed[k] })
	if err != nil {
		t.Errorf("binding.ParseRepairEnv: %v", err)
	} else if target.Properties.UserPoolID != "eu-west-1_AbC123" || len(target.Properties.Bindings) != 2 || target.Properties.TakeOver {
		t.Errorf("binding.ParseRepairEnv = %+v, want the pool, PreSignUp and PreAuthentication, no take-over", target.Properties)
	}

	rule := tmpl.only(t, "AWS::Events::Rule")["Properties"].(map[string]any)
	wantPattern := `{"detail":{"errorCode":[{"exists":false}],"eventName":["UpdateUserPool"],"eventSource":["cognito-idp.amazonaws.com"],"requestParameters":{"userPoolId":["eu-west-1_AbC123"]}},"detail-type":["AWS API Call via CloudTrail"],"source":["aws.cognito-idp"]}`
	if got := jsonOf(rule["EventPattern"]); got != wantPattern {
		t.Errorf("EventPattern\n got %s\nwant %s", got, wantPattern)
	}
	repairID := tmpl.logicalID(t, "AWS::Lambda::Function", "TriggersUserPoolRepairFunction")
	targets := rule["Targets"].([]any)
	if len(targets) != 1 || getAttArn(targets[0].(map[string]any)["Arn"]) != repairID+".Arn" {
		t.Errorf("rule targets %v, want the repair function", targets)
	}
	var invokedByEvents bool
	for _, p := range tmpl.ofType("AWS::Lambda::Permission") {
		p := p["Properties"].(map[string]any)
		if p["Principal"] == "events.amazonaws.com" {
			invokedByEvents = getAttArn(p["FunctionName"]) == repairID+".Arn" && getAttArn(p["SourceArn"]) == tmpl.logicalID(t, "AWS::Events::Rule")+".Arn"
		}
	}
	if !invokedByEvents {
		t.Error("no permission for the rule to invoke the repair function")
	}
	poolArn := "[arn:*:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123]"
	got := tmpl.statements(t, "TriggersUserPoolRepairRole")
	for _, w := range []stmt{
		{`["cognito-idp:DescribeUserPool","cognito-idp:UpdateUserPool","cognito-idp:TagResource","cognito-idp:UntagResource","cognito-idp:ListTagsForResource"]`, poolArn},
		{`"iam:PassRole"`, "[arn:aws:iam::123456789012:role/cognito-sms]"},
	} {
		if !slices.Contains(got, w) {
			t.Errorf("repair role statements %v\nwant %v among them", got, w)
		}
	}
	if len(got) != 3 {
		t.Errorf("repair role statements %v, want the binding's two and its logs", got)
	}
	if alarms := strings.Join(tmpl.alarms(t), "\n"); !strings.Contains(alarms, "Errors {FunctionName="+repairID+"}") || strings.Contains(alarms, "Duration {FunctionName="+repairID+"}") {
		t.Errorf("alarms\n%s\nwant the repair function's errors, and no duration alarm for it", alarms)
	}
	notes := assertions.Annotations_FromStack(stack).FindInfo(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("CloudTrail")))
	if notes == nil || len(*notes) != 1 {
		t.Errorf("got notes %v, want one that the rule needs CloudTrail management events", notes)
	}
	tmpl.lint(t)
}
