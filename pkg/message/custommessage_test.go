package message_test

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/cognitrig/cognitrig/pkg/message"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// fixtures is the folder of the custom message sample events.
const fixtures = "../../events/custommessage/"

// testConfig is the configuration of most tests: code verification,
// email through SES.
var testConfig = message.Config{AppName: "Example", AppURL: "https://app.example.com"}

// newTrigger builds the custom message trigger on fsys (the default
// templates when nil) and returns it with the buffer its logs go to.
func newTrigger(tb testing.TB, fsys fs.FS, cfg message.Config) (*trigger.Handler, *bytes.Buffer) {
	tb.Helper()
	logs := new(bytes.Buffer)
	return newTriggerLogging(tb, fsys, cfg, logs), logs
}

// newTriggerLogging is newTrigger logging to w. The default templates are
// loaded as the function loads them, with LoadDefaults.
func newTriggerLogging(tb testing.TB, fsys fs.FS, cfg message.Config, w io.Writer) *trigger.Handler {
	tb.Helper()
	load := message.LoadDefaults
	if fsys != nil {
		load = func() (*message.Set, error) { return message.Load(fsys) }
	}
	set, err := load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	cm, err := message.NewCustomMessage(set, cfg)
	if err != nil {
		tb.Fatalf("NewCustomMessage: %v", err)
	}
	return trigger.CustomMessage(cm.Handle, trigger.WithLogger(trigger.NewLogger(w, slog.LevelInfo)))
}

// edit changes the request of a decoded fixture.
type edit func(req map[string]any)

func attr(name, value string) edit {
	return func(req map[string]any) { req["userAttributes"].(map[string]any)[name] = value }
}

func noAttr(name string) edit {
	return func(req map[string]any) { delete(req["userAttributes"].(map[string]any), name) }
}

func param(name string, value any) edit {
	return func(req map[string]any) { req[name] = value }
}

// event returns a fixture with the edits applied.
func event(tb testing.TB, file string, edits ...edit) []byte {
	tb.Helper()
	raw := triggertest.Load(tb, fixtures+file)
	if len(edits) == 0 {
		return raw
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		tb.Fatal(err)
	}
	for _, e := range edits {
		e(ev["request"].(map[string]any))
	}
	out, err := json.Marshal(ev)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// invoke runs h on payload and returns the response part of the event.
func invoke(tb testing.TB, h *trigger.Handler, payload []byte) trigger.CustomMessageResponse {
	tb.Helper()
	ev, err := triggertest.InvokeEvent[trigger.CustomMessageEvent](tb, h, payload)
	if err != nil {
		tb.Fatalf("Invoke: %v (the trigger must never block a user)", err)
	}
	return ev.Response
}

// checkRules fails the test when a response breaks one of Cognito's rules
// for the event: the SMS and the email body show the code (or the link),
// and the username for AdminCreateUser; the lengths are within limits; the
// email subject and body are set together.
func checkRules(tb testing.TB, payload []byte, r trigger.CustomMessageResponse, link bool) {
	tb.Helper()
	var ev trigger.CustomMessageEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		tb.Fatal(err)
	}
	req := ev.Request
	shows := []string{string(req.CodeParameter)}
	if ev.TriggerSource == trigger.SourceCustomMessageAdminCreateUser {
		shows = append(shows, string(req.UsernameParameter))
	}
	if r.SMSMessage != "" {
		for _, s := range shows {
			if !strings.Contains(string(r.SMSMessage), s) {
				tb.Errorf("smsMessage lacks %q: %q", s, r.SMSMessage)
			}
		}
		if n := units(string(r.SMSMessage)); n > message.MaxSMS {
			tb.Errorf("smsMessage is %d characters, over %d", n, message.MaxSMS)
		}
	}
	if (r.EmailSubject == "") != (r.EmailMessage == "") {
		tb.Errorf("emailSubject %q and emailMessage (%d bytes) must be set together", r.EmailSubject, len(r.EmailMessage))
	}
	if r.EmailMessage != "" {
		if link {
			shows = []string{string(req.LinkParameter)}
		}
		for _, s := range shows {
			if !strings.Contains(string(r.EmailMessage), s) {
				tb.Errorf("emailMessage lacks %q", s)
			}
		}
		if n := units(string(r.EmailMessage)); n > message.MaxBody {
			tb.Errorf("emailMessage is %d characters, over %d", n, message.MaxBody)
		}
		if n := units(string(r.EmailSubject)); n < 1 || n > message.MaxSubject || strings.ContainsAny(string(r.EmailSubject), "\r\n") {
			tb.Errorf("emailSubject %q is not one line of 1 to %d characters", r.EmailSubject, message.MaxSubject)
		}
	}
}

