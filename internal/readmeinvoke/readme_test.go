package readmeinvoke

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitrig/cognitrig/internal/docpages"
)

// expectations says, for each make invoke example of the README and of
// the pages of docs/ (by its FN and EVENT), what its output must hold and
// whether the function succeeds: what the documentation says of it. An
// example shown on several pages is shown with the same settings.
var expectations = map[string]struct {
	want    []string
	failure bool // the function fails (invoke's status 1; make exits 0)
}{
	"presignup events/presignup/PreSignUp_SignUp.json": {
		want: []string{`"triggerSource": "PreSignUp_SignUp"`, `"autoConfirmUser": false`}},
	"presignup events/presignup/PreSignUp_SignUp.idn-domain.json": {
		want: []string{`"autoConfirmUser": true`, `"autoVerifyEmail": false`}},
	"presignup events/presignup/PreSignUp_SignUp.blocked-domain.json": {
		want: []string{`"errorMessage": "Sign-up with this email address is not allowed."`, `"errorType": "Denial"`}, failure: true},
	"custommessage events/custommessage/CustomMessage_SignUp.json": {
		want: []string{`"emailSubject": "Confirm your email address for Example"`, "Your Example verification code is {####}"}},
	"custommessage events/custommessage/CustomMessage_SignUp.hostile-given-name.json": {
		want: []string{`"triggerSource": "CustomMessage_SignUp"`, `"emailSubject": "Confirm your email address for Example"`, "{##Click Here##}"}},
	"custommessage events/custommessage/CustomMessage_SignUp.locale-es.json": {
		want: []string{`"emailSubject": "Confirma tu correo electrónico para Example"`, "Tu código de verificación de Example es {####}"}},
	"defineauth events/defineauth/DefineAuthChallenge_Authentication.otp-right-answer.json": {
		want: []string{`"issueTokens": true`, `"failAuthentication": false`}},
	"createauth events/createauth/CreateAuthChallenge_Authentication.user-not-found.json": {
		want: []string{`"channel": "email"`, `"destination": "n***@e***.com"`, `"codeLength": "6"`}},
	"verifyauth events/verifyauth/VerifyAuthChallengeResponse_Authentication.otp.json": {
		want: []string{`"answerCorrect": false`}},
	"customemailsender events/customemailsender/CustomEmailSender_SignUp.json": {
		want: []string{"decrypt the code", "no credentials", "AWS_ACCESS_KEY_ID"}, failure: true},
	"customsmssender events/customsmssender/CustomSmsSender_SignUp.docs-spelling.json": {
		want: []string{"decrypt the code", "no credentials", "AWS_ACCESS_KEY_ID"}, failure: true},
	"pretoken events/pretokengen-v2/TokenGeneration_Authentication.json": {
		want: []string{`"tenant_id": "tenant-example-a"`, `"example-api/admin"`}},
	"pretoken events/pretokengen-v3/TokenGeneration_ClientCredentials.json": {
		want: []string{`"triggerSource": "TokenGeneration_ClientCredentials"`, `"claimsAndScopeOverrideDetails": null`}},
	"pretoken events/pretokengen-v1/TokenGeneration_Authentication.json": {
		want: []string{`pretoken: cannot start: ID_TOKEN_CLAIMS_FROM_ATTRIBUTES: claim "sub" cannot be changed by a trigger`}, failure: true},
	"postconfirmation events/postconfirmation/PostConfirmation_ConfirmForgotPassword.json": {
		want: []string{`"triggerSource": "PostConfirmation_ConfirmForgotPassword"`, `"response": {}`}},
}

// invokeArgs finds the function and the event of a make invoke command.
var invokeArgs = regexp.MustCompile(`make invoke FN=(\S+) EVENT=(\S+)`)

