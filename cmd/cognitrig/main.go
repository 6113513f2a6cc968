// Command cognitrig binds Lambda triggers to an existing Amazon Cognito user
// pool without losing any other setting of the pool, unbinds them, and shows
// them.
//
// Usage:
//
//	cognitrig bind   --user-pool-id ID --trigger SLOT=ARN[:VERSION]... [--kms-key-id ARN] [--take-over] [--dry-run]
//	cognitrig unbind --user-pool-id ID --trigger SLOT... [--force] [--dry-run]
//	cognitrig show   --user-pool-id ID [--check [--trigger SLOT=ARN[:VERSION]]... [--kms-key-id ARN]]
//
// SLOT is a LambdaConfig member: PreSignUp, CustomMessage, PostConfirmation,
// PreAuthentication, PostAuthentication, DefineAuthChallenge,
// CreateAuthChallenge, VerifyAuthChallengeResponse, PreTokenGeneration,
// UserMigration, CustomSMSSender, CustomEmailSender, InboundFederation (or
// KMSKeyID, to unbind the key). ARN is the function's ARN, unqualified or
// with an alias. VERSION, for PreTokenGeneration (V1_0, V2_0 or V3_0; V1_0
// when left out) and the custom senders and InboundFederation (V1_0), is the
// event version the function expects; an alias named like a version (V1_0)
// cannot be given this way. The custom senders need --kms-key-id.
//
// For example:
//
//	cognitrig bind --user-pool-id us-east-1_abc123 \
//	    --trigger PreSignUp=arn:aws:lambda:us-east-1:123456789012:function:presignup \
//	    --trigger PreTokenGeneration=arn:aws:lambda:us-east-1:123456789012:function:tokens:V2_0 --dry-run
//
// bind and unbind print the pool's triggers before and after ("-" the old
// value, "+" the new one), then write the pool with one complete
// UpdateUserPool that keeps every other setting (see package
// github.com/cognitrig/cognitrig/pkg/userpool). bind first gives Cognito
// the permission to invoke each function for this pool when its resource
// policy lacks one scoped to the pool (statement cognitrig-POOLID, on the
// condition that the caller is this pool), and warns about statements that
// let any pool's Cognito invoke the function. With --dry-run nothing is
// written and bind says which permissions it would add.
//
// # Who holds a slot
//
// bind records, in the pool's tags, that `cognitrig bind` holds each slot
// it binds and what the slot held before, the way the CloudFormation
// binding resource (Custom::CognitrigUserPoolBinding) records its own (see
// package github.com/cognitrig/cognitrig/pkg/userpool/binding for the
// tags). Binding a slot again replaces the function and keeps the record.
//
//   - bind refuses a slot that a stack's binding resource holds, naming the
//     stack and the resource, unless --take-over: the stack's function is
//     then recorded, and comes back when the slot is unbound; deleting the
//     stack's resource first leaves the function bound here. A slot taken
//     over once cannot be taken over again. bind of a slot a stack took
//     over from bind leaves the stack's function, and records the new one
//     to come back when the stack lets go (to take the slot back now:
//     unbind, then bind --take-over).
//   - unbind gives each slot back what it held before bind, or the stack's
//     function bind took it over from. A slot a stack took over from bind
//     stays the stack's, and deleting the stack's resource then restores
//     what the slot held before both. A slot without any record is cleared.
//   - unbind refuses a slot that a stack's binding resource holds, naming
//     it, unless --force: the slot then gets back what it held before that
//     binding, and the stack's next deploy binds it again; so does the
//     binding's repair function, if deployed, as soon as it sees the
//     change (to take a slot from a stack for good, bind --take-over: the
//     repair leaves a slot that was taken over).
//
// # Checking for drift
//
// show --check compares the pool's slots with what was bound, shows each
// slot that differs as a change from what it holds ("-") to what was bound
// ("+"), and exits with status 1 when one differs; it prints "in place:"
// and exits with 0 when none does. What was bound comes from --trigger and
// --kms-key-id, with bind's syntax: pass the flags you bound with (or the
// binding resource's LambdaConfig). The records in the pool's tags name who
// holds each slot and what it held before, not the function a holder set,
// so for the slots the flags do not name, --check reports only what the
// records prove: a slot that a binding holds but that is empty. It cannot
// tell, without the flags, that a held slot holds another function, nor
// anything about a slot whose tags are gone (a writer that sends
// UpdateUserPool without the pool's tags, such as `aws cognito-idp
// update-user-pool`, wipes them). Each drifted slot is followed by a note
// saying who the records say holds it. To restore a slot, bind again with
// the same flags (or deploy the binding's stack); the binding resource's
// repair function does it on its own (see package
// github.com/cognitrig/cognitrig/pkg/userpool/binding).
//
// The region, credentials and endpoint come from the AWS SDK's usual
// sources: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL and so on. The caller
// needs cognito-idp:DescribeUserPool and cognito-idp:UpdateUserPool, and for
// bind lambda:GetPolicy and lambda:AddPermission.
//
// cognitrig exits with status 0 on success, 1 when AWS refused or failed an
// operation (the pool does not exist, access is denied, the pool holds
// settings this build cannot represent, a slot another binding holds) and
// when show --check finds drift (stdout then ends with a line "drift: ...",
// where a failure writes its error to stderr), and 2 on a usage error (bad
// flags, an unknown trigger, an invalid ARN, no region).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/cli"
	"github.com/cognitrig/cognitrig/pkg/userpool"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	// exitDrift is show --check's status when a slot drifted: the status
	// of a failure, which a script treats alike.
	exitDrift = exitFailure
	exitUsage = 2
)

