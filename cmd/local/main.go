// Command local runs the whole system on this machine, with no AWS account
// and no Docker: moto_server (SES v2, SNS, KMS, DynamoDB), a local Lambda
// endpoint serving every trigger as its real bootstrap under the Runtime
// Interface Emulator, and the user-pool API: cognito-local with a user
// pool and an app client whose triggers call that endpoint, behind a
// front that runs passwordless sign-in (CUSTOM_AUTH) and serves the
// mailbox of everything the stack sent. See package devstack.
//
// Usage:
//
//	local [-demo] [-clean] [-moto-port 5000] [-lambda-port 3001] [-cognito-port 9229]
//	      [-dir build/local] [-emulator build/tools/aws-lambda-rie]
//	      [-tools tools]
//
// Without -demo it prints the endpoints and commands to try, and serves
// until interrupted (Ctrl-C), then stops everything, says what it stopped
// and exits 0. The pool, its app client and its users are kept from one
// run to the next (in -dir); -clean starts with a new pool. On Linux it takes the terminal for its own process group,
// so that Ctrl-C does not interrupt make too. With -demo it runs
// the scripted demonstration on free ports and exits: 0 when every step
// went as expected, 1 otherwise. The ports default to MOTO_PORT,
// LAMBDA_PORT and COGNITO_PORT from the environment, else the numbers
// above. It runs from the repository root, as `make local` and
// `make demo` do.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cognitrig/cognitrig/internal/cli"
	"github.com/cognitrig/cognitrig/internal/devstack"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Ctrl-C stops this process only, so that make sees its status.
	restore := foreground()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	restore()
	stop()
	os.Exit(code)
}

// portVar reads a port from the environment variable name, else def.
func portVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("%s=%q is not a port number (1 to 65535)", name, v)
	}
	return p, nil
}

// run is the command without the process around it; it returns the exit
// status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("local", stderr, "")
	ports := map[string]int{"MOTO_PORT": 5000, "LAMBDA_PORT": 3001, "COGNITO_PORT": 9229}
	for name, def := range ports {
		p, err := portVar(getenv, name, def)
		if err != nil {
			fmt.Fprintln(stderr, "local:", err)
			return 2
		}
		ports[name] = p
	}
	var (
		demo        = fs.Bool("demo", false, "run the scripted demonstration on free ports, with a new pool, then exit")
		clean       = fs.Bool("clean", false, "start with a new pool: no app client or user of an earlier run")
		motoPort    = fs.Int("moto-port", ports["MOTO_PORT"], "`port` of moto_server (MOTO_PORT)")
		lambdaPort  = fs.Int("lambda-port", ports["LAMBDA_PORT"], "`port` of the local Lambda endpoint (LAMBDA_PORT)")
		cognitoPort = fs.Int("cognito-port", ports["COGNITO_PORT"], "`port` of the user-pool API (COGNITO_PORT)")
		dir         = fs.String("dir", filepath.Join("build", "local"), "`folder` for the builds, cognito-local's data and the logs")
		emulator    = fs.String("emulator", filepath.Join("build", "tools", "aws-lambda-rie"), "`path` of aws-lambda-rie")
		tools       = fs.String("tools", "tools", "`folder` of the Node.js tools, with cognito-local installed (npm ci)")
	)
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "local: unexpected arguments %q\n", fs.Args())
		return 2
	}
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "local:", err)
		return 1
	}
	if _, err := os.Stat(filepath.Join(root, "triggers")); err != nil {
		fmt.Fprintln(stderr, "local: run me from the repository root (make local does)")
		return 2
	}
	cfg := devstack.Config{
		Root: root, Dir: *dir, Emulator: *emulator, Tools: *tools,
		MotoPort: *motoPort, LambdaPort: *lambdaPort, CognitoPort: *cognitoPort, Clean: *clean,
	}
	if *demo {
		cfg.MotoPort, cfg.LambdaPort, cfg.CognitoPort = 0, 0, 0
		cfg.Dir, cfg.Clean = filepath.Join(*dir, "demo"), true
	}
	fmt.Fprintln(stderr, "local: building the functions (about a minute on an empty Go build cache) and starting moto_server, the Lambda endpoint and cognito-local…")
	startCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	st, err := devstack.Start(startCtx, cfg)
	cancel()
	if err != nil {
		fmt.Fprintln(stderr, "local:", err)
		return 1
	}
	if *demo {
		defer func() {
			if err := st.Close(); err != nil {
				fmt.Fprintln(stderr, "local: stopping:", err)
			}
		}()
		if _, err := st.Demo(ctx, stdout); err != nil {
			fmt.Fprintln(stderr, "local: demo:", err)
			return 1
		}
		return 0
	}
	printBanner(stdout, st)
	<-ctx.Done()
	fmt.Fprintln(stderr, "\nlocal: stopping cognito-local, the Lambda endpoint and moto_server…")
	if err := st.Close(); err != nil {
		fmt.Fprintln(stderr, "local: stopping:", err)
		return 1
	}
	fmt.Fprintf(stderr, "local: stopped cognito-local, the Lambda endpoint (functions %s) and moto_server; their logs are in %s\n", functionNames(), st.Logs)
	return 0
}