// TestREADMEInvokeExamples runs each make invoke example of the README and
// of the pages of docs/ with a shell, from the repository's root, as a
// reader would paste it, in an environment without any AWS variable.
func TestREADMEInvokeExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every function the documentation invokes; skipped with -short")
	}
	root, pages := docpages.Load(t)
	var commands []docCommand
	for _, page := range pages {
		for _, cmd := range readmeCommands(t, page.Text) {
			commands = append(commands, docCommand{page.Name, cmd})
		}
	}
	if len(commands) < len(expectations) {
		t.Fatalf("found %d make invoke commands in the README and docs/, want %d at least", len(commands), len(expectations))
	}
	if !slices.ContainsFunc(commands, func(c docCommand) bool { return c.doc == "README.md" }) {
		t.Error("the README shows no make invoke example")
	}
	var seen []string
	for _, dc := range commands {
		cmd := dc.cmd
		m := invokeArgs.FindStringSubmatch(cmd)
		key := m[1] + " " + m[2]
		seen = append(seen, key)
		exp, ok := expectations[key]
		if !ok {
			t.Errorf("%s invokes %s; add what it must print to expectations", dc.doc, key)
			continue
		}
		t.Run(dc.doc+"/"+m[1]+"/"+filepath.Base(m[2]), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
			defer cancel()
			c := exec.CommandContext(ctx, "bash", "-c", cmd)
			c.Dir, c.Env = root, withoutAWS(os.Environ())
			out, err := c.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
			for _, w := range exp.want {
				if !bytes.Contains(out, []byte(w)) {
					t.Errorf("%s: the output lacks %s\n%s", cmd, w, out)
				}
			}
			if failed := bytes.Contains(out, []byte("invoke: exit status 1")); failed != exp.failure {
				t.Errorf("%s: the function failed: %v, want %v\n%s", cmd, failed, exp.failure, out)
			}
		})
	}
	for key := range expectations {
		if !slices.Contains(seen, key) {
			t.Errorf("expectations name %s, which neither the README nor docs/ invokes any longer", key)
		}
	}
}

// TestBuildAndInvokeNeedOnlyGo runs make build and the README's make
// invoke example with a PATH that lacks moto_server and cfn-lint, which
// make test needs and these two targets do not.
func TestBuildAndInvokeNeedOnlyGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function; skipped with -short")
	}
	var kept []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if !hasAny(dir, "moto_server", "cfn-lint") {
			kept = append(kept, dir)
		}
	}
	path := strings.Join(kept, string(filepath.ListSeparator))
	for _, tool := range []string{"go", "make", "bash"} {
		if !slices.ContainsFunc(kept, func(dir string) bool { return hasAny(dir, tool) }) {
			t.Skipf("%s shares a directory with moto_server or cfn-lint on this machine", tool)
		}
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"build"}, "build verifyauth (linux/"},
		{[]string{"invoke", "FN=presignup", "EVENT=events/presignup/PreSignUp_SignUp.json"}, `"triggerSource": "PreSignUp_SignUp"`},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
			defer cancel()
			c := exec.CommandContext(ctx, "make", append([]string{"-s"}, tt.args...)...)
			c.Dir, c.Env = "../..", append(withoutAWS(os.Environ()), "PATH="+path)
			if out, err := c.CombinedOutput(); err != nil || !bytes.Contains(out, []byte(tt.want)) {
				t.Errorf("make %s without moto_server and cfn-lint on PATH: %v\n%s", strings.Join(tt.args, " "), err, out)
			}
		})
	}
}

// hasAny reports whether dir holds a file of one of the names.
func hasAny(dir string, names ...string) bool {
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// docCommand is a make invoke command and the page that shows it.
type docCommand struct {
	doc, cmd string
}

// readmeCommands returns the make invoke commands of the shell blocks of
// the Markdown text, with continued lines joined and comments cut.
func readmeCommands(t *testing.T, text []byte) []string {
	t.Helper()
	var cmds []string
	var inShell bool
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			inShell = strings.TrimPrefix(line, "```") == "sh"
			continue
		case !inShell:
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if rest, ok := strings.CutSuffix(strings.TrimRight(line, " "), `\`); ok {
			cur.WriteString(strings.TrimSpace(rest) + " ")
			continue
		}
		cur.WriteString(strings.TrimSpace(line))
		if cmd := cur.String(); invokeArgs.MatchString(cmd) {
			cmds = append(cmds, cmd)
		}
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds
}

// withoutAWS returns env without any AWS_ variable, nor the variables of
// a make that runs this test (a nested make must not join its jobs).
func withoutAWS(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return strings.HasPrefix(name, "AWS_") || name == "MAKEFLAGS" || name == "MFLAGS" || name == "MAKELEVEL"
	})
}