// units counts what Cognito counts: UTF-16 code units.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestEveryFixtureGetsAllThreeMessages(t *testing.T) {
	paths, err := filepath.Glob(fixtures + "*.json")
	if err != nil || len(paths) < 7 {
		t.Fatalf("found %d fixtures (err %v), want at least 7", len(paths), err)
	}
	for _, cfg := range []message.Config{testConfig, {AppName: "Example", Verification: message.VerifyByLink}} {
		h, logs := newTrigger(t, nil, cfg)
		for _, p := range paths {
			t.Run(string(cfg.Verification)+"/"+filepath.Base(p), func(t *testing.T) {
				payload := triggertest.Load(t, p)
				r := invoke(t, h, payload)
				if r.SMSMessage == "" || r.EmailSubject == "" || r.EmailMessage == "" {
					t.Errorf("response %+v leaves a message to Cognito", r)
				}
				link := cfg.Verification == message.VerifyByLink &&
					(strings.Contains(p, "_SignUp") || strings.Contains(p, "_ResendCode"))
				checkRules(t, payload, r, link)
			})
		}
		if strings.Contains(logs.String(), `"level":"WARN"`) {
			t.Errorf("warnings logged for the sample events:\n%s", logs)
		}
	}
}

// greedySignUp returns the default templates with the given name in every
// part of the SignUp message.
func greedySignUp(t *testing.T) fs.FS {
	t.Helper()
	return overlay(t, map[string]string{
		"en/SignUp.subject.txt": "Welcome, {{.User.given_name}}",
		"en/SignUp.sms.txt":     "{{.User.given_name}}, your code is {{.Code}}",
		"en/SignUp.html":        "<p>{{.User.given_name}}, your code is {{.Code}}</p>",
	})
}

