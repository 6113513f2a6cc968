package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// TestDemoStacksPassCfnLint synthesizes the demonstration app, for a new
// pool and for an existing one, and runs cfn-lint on every template:
// errors fail the test, warnings are logged. No rule is ignored.
func TestDemoStacksPassCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed (pip install cfn-lint): the templates are not linted")
	}
	for _, tc := range []struct {
		name    string
		context map[string]any
	}{
		{"CognitrigDemo", nil},
		{"CognitrigBinding", map[string]any{"userPoolId": "us-east-1_AbCdEf123"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outdir := t.TempDir()
			ctx := map[string]any{"outdir": outdir}
			for k, v := range tc.context {
				ctx[k] = v
			}
			newApp(ctx).Synth(nil)
			tmpl := filepath.Join(outdir, tc.name+".template.json")
			checkAssetMetadata(t, outdir, tmpl)
			checkOperations(t, tmpl, tc.name == "CognitrigBinding")
			if tc.name == "CognitrigDemo" {
				checkREADMESAMCommands(t, tmpl)
			}
			out, err := exec.Command(lint, "--format", "parseable", tmpl).CombinedOutput()
			// cfn-lint's exit code is a bit mask: 2 errors, 4 warnings,
			// 8 informational; 1 is a failure of cfn-lint itself.
			var exit *exec.ExitError
			switch {
			case err == nil:
			case errors.As(err, &exit) && exit.ExitCode()&(1|2) == 0:
				t.Logf("cfn-lint warnings on %s:\n%s", tc.name, out)
			default:
				t.Errorf("cfn-lint %s: %v\n%s", tc.name, err, out)
			}
		})
	}
}

// checkOperations checks that the demonstration has the alarms, the
// dashboard and their topic, with the repair of the binding for an
// existing pool, and that the decoy key is nowhere in the template: no
// dynamic reference to a secret's value, no DECOY_KEY in a function.
func checkOperations(t *testing.T, tmpl string, repair bool) {
	t.Helper()
	data, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "{{resolve:secretsmanager") {
		t.Error("the template holds a dynamic reference to a secret's value")
	}
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Environment struct{ Variables map[string]any }
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for id, r := range doc.Resources {
		count[r.Type]++
		if _, ok := r.Properties.Environment.Variables["DECOY_KEY"]; ok {
			t.Errorf("%s has DECOY_KEY in its environment", id)
		}
	}
	if count["AWS::CloudWatch::Alarm"] == 0 || count["AWS::CloudWatch::Dashboard"] != 1 || count["AWS::SNS::Topic"] != 1 {
		t.Errorf("%d alarms, %d dashboards, %d topics; want alarms, one dashboard and their topic",
			count["AWS::CloudWatch::Alarm"], count["AWS::CloudWatch::Dashboard"], count["AWS::SNS::Topic"])
	}
	if got := count["AWS::Events::Rule"] == 1; got != repair {
		t.Errorf("a repair rule: %v, want %v", got, repair)
	}
}

// checkAssetMetadata checks what sam local invoke -t needs: every
// function's Code comes from an asset directory, named in its metadata,
// that holds an executable bootstrap.
func checkAssetMetadata(t *testing.T, outdir, tmpl string) {
	t.Helper()
	data, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]struct {
			Type       string
			Metadata   map[string]any
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, r := range doc.Resources {
		if r.Type != "AWS::Lambda::Function" {
			continue
		}
		n++
		path, _ := r.Metadata["aws:asset:path"].(string)
		if r.Metadata["aws:asset:property"] != "Code" || !strings.HasPrefix(path, "asset.") {
			t.Errorf("%s: metadata %v, want aws:asset:path and aws:asset:property Code", id, r.Metadata)
			continue
		}
		st, err := os.Stat(filepath.Join(outdir, path, "bootstrap"))
		if err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("%s: want an executable bootstrap in %s (%v)", id, path, err)
		}
		if r.Properties["Handler"] != "bootstrap" || r.Properties["Runtime"] != "provided.al2023" {
			t.Errorf("%s: handler %v, runtime %v; want bootstrap, provided.al2023", id, r.Properties["Handler"], r.Properties["Runtime"])
		}
	}
	if n == 0 {
		t.Errorf("%s has no function", tmpl)
	}
}

// samCommand matches the sam local invoke commands of the README.
var samCommand = regexp.MustCompile(`sam local invoke -t cdk\.out/CognitrigDemo\.template\.json (\S+) -e (\S+)`)

// checkREADMESAMCommands checks that each sam local invoke command of the
// README names a function of the demonstration template and an event of
// that function's trigger.
func checkREADMESAMCommands(t *testing.T, tmpl string) {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	// The functions' logical IDs start with Triggers<Trigger>Function.
	kinds := map[string]trigger.Kind{"PreSignUp": trigger.KindPreSignUp, "CustomMessage": trigger.KindCustomMessage,
		"DefineAuth": trigger.KindDefineAuthChallenge, "CreateAuth": trigger.KindCreateAuthChallenge, "VerifyAuth": trigger.KindVerifyAuthChallenge}
	cmds := samCommand.FindAllStringSubmatch(string(readme), -1)
	if len(cmds) == 0 {
		t.Fatal("the README shows no sam local invoke command")
	}
	for _, c := range cmds {
		id, event := c[1], c[2]
		if doc.Resources[id].Type != "AWS::Lambda::Function" {
			t.Errorf("README: %s is not a function of the demonstration template", id)
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", event))
		if err != nil {
			t.Errorf("README: %v", err)
			continue
		}
		var ev struct{ TriggerSource trigger.Source }
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Errorf("README: %s: %v", event, err)
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(id, "Triggers"), "Function")
		if want, ok := kinds[name]; !ok || ev.TriggerSource.Kind() != want {
			t.Errorf("README: %s gets %s, an event of another trigger", id, event)
		}
	}
}