// printBanner prints the endpoints and commands to try.
func printBanner(w io.Writer, st *devstack.Stack) {
	aws := fmt.Sprintf("aws --endpoint-url %s --region %s --no-sign-request cognito-idp", st.CognitoURL, devstack.Region)
	signUp := func(email string) string {
		return fmt.Sprintf("%s sign-up --client-id %s --username %s --password '%s' --user-attributes Name=email,Value=%s Name=given_name,Value=Jane",
			aws, st.ClientID, email, devstack.DemoPassword, email)
	}
	jane := "jane@" + devstack.AllowedDomain
	fmt.Fprintf(w, `
cognitrig is running locally.

  user-pool API (cognito-local, with CUSTOM_AUTH)  %s   user pool %s, app client %s
  mailbox (every email and SMS sent)               %s%s?to=ADDRESS
  sign-in page (amazon-cognito-identity-js)        %s%s
  Lambda endpoint (Invoke API)                     %s   functions: %s
  moto_server (SES, SNS, KMS, DynamoDB)            %s
  logs                                             %s

Try it (the AWS CLI is installed):

  # refused by the pre sign-up policy (BLOCKED_EMAIL_DOMAINS=%s):
  %s

  # accepted and confirmed (AUTO_CONFIRM_EMAIL_DOMAINS=%s); the custom message
  # trigger writes the verification email:
  %s

  # what the stack sent her, newest first:
  curl -s '%s%s?to=%s'

  # passwordless sign-in: define, create and verify auth challenge run, and
  # the code lands in the mailbox; answer with the Session printed:
  %s initiate-auth --client-id %s --auth-flow CUSTOM_AUTH --auth-parameters USERNAME=%s
  %s respond-to-auth-challenge --client-id %s --challenge-name CUSTOM_CHALLENGE --session SESSION --challenge-responses USERNAME=%s,ANSWER=CODE

Stop with Ctrl-C.
`, st.CognitoURL, st.UserPoolID, st.ClientID, st.CognitoURL, devstack.MailboxPath, st.CognitoURL, devstack.SignInPath, st.LambdaURL, functionNames(), st.MotoURL, st.Logs,
		devstack.BlockedDomain, signUp("someone@"+devstack.BlockedDomain), devstack.AllowedDomain, signUp(jane),
		st.CognitoURL, devstack.MailboxPath, jane,
		aws, st.ClientID, jane, aws, st.ClientID, jane)
}

// functionNames lists the functions of the local stack.
func functionNames() string {
	var names []string
	for _, fn := range devstack.Functions() {
		names = append(names, fn.Name)
	}
	return strings.Join(names, " ")
}