func TestCustomMessage(t *testing.T) {
	long := strings.Repeat("Maximiliana", 182)[:2000]
	greedy := greedySignUp(t)
	linkConfig := testConfig
	linkConfig.Verification = message.VerifyByLink
	cognitoConfig := testConfig
	cognitoConfig.EmailSendingAccount = message.CognitoDefault

	tests := []struct {
		name    string
		fixture string
		edits   []edit
		fsys    fs.FS          // nil: the default templates
		cfg     message.Config // zero: testConfig
		// What the response holds; nil means the field stays null.
		sms, subject, body []string
		bodyLacks          []string
		logs               []string
		link               bool
	}{
		{
			name: "English sign-up", fixture: "CustomMessage_SignUp.json",
			sms: []string{"Your Example verification code is {####}."}, subject: []string{"Confirm your email address for Example"},
			body: []string{`<html lang="en">`, "Hi Jane,", "{####}", "expires in 24 hours", "ignore this email", `href="https://app.example.com"`},
		},
		{
			name: "Spanish fixture", fixture: "CustomMessage_SignUp.locale-es.json",
			sms: []string{"Tu código de verificación de Example es {####}"}, subject: []string{"Confirma tu correo electrónico para Example"},
			body: []string{`<html lang="es">`, "Hola, Lucía:", "{####}", "caduca en 24 horas"},
		},
		{
			name: "es-MX falls back to es", fixture: "CustomMessage_ForgotPassword.json", edits: []edit{attr("locale", "es-MX")},
			sms: []string{"restablecer tu contraseña de Example: {####}"}, subject: []string{"Restablece tu contraseña de Example"}, body: []string{"Hola, John:"},
		},
		{
			name: "es_MX falls back to es", fixture: "CustomMessage_SignUp.json", edits: []edit{attr("locale", "es_MX")},
			subject: []string{"Confirma tu correo"}, sms: []string{"{####}"}, body: []string{"Hola, Jane:"},
		},
		{
			name: "unknown locale gets English", fixture: "CustomMessage_ForgotPassword.json", edits: []edit{attr("locale", "fr-FR")},
			subject: []string{"Reset your Example password"}, sms: []string{"{####}"}, body: []string{"Hi John,", "expires in 1 hour"},
		},
		{
			name: "missing locale gets English", fixture: "CustomMessage_ForgotPassword.json", edits: []edit{noAttr("locale")},
			subject: []string{"Reset your Example password"}, sms: []string{"{####}"}, body: []string{"Hi John,"},
		},
		{
			name: "missing given name", fixture: "CustomMessage_SignUp.json", edits: []edit{noAttr("given_name")},
			subject: []string{"Confirm"}, sms: []string{"{####}"}, body: []string{"Hello,"}, bodyLacks: []string{"Hi ,"},
		},
		{
			name: "admin-created user sees username and temporary password", fixture: "CustomMessage_AdminCreateUser.json",
			sms:     []string{"Your Example username is {username} and temporary password {####}"},
			subject: []string{"Your Example account is ready"}, body: []string{"{username}", "{####}", "Temporary password"},
		},
		{
			name: "placeholders are the request's, not literals", fixture: "CustomMessage_AdminCreateUser.json",
			edits: []edit{param("codeParameter", "{%%%%}"), param("usernameParameter", "{user-x}")},
			sms:   []string{"{user-x}", "{%%%%}"}, subject: []string{"ready"}, body: []string{"{user-x}", "{%%%%}"}, bodyLacks: []string{"{####}", "{username}"},
		},
		{
			name: "admin-created user without a username placeholder", fixture: "CustomMessage_AdminCreateUser.json",
			edits: []edit{param("usernameParameter", nil)},
			logs:  []string{"custom sms not set", "custom email not set", "missing value"},
		},
		{
			name: "no code placeholder", fixture: "CustomMessage_Authentication.json", edits: []edit{param("codeParameter", nil)},
			logs: []string{"custom sms not set", "custom email not set"},
		},
		{
			name: "Cognito's email sender: SMS only", fixture: "CustomMessage_SignUp.json", cfg: cognitoConfig,
			sms: []string{"{####}"},
		},
		{
			name: "link verification: sign-up email carries the link", fixture: "CustomMessage_SignUp.json", cfg: linkConfig, link: true,
			sms: []string{"{####}"}, subject: []string{"Confirm your email address"}, body: []string{"{##Click Here##}", "The link expires"}, bodyLacks: []string{"{####}"},
		},
		{
			name: "link verification: resent email carries the link", fixture: "CustomMessage_ResendCode.json", cfg: linkConfig, link: true,
			sms: []string{"{####}"}, subject: []string{"Your new Example confirmation link"}, body: []string{"{##Click Here##}"}, bodyLacks: []string{"{####}"},
		},
		{
			name: "link verification in Spanish", fixture: "CustomMessage_SignUp.locale-es.json", cfg: linkConfig, link: true,
			sms: []string{"{####}"}, subject: []string{"Confirma"}, body: []string{"{##Click Here##}", "sigue este enlace"}, bodyLacks: []string{"{####}"},
		},
		{
			name: "link verification leaves other messages with the code", fixture: "CustomMessage_ForgotPassword.json", cfg: linkConfig,
			sms: []string{"{####}"}, subject: []string{"Restablece"}, body: []string{"{####}"},
		},
		{
			name: "link verification without a linkParameter falls back to the code", fixture: "CustomMessage_SignUp.json",
			edits: []edit{param("linkParameter", nil)}, cfg: linkConfig,
			sms: []string{"{####}"}, subject: []string{"Confirm"}, body: []string{"{####}", "enter this code"},
			logs: []string{"Cognito sent no linkParameter"},
		},
		{
			name: "hostile given_name stays text", fixture: "CustomMessage_SignUp.hostile-given-name.json",
			sms: []string{"{####}"}, subject: []string{"Confirm"},
			body:      []string{"Hi &lt;img src=x onerror=alert(1)&gt;,"},
			bodyLacks: []string{"<img", "<script", "onerror=alert(1)>"},
		},
		{
			name: "hostile given_name in every part", fixture: "CustomMessage_SignUp.hostile-given-name.json", fsys: greedy,
			sms:       []string{"<img src=x onerror=alert(1)>, your code is {####}"},
			subject:   []string{"Welcome, <img src=x onerror=alert(1)>"},
			body:      []string{"<p>&lt;img src=x onerror=alert(1)&gt;, your code is {####}</p>"},
			bodyLacks: []string{"<img"},
		},
		{
			name: "2,000-character name fits the default messages", fixture: "CustomMessage_SignUp.json", edits: []edit{attr("given_name", long)},
			sms: []string{"{####}"}, subject: []string{"Confirm"}, body: []string{"Hi " + long + ","},
		},
		{
			name: "2,000-character name that does not fit is left to Cognito", fixture: "CustomMessage_SignUp.json",
			edits: []edit{attr("given_name", long)}, fsys: greedy,
			logs: []string{"custom sms not set", "custom email not set", "en/SignUp.sms.txt", "en/SignUp.subject.txt", "the limit is 140"},
		},
		{
			name: "a long name drops only the part that does not fit", fixture: "CustomMessage_SignUp.json",
			edits: []edit{attr("given_name", strings.Repeat("Ann", 40))}, fsys: greedy,
			subject: []string{"Welcome"}, body: []string{"AnnAnn"},
			logs: []string{"custom sms not set", "en/SignUp.sms.txt"},
		},
		{
			name: "control characters in a name are dropped", fixture: "CustomMessage_SignUp.json",
			edits: []edit{attr("given_name", "Ja\u0000ne\u200b\r\nDoe")}, fsys: greedy,
			sms: []string{"Jane Doe, your code is {####}"}, subject: []string{"Welcome, Jane Doe"}, body: []string{"<p>Jane Doe,"},
		},
		{
			name: "attribute of another JSON type", fixture: "CustomMessage_SignUp.json", edits: []edit{param("userAttributes", map[string]any{"given_name": 42.0})},
			sms: []string{"{####}"}, subject: []string{"Confirm"}, body: []string{"Hi 42,"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if cfg == (message.Config{}) {
				cfg = testConfig
			}
			h, logs := newTrigger(t, tt.fsys, cfg)
			payload := event(t, tt.fixture, tt.edits...)
			r := invoke(t, h, payload)
			checkRules(t, payload, r, tt.link)
			expect(t, "smsMessage", string(r.SMSMessage), tt.sms)
			expect(t, "emailSubject", string(r.EmailSubject), tt.subject)
			expect(t, "emailMessage", string(r.EmailMessage), tt.body)
			for _, s := range tt.bodyLacks {
				if strings.Contains(string(r.EmailMessage), s) {
					t.Errorf("emailMessage has %q:\n%s", s, r.EmailMessage)
				}
			}
			if testing.Verbose() && logs.Len() > 0 {
				t.Logf("logs:\n%s", logs)
			}
			for _, s := range tt.logs {
				if !strings.Contains(logs.String(), s) {
					t.Errorf("logs lack %q:\n%s", s, logs)
				}
			}
			for _, secret := range []string{long[:40], "jane.doe@example.com", "john.roe@example.org"} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("logs show personal data %q:\n%s", secret, logs)
				}
			}
		})
	}
}