const usage = `usage:
  cognitrig bind   --user-pool-id ID --trigger SLOT=ARN[:VERSION]... [--kms-key-id ARN] [--take-over] [--dry-run]
  cognitrig unbind --user-pool-id ID --trigger SLOT... [--force] [--dry-run]
  cognitrig show   --user-pool-id ID [--check [--trigger SLOT=ARN[:VERSION]]... [--kms-key-id ARN]]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }

func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// session is one run: its output and, once configured, its clients.
type session struct {
	stdout, stderr io.Writer
	region         string
	cognito        userpool.API
	lambda         userpool.LambdaAPI
}

// run is cognitrig without the process around it: it returns the exit
// status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &session{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "bind", "unbind", "show":
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		return c.usageError("unknown command %q: use bind, unbind or show", cmd)
	}

	fs := cli.NewFlagSet("cognitrig "+cmd, stderr, usage)
	poolID := fs.String("user-pool-id", "", "`ID` of the user pool, such as us-east-1_abc123 (required)")
	dryRun, kmsKey, check := new(bool), new(string), new(bool)
	claims := userpool.Claims{Holder: userpool.CLI}
	var triggers listFlag
	switch cmd {
	case "bind":
		fs.Var(&triggers, "trigger", "`SLOT=ARN[:VERSION]` to bind; repeatable")
		fs.StringVar(kmsKey, "kms-key-id", "", "`ARN` of the KMS key for the custom sender triggers")
		fs.BoolVar(&claims.TakeOver, "take-over", false, "take over slots that a stack's binding holds (its function comes back on unbind)")
		fs.BoolVar(dryRun, "dry-run", false, "show the change without writing anything")
	case "unbind":
		fs.Var(&triggers, "trigger", "`SLOT` to unbind; repeatable")
		fs.BoolVar(&claims.Force, "force", false, "unbind slots that a stack's binding holds too (its next deploy binds them again)")
		fs.BoolVar(dryRun, "dry-run", false, "show the change without writing anything")
	case "show":
		fs.BoolVar(check, "check", false, "check that the bound slots hold what was bound: exit 1 and show the difference when they do not")
		fs.Var(&triggers, "trigger", "with --check, `SLOT=ARN[:VERSION]` that was bound, as given to bind; repeatable")
		fs.StringVar(kmsKey, "kms-key-id", "", "with --check, `ARN` of the KMS key that was bound")
	}
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return c.usageError("unexpected arguments %q: pass triggers with --trigger", fs.Args())
	case *poolID == "":
		return c.usageError("missing --user-pool-id: give the ID of the user pool, such as us-east-1_abc123")
	case cmd == "show" && !*check && (len(triggers) > 0 || *kmsKey != ""):
		return c.usageError("--trigger and --kms-key-id of show need --check: they name what was bound, to compare the pool with")
	case cmd != "show" && len(triggers) == 0 && *kmsKey == "":
		return c.usageError("missing --trigger: give at least one, such as --trigger PreSignUp=arn:aws:lambda:REGION:ACCOUNT:function:NAME")
	}

	for _, t := range triggers {
		if cmd != "unbind" {
			b, err := parseBinding(t)
			if err != nil {
				return c.usageError("--trigger %s: %v", t, err)
			}
			claims.Set = append(claims.Set, b)
			continue
		}
		if strings.Contains(t, "=") {
			return c.usageError("--trigger %s: unbind takes slot names only, such as --trigger PreSignUp", t)
		}
		s, err := userpool.ParseSlot(t)
		if err != nil {
			return c.usageError("--trigger: %v", err)
		}
		claims.Release = append(claims.Release, s)
	}
	if *kmsKey != "" {
		claims.Set = append(claims.Set, userpool.Binding{Slot: userpool.KMSKeyID, ARN: *kmsKey})
	}
	if err := claims.Check(); err != nil {
		return c.usageError("%v", err)
	}

	if code := c.configure(ctx); code != exitOK {
		return code
	}
	switch {
	case cmd == "show" && *check:
		return c.check(ctx, *poolID, claims.Set)
	case cmd == "show":
		return c.show(ctx, *poolID)
	}
	return c.change(ctx, *poolID, claims, *dryRun)
}

// versionSuffix matches the VERSION of SLOT=ARN[:VERSION].
var versionSuffix = regexp.MustCompile(`^V[0-9]+_[0-9]+$`)

// parseBinding reads SLOT=ARN[:VERSION]. A last ARN field shaped like a
// version (V1_0) is taken for one, whatever the slot.
func parseBinding(s string) (userpool.Binding, error) {
	name, arn, ok := strings.Cut(s, "=")
	if !ok || arn == "" {
		return userpool.Binding{}, errors.New("want SLOT=ARN, such as PreSignUp=arn:aws:lambda:REGION:ACCOUNT:function:NAME")
	}
	slot, err := userpool.ParseSlot(name)
	if err != nil {
		return userpool.Binding{}, err
	}
	b := userpool.Binding{Slot: slot, ARN: arn}
	if i := strings.LastIndexByte(arn, ':'); i >= 0 && versionSuffix.MatchString(arn[i+1:]) {
		b.ARN, b.Version = arn[:i], arn[i+1:]
	}
	return b, nil
}

// configure builds the clients from the SDK's default configuration.
func (c *session) configure(ctx context.Context) int {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return c.usageError("cannot load the AWS configuration: %v", err)
	}
	if cfg.Region == "" {
		return c.usageError("no AWS region: set AWS_REGION (or a region in your AWS profile) to the user pool's region")
	}
	c.region = cfg.Region
	c.cognito = cip.NewFromConfig(cfg)
	c.lambda = lambda.NewFromConfig(cfg)
	return exitOK
}

func (c *session) show(ctx context.Context, poolID string) int {
	lc, err := userpool.Show(ctx, c.cognito, poolID)
	if err != nil && !isType[*userpool.UnknownMembersError](err) {
		return c.failure(poolID, err)
	}
	fmt.Fprintf(c.stdout, "user pool %s\n%s", poolID, userpool.Diff(lc, lc))
	if err != nil {
		return c.failure(poolID, err)
	}
	return exitOK
}

// check compares the pool's slots with want, what was bound, and with the
// records of its tags (see userpool.FindDrift). It shows the pool's
// triggers, each drifted slot as a change from what it holds ("-") to what
// was bound ("+"), and returns exitDrift when a slot drifted.
func (c *session) check(ctx context.Context, poolID string, want []userpool.Binding) int {
	lc, drifts, err := userpool.CheckDrift(ctx, c.cognito, poolID, want)
	if err != nil && !isType[*userpool.UnknownMembersError](err) {
		return c.failure(poolID, err)
	}
	fmt.Fprintf(c.stdout, "user pool %s\n%s", poolID, userpool.DriftDiff(lc, drifts))
	var names []string
	for _, d := range drifts {
		names = append(names, string(d.Slot))
		text := d.HoldersText()
		if !d.Recorded() {
			text += "; the slot is empty, but a binding always sets a function, and the records do not name it: pass --trigger " + string(d.Slot) + "=ARN to compare"
		}
		fmt.Fprintf(c.stdout, "note: %s: %s\n", d.Slot, text)
	}
	if err != nil {
		return c.failure(poolID, err)
	}
	if len(drifts) > 0 {
		fmt.Fprintf(c.stdout, "drift: %s no longer %s what was bound (\"-\" in the pool, \"+\" as bound); "+
			"to restore, bind again (cognitrig bind with the same --trigger flags, or deploy the binding's stack), or let the repair function do it\n",
			strings.Join(names, ", "), holds(len(names)))
		return exitDrift
	}
	switch {
	case len(want) > 0:
		var checked []string
		for _, b := range want {
			checked = append(checked, string(b.Slot))
		}
		fmt.Fprintf(c.stdout, "in place: %s %s what was bound\n", strings.Join(checked, ", "), holds(len(checked)))
	default:
		fmt.Fprintln(c.stdout, "in place: the records prove no drift (they name who holds each slot, not its function: pass --trigger SLOT=ARN[:VERSION] to compare the functions)")
	}
	return exitOK
}

// holds is "holds" after a list of n names, "hold" after more than one.
func holds(n int) string {
	if n == 1 {
		return "holds"
	}
	return "hold"
}

// change binds and unbinds what claims asks: it shows the change, adds the
// missing invoke permissions, then writes, unless dryRun.
func (c *session) change(ctx context.Context, poolID string, claims userpool.Claims, dryRun bool) int {
	plan, err := userpool.Hold(ctx, c.cognito, poolID, claims, userpool.DryRun())
	if err != nil {
		return c.failure(poolID, err)
	}
	fmt.Fprintf(c.stdout, "user pool %s (%s)\n%s", poolID, plan.PoolARN, userpool.Diff(plan.Before, plan.After))
	c.notes(plan.Notes)

	var functions []string
	for _, b := range claims.Set {
		if b.Slot != userpool.KMSKeyID && !slices.Contains(functions, b.ARN) {
			functions = append(functions, b.ARN)
		}
	}
	for _, fn := range functions {
		p, err := userpool.CheckInvoke(ctx, c.lambda, plan.PoolARN, fn)
		if err != nil {
			return c.failure(poolID, err)
		}
		for _, sid := range p.Unscoped {
			fmt.Fprintf(c.stderr, "cognitrig: warning: the resource policy of %s lets Cognito invoke it for any user pool, of any account (statement %q has no aws:SourceArn or aws:SourceAccount condition); "+
				"once the pool's scoped statement is in place, remove it: aws lambda remove-permission --function-name %s --statement-id %s\n", fn, sid, fn, sid)
		}
		switch {
		case p.Scoped:
			continue
		case dryRun:
			fmt.Fprintf(c.stdout, "would let Cognito invoke %s (policy statement %s)\n", fn, userpool.StatementID(plan.PoolARN))
			continue
		}
		if err := userpool.PermitInvoke(ctx, c.lambda, plan.PoolARN, fn); err != nil {
			return c.failure(poolID, err)
		}
		fmt.Fprintf(c.stdout, "let Cognito invoke %s (policy statement %s)\n", fn, userpool.StatementID(plan.PoolARN))
	}

	switch {
	case dryRun:
		fmt.Fprintln(c.stdout, "dry run: nothing was changed")
		return exitOK
	case !plan.Changed:
		fmt.Fprintln(c.stdout, "no change: the pool already has these triggers")
		return exitOK
	}
	done, err := userpool.Hold(ctx, c.cognito, poolID, claims)
	if err != nil {
		return c.failure(poolID, err)
	}
	if diff := userpool.Diff(done.Before, done.After); diff != userpool.Diff(plan.Before, plan.After) {
		fmt.Fprintf(c.stdout, "the pool changed meanwhile; the change written:\n%s", diff)
		c.notes(done.Notes)
	}
	if done.Written {
		fmt.Fprintf(c.stdout, "updated user pool %s\n", poolID)
	} else {
		fmt.Fprintln(c.stdout, "no change: the pool already has these triggers")
	}
	return exitOK
}

// notes prints what a change leaves as it is, or takes over.
func (c *session) notes(notes []userpool.Note) {
	for _, n := range notes {
		fmt.Fprintf(c.stdout, "note: %s\n", n)
	}
}

// failure reports an error of AWS or of an operation and returns
// exitFailure.
func (c *session) failure(poolID string, err error) int {
	msg := err.Error()
	apiErr, isAPI := errors.AsType[smithy.APIError](err)
	opErr, isOp := errors.AsType[*smithy.OperationError](err)
	switch {
	case errors.Is(err, userpool.ErrPoolNotFound):
		msg = fmt.Sprintf("user pool %s not found in region %s: check --user-pool-id, and AWS_REGION or your profile's region", poolID, c.region)
	case isAPI && isOp && (apiErr.ErrorCode() == "AccessDeniedException" || apiErr.ErrorCode() == "AccessDenied"):
		msg = fmt.Sprintf("access denied: the caller needs permission %s:%s (%s)", iamPrefix(opErr.Service()), opErr.Operation(), apiErr.ErrorMessage())
	case strings.Contains(msg, "failed to retrieve credentials"), strings.Contains(msg, "no EC2 IMDS role found"):
		msg += "\nconfigure AWS credentials: AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
	}
	fmt.Fprintf(c.stderr, "cognitrig: %s\n", msg)
	return exitFailure
}

// iamPrefix returns the IAM action prefix of an SDK service ID.
func iamPrefix(service string) string {
	switch service {
	case cip.ServiceID:
		return "cognito-idp"
	case lambda.ServiceID:
		return "lambda"
	}
	return strings.ToLower(service)
}

func (c *session) usageError(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "cognitrig: "+format+"\n", a...)
	fmt.Fprint(c.stderr, usage)
	return exitUsage
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}