// expect checks that a response field is null when want is nil, and
// otherwise holds every string of want.
func expect(t *testing.T, field, got string, want []string) {
	t.Helper()
	if want == nil {
		if got != "" {
			t.Errorf("%s = %q, want null", field, got)
		}
		return
	}
	if got == "" {
		t.Errorf("%s is null, want it set", field)
		return
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", field, w, got)
		}
	}
}

// overlay returns the default templates with some files replaced.
func overlay(tb testing.TB, files map[string]string) fs.FS {
	tb.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(message.Defaults(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(message.Defaults(), path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	for name, src := range maps.All(files) {
		out[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return out
}

func TestNewCustomMessageRefusesBrokenTemplates(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   message.Config
		want  []string
	}{
		{
			name:  "SMS without the code",
			files: map[string]string{"es/SignUp.sms.txt": "Bienvenido a {{.AppName}}"},
			want:  []string{"es/SignUp.sms.txt", "must show .Code"},
		},
		{
			name:  "AdminCreateUser body without the username",
			files: map[string]string{"en/AdminCreateUser.html": "<p>{{.Code}}</p>"},
			want:  []string{"en/AdminCreateUser.html", "must show .Username"},
		},
		{
			name:  "subject too long with typical data",
			files: map[string]string{"en/ForgotPassword.subject.txt": "Reset {{.User.name}} " + strings.Repeat("x", 120)},
			want:  []string{"en/ForgotPassword.subject.txt", "the limit is 140"},
		},
		{
			name:  "subject empty without a name",
			files: map[string]string{"en/ForgotPassword.subject.txt": "{{.User.given_name}}"},
			want:  []string{"en/ForgotPassword.subject.txt", "is empty"},
		},
		{
			name:  "body that breaks on a user without attributes",
			files: map[string]string{"en/Authentication.html": `{{.Code}}{{index .User.email 0}}`},
			want:  []string{"en/Authentication.html", "template failed"},
		},
		{
			name:  "link mode needs the link",
			files: map[string]string{"en/SignUp.html": "<p>{{.Code}}</p>"},
			cfg:   message.Config{AppName: "Example", Verification: message.VerifyByLink},
			want:  []string{"en/SignUp.html", "must show .Link"},
		},
		{
			name:  "a language without a message",
			files: map[string]string{"de/SignUp.sms.txt": "{{.Code}}"},
			want:  []string{"de/SignUp.html: no such template", "de/Authentication.sms.txt: no such template"},
		},
		{
			name:  "an app name too long for an SMS",
			files: map[string]string{"en/Authentication.sms.txt": strings.Repeat("x", 100) + " {{.AppName}} {{.Code}}"},
			cfg:   message.Config{AppName: strings.Repeat("N", message.MaxAppName)},
			want:  []string{"en/Authentication.sms.txt", "the SMS is 148 characters long"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := message.Load(overlay(t, tt.files))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			cfg := tt.cfg
			if cfg == (message.Config{}) {
				cfg = testConfig
			}
			_, err = message.NewCustomMessage(set, cfg)
			if err == nil {
				t.Fatal("NewCustomMessage passed, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestCognitoDefaultNeedsNoEmailTemplates(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, src := range []string{"SignUp", "AdminCreateUser", "ResendCode", "ForgotPassword", "UpdateUserAttribute", "VerifyUserAttribute", "Authentication"} {
		fsys["en/"+src+".sms.txt"] = &fstest.MapFile{Data: []byte("{{.Username}} {{.Code}}")}
	}
	set, err := message.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := message.NewCustomMessage(set, message.Config{AppName: "E", EmailSendingAccount: message.CognitoDefault}); err != nil {
		t.Errorf("NewCustomMessage with COGNITO_DEFAULT: %v", err)
	}
	if _, err := message.NewCustomMessage(set, message.Config{AppName: "E"}); err == nil {
		t.Errorf("NewCustomMessage with DEVELOPER passed without email templates")
	}
}

func TestLongestAppNameFitsTheDefaults(t *testing.T) {
	set, err := message.Load(message.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []message.Config{
		{AppName: strings.Repeat("W", message.MaxAppName), AppURL: "https://app.example.com"},
		{AppName: strings.Repeat("W", message.MaxAppName), Verification: message.VerifyByLink},
	} {
		if _, err := message.NewCustomMessage(set, cfg); err != nil {
			t.Errorf("NewCustomMessage with a %d-character APP_NAME: %v", message.MaxAppName, err)
		}
	}
}

func TestNewCustomMessageChecksConfig(t *testing.T) {
	set, err := message.Load(message.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	_, err = message.NewCustomMessage(set, message.Config{AppName: "E", Verification: "magic"})
	if err == nil || !strings.Contains(err.Error(), "VERIFICATION") {
		t.Errorf("NewCustomMessage error = %v, want one naming VERIFICATION", err)
	}
}
