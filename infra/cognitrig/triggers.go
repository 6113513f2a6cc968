package cognitrig

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/pkg/userpool"
	"github.com/cognitrig/cognitrig/pkg/userpool/binding"
)

// Props configures a Triggers construct: which pool, which shipped
// functions, and how they are built and logged.
type Props struct {
	// UserPool holds the props of the new user pool the construct
	// creates (nil: CDK's defaults), unless ExistingUserPool names a pool
	// the stack does not own. Its LambdaTriggers are bound like Bind
	// would (so a clash with a shipped function is reported), and its
	// CustomSenderKmsKey becomes LambdaConfig.KMSKeyID.
	UserPool *awscognito.UserPoolProps
	// ExistingUserPool is a pool that exists outside this stack, imported
	// with awscognito.UserPool_FromUserPoolId (us-east-1_abc) or
	// UserPool_FromUserPoolArn; its ID must be written out (not a token)
	// for the construct to know the pool's region, else the stack's
	// region is assumed. The triggers are then bound by the
	// Custom::CognitrigUserPoolBinding resource (the
	// infra/userpoolbinding function), which reads the pool's
	// configuration and writes it back whole with the new LambdaConfig.
	// A pool this app creates fails the synth: give its props as
	// UserPool instead, so that its own template holds the LambdaConfig.
	ExistingUserPool awscognito.IUserPool

	// PreSignUp, CustomMessage, Passwordless, PostConfirmation,
	// PreToken and CustomSenders deploy the shipped functions on their
	// slots; nil leaves the slots free for Bind.
	PreSignUp        *PreSignUpProps
	CustomMessage    *CustomMessageProps
	Passwordless     *PasswordlessProps
	PostConfirmation *PostConfirmationProps
	PreToken         *PreTokenProps
	CustomSenders    *CustomSendersProps

	// AppName and AppURL are the app as its users know it (APP_NAME,
	// APP_URL) for the custom message, passwordless and custom sender
	// functions; AppName is required by each of them.
	AppName, AppURL string
	// LogLevel (LOG_LEVEL: debug, info, warn, error) applies to every
	// shipped function.
	LogLevel string
	// LogPersonalData makes every shipped function log email addresses
	// and phone numbers unmasked (LOG_PERSONAL_DATA=true): it gives up
	// keeping personal data out of the logs, which whoever can read the
	// log groups then reads. The synth warns (cognitrig:logPersonalData).
	LogPersonalData bool
	// LogRetention of each function's log group; empty: one month.
	LogRetention awslogs.RetentionDays
	// Architecture of the functions: awslambda.Architecture_ARM_64()
	// (nil: the default) or Architecture_X86_64(); the bootstraps are
	// built for GOARCH arm64 or amd64 to match.
	Architecture awslambda.Architecture
	// Tracing is the X-Ray tracing of every function the construct
	// makes: awslambda.Tracing_ACTIVE samples and records invocations
	// (the roles then may call xray:PutTraceSegments and
	// PutTelemetryRecords), Tracing_PASS_THROUGH (empty: the default)
	// records only what a caller asks for, which Cognito does not.
	Tracing awslambda.Tracing

	// Operations configures the EMF metrics the functions write, the
	// alarms and the dashboard the construct creates; nil: all on, with
	// OperationsProps' defaults.
	Operations *OperationsProps

	// CustomSenderKMSKey is the key Cognito encrypts codes with for
	// custom email and SMS senders (LambdaConfig.KMSKeyID): a symmetric
	// key whose policy lets cognito-idp.amazonaws.com call kms:CreateGrant
	// and kms:Encrypt (docs/customsenders.md); the construct does not
	// change a key it is given. Without it (or
	// UserPoolProps.CustomSenderKmsKey), CustomSenders makes the
	// construct create one, and a custom sender given to Bind fails the
	// synth.
	CustomSenderKMSKey awskms.IKey
	// PassRoles are the roles the binding of an existing pool may pass
	// to Cognito: UpdateUserPool rewrites the pool's SmsConfiguration,
	// and Cognito then requires iam:PassRole on its SnsCallerArn. Give
	// that role (awsiam.Role_FromRoleArn for a role made elsewhere) when
	// the pool sends SMS; the grant is conditioned on
	// iam:PassedToService cognito-idp.amazonaws.com.
	PassRoles []awsiam.IRole
	// TakeOverBoundSlots lets the binding of an existing pool take the
	// LambdaConfig slots that another binding (another stack's
	// Custom::CognitrigUserPoolBinding) or the cognitrig CLI holds (the
	// resource property TakeOver "true"). By default such a slot fails
	// the deployment with an error naming its holder. It gives up that
	// protection: this stack replaces the other owner's triggers without
	// asking. The synth warns (cognitrig:takeOverBoundSlots). Only for
	// an existing pool: with a pool the construct creates the synth
	// fails.
	TakeOverBoundSlots bool
	// Nonce is a property of the binding resource that differs in every
	// synth (default: the time of the synth), so that CloudFormation
	// sends an Update on every deploy and the binding is applied again:
	// another writer of the pool (its own template, the console) may
	// have rewritten LambdaConfig since. Set it to a fixed value only to
	// get a reproducible template.
	Nonce string
	// RepairDrift repairs the binding of an existing pool when something
	// else rewrites the pool: an EventBridge rule on the pool's
	// UpdateUserPool calls (CloudTrail management events, which the
	// account must record in a trail) invokes a second function built
	// from infra/userpoolbinding, which applies the binding resource's
	// properties again (REPAIR_PROPERTIES, REPAIR_STACK_ID,
	// REPAIR_LOGICAL_ID). It may call what the binding function may, on
	// the pool only. Only for an existing pool: with a pool the
	// construct creates the synth fails.
	RepairDrift bool

	// ModuleDir is where go build runs: a Go module that is, or
	// requires, github.com/cognitrig/cognitrig. Default: the nearest
	// go.mod of that module at or above the working directory, else the
	// nearest go.mod.
	ModuleDir string
	// BuildDir receives the built bootstraps, one directory each, which
	// become the functions' assets. Default: build/cdk in this
	// repository, else the user's cache directory.
	BuildDir string
}

// Triggers is every trigger of one user pool, bound in one complete
// LambdaConfig: the shipped functions the props ask for, and any function
// given to Bind. A slot claimed twice fails the synth with both claimants
// named. Create it with NewTriggers.
type Triggers struct {
	constructs.Construct

	props     Props
	build     buildSpec
	cfg       lambdaConfig
	problems  []string // synth-time errors found while constructing
	functions map[string]awslambda.Function

	pool       awscognito.IUserPool
	ownedPool  awscognito.UserPool // nil for an existing pool
	poolArn    *string
	poolID     *string
	poolRegion string // "" when not known at synth time
	facts      *poolFacts

	table      awsdynamodb.Table
	decoyKey   awssecretsmanager.Secret
	group      awscognito.UserPoolGroup
	senderKey  awskms.IKey
	kmsKeyProp string // where LambdaConfig.KMSKeyID comes from, for messages
	binding    awscdk.CustomResource
	bindingFn  awslambda.Function
	repairFn   awslambda.Function
	repairRule awsevents.Rule
	alarmTopic awssns.ITopic
	alarms     []awscloudwatch.Alarm
	dashboard  awscloudwatch.Dashboard
	warned     bool            // the synth warnings are added
	srpAdded   map[string]bool // paths of the app clients AddAppClient gave ALLOW_USER_SRP_AUTH
}

// poolFacts is what the construct reads from a pool it creates.
type poolFacts struct {
	emailSendingAccount string // DEVELOPER or COGNITO_DEFAULT
	verification        string // code or link
	sesSourceArn        string // EmailConfiguration.SourceArn, tokens as "*"
	tier                string // UserPoolTier (FeaturePlan), "" when not set
}

// shipped is the table of the functions this module ships. A new
// shipped trigger is one row.
var shipped = []struct {
	name    string // the triggers/<name> package
	id      string // its construct ID, the start of its resources' logical IDs
	prop    string // the field of Props that asks for it
	slot    Slot
	enabled func(*Props) bool
	version func(*Props) string // the slot's LambdaVersion; nil: the slot's default (V1_0) where it takes one
	env     func(*Props, envFacts) *triggerEnv
	check   func(getenv func(string) string) error // the function's own parser
	memory  float64
	timeout time.Duration
	grant   func(t *Triggers, scope constructs.Construct, role awsiam.Role) // beyond its logs
}{
	{name: "presignup", id: "PreSignUp", prop: "PreSignUp", slot: userpool.PreSignUp,
		enabled: func(p *Props) bool { return p.PreSignUp != nil },
		env:     preSignUpEnv, check: checkPreSignUp, memory: 128, timeout: triggerTimeout, grant: (*Triggers).grantPreSignUp},
	{name: "custommessage", id: "CustomMessage", prop: "CustomMessage", slot: userpool.CustomMessage,
		enabled: func(p *Props) bool { return p.CustomMessage != nil },
		env:     customMessageEnv, check: checkCustomMessage, memory: 128, timeout: triggerTimeout},
	{name: "defineauth", id: "DefineAuth", prop: "Passwordless", slot: userpool.DefineAuthChallenge,
		enabled: passwordlessEnabled,
		env:     passwordlessEnv, check: checkPasswordless, memory: 128, timeout: triggerTimeout},
	{name: "createauth", id: "CreateAuth", prop: "Passwordless", slot: userpool.CreateAuthChallenge,
		enabled: passwordlessEnabled,
		env:     createAuthEnv, check: checkCreateAuth, memory: 256, timeout: triggerTimeout, grant: (*Triggers).grantCreateAuth},
	{name: "verifyauth", id: "VerifyAuth", prop: "Passwordless", slot: userpool.VerifyAuthChallengeResponse,
		enabled: passwordlessEnabled,
		env:     passwordlessEnv, check: checkPasswordless, memory: 128, timeout: triggerTimeout},
	{name: "postconfirmation", id: "PostConfirmation", prop: "PostConfirmation", slot: userpool.PostConfirmation,
		enabled: func(p *Props) bool { return p.PostConfirmation != nil },
		env:     postConfirmationEnv, check: checkPostConfirmation, memory: 128, timeout: triggerTimeout, grant: (*Triggers).grantPostConfirmation},
	{name: "pretoken", id: "PreToken", prop: "PreToken", slot: userpool.PreTokenGeneration,
		enabled: func(p *Props) bool { return p.PreToken != nil },
		version: func(p *Props) string { return string(p.PreToken.version()) },
		env:     preTokenEnv, check: checkPreToken, memory: 128, timeout: triggerTimeout},
	{name: "customemailsender", id: "CustomEmailSender", prop: "CustomSenders", slot: userpool.CustomEmailSender,
		enabled: func(p *Props) bool { return p.CustomSenders != nil && p.CustomSenders.Email },
		env:     emailSenderEnv, check: checkEmailSender, memory: 256, timeout: senderTimeout, grant: (*Triggers).grantEmailSender},
	{name: "customsmssender", id: "CustomSMSSender", prop: "CustomSenders", slot: userpool.CustomSMSSender,
		enabled: func(p *Props) bool { return p.CustomSenders != nil && p.CustomSenders.SMS },
		env:     smsSenderEnv, check: checkSMSSender, memory: 256, timeout: senderTimeout, grant: (*Triggers).grantSMSSender},
}

// passwordlessEnabled reports whether the props ask for the three custom
// auth functions.
func passwordlessEnabled(p *Props) bool { return p.Passwordless != nil }

// triggerTimeout is the timeout of the trigger functions Cognito invokes
// synchronously: it waits five seconds and no longer.
const triggerTimeout = 5 * time.Second

// senderTimeout is the timeout of the custom senders, which Cognito
// invokes asynchronously: a KMS call and a send with their retries
// (docs/customsenders.md recommends 10 seconds or more).
const senderTimeout = 10 * time.Second

// NewTriggers creates the shipped functions the props ask for, the user
// pool (or the binding of an existing one), and one LambdaConfig that
// holds them and every later Bind. It panics when the props are
// contradictory or the functions cannot be built; everything else it
// finds wrong (a slot claimed twice, a bad setting, Cognito's regional
// rules) fails the synth, all problems together, through a validation of
// the construct.
func NewTriggers(scope constructs.Construct, id string, props *Props) *Triggers {
	t := &Triggers{functions: map[string]awslambda.Function{}, srpAdded: map[string]bool{}}
	if props != nil {
		t.props = *props
	}
	p := &t.props
	constructs.NewConstruct_Override(t, scope, jsii.String(id))
	t.Node().AddValidation(&validation{t})

	existing := p.ExistingUserPool != nil
	if p.UserPool != nil && existing {
		panic(fmt.Sprintf("cognitrig: %s: set one of UserPool and ExistingUserPool", id))
	}
	if err := t.setBuild(); err != nil {
		panic(err)
	}
	if existing {
		t.importPool()
	} else {
		t.createPool()
	}
	t.setSenderKey()

	var pkgs []string
	for _, s := range shipped {
		if s.enabled(p) {
			pkgs = append(pkgs, triggersDir+"/"+s.name)
		}
	}
	if existing {
		pkgs = append(pkgs, bindingPkg)
	}
	dirs, err := t.build.build(pkgs...)
	if err != nil {
		panic(err)
	}
	if existing {
		t.createBinding(dirs[bindingPkg])
	}
	if passwordlessEnabled(p) && !p.Passwordless.AllowUnlimitedSends {
		t.table = awsdynamodb.NewTable(t, jsii.String("SendThrottle"), &awsdynamodb.TableProps{
			PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String("pk"), Type: awsdynamodb.AttributeType_STRING},
			BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
			TimeToLiveAttribute: jsii.String("expires"),
			// Send times of the last hour: nothing worth keeping.
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
	}
	if pc := p.PostConfirmation; pc != nil && pc.CreateGroup && pc.DefaultGroup != "" {
		t.group = awscognito.NewUserPoolGroup(t, jsii.String("DefaultGroup"), &awscognito.UserPoolGroupProps{
			UserPool:    t.pool,
			GroupName:   jsii.String(pc.DefaultGroup),
			Description: jsii.String("Every confirmed user joins it (the cognitrig postconfirmation function)"),
		})
	}
	if passwordlessEnabled(p) && p.Passwordless.DecoyKey == "" {
		t.decoyKey = awssecretsmanager.NewSecret(t, jsii.String("DecoyKey"), &awssecretsmanager.SecretProps{
			Description: jsii.String("cognitrig: the decoy key of the createauth function of " + *t.Node().Path() + " (DECOY_KEY_SECRET_ARN), which keys the masked destinations shown for unknown users"),
			// 64 hex digits: 32 random bytes.
			GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
				PasswordLength:          jsii.Number(64),
				ExcludeUppercase:        jsii.Bool(true),
				ExcludePunctuation:      jsii.Bool(true),
				ExcludeCharacters:       jsii.String("ghijklmnopqrstuvwxyz"),
				RequireEachIncludedType: jsii.Bool(false),
			},
			// Nothing is lost with it: a new key only changes the decoys.
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
	}
	facts := envFacts{pool: t.facts, kmsKeyArn: t.cfg.kmsKeyArn, kmsKeyProp: t.kmsKeyProp}
	if t.table != nil {
		facts.throttleTable = *t.table.TableName()
	}
	if t.decoyKey != nil {
		// The ARN only: createauth reads the key from the secret, so
		// that it is in neither the template nor the function's
		// configuration.
		facts.decoyKeySecretArn = *t.decoyKey.SecretArn()
	}
	t.problems = append(t.problems, t.propProblems()...)
	t.problems = append(t.problems, t.opsProblems()...)
	t.warnProps()
	t.warnOps()
	for _, s := range shipped {
		if !s.enabled(p) {
			continue
		}
		env := s.env(p, facts)
		if err := env.check(s.check); err != nil {
			t.problems = append(t.problems, fmt.Sprintf("the %s function's settings are wrong: %v", s.name, err))
		}
		scope := constructs.NewConstruct(t, jsii.String(s.id))
		fn, role := t.newFunction(scope, "cognitrig "+s.name+": the "+member(s.slot)+" trigger", dirs[triggersDir+"/"+s.name], s.memory, s.timeout, env.vars)
		t.functions[s.name] = fn
		if s.grant != nil {
			s.grant(t, scope, role)
		}
		version := ""
		if s.version != nil {
			version = s.version(p)
		}
		t.bind(s.slot, fn, version, fmt.Sprintf("the shipped %s function (Props.%s)", s.name, s.prop))
	}
	if p.UserPool != nil && p.UserPool.LambdaTriggers != nil {
		t.bindL2Triggers(p.UserPool.LambdaTriggers)
	}
	t.createOperations()
	t.refresh()
	return t
}

// BindOptions are the options of Bind.
type BindOptions struct {
	// LambdaVersion is the event version of the slots that take one
	// (userpool's Slot.Versions): awscognito.LambdaVersion_V1_0, V2_0 or
	// V3_0 for userpool.PreTokenGeneration, V1_0 for the custom senders
	// and inbound federation. Empty: V1_0.
	LambdaVersion awscognito.LambdaVersion
	// Claimant names the binding in error messages; empty: the
	// function's construct path.
	Claimant string
}

// Bind puts fn on slot (a userpool.Slot, such as userpool.UserMigration)
// and lets Cognito invoke it from the pool (an
// AWS::Lambda::Permission for cognito-idp.amazonaws.com, with the pool's
// ARN and account as source). A slot already claimed, a slot that does
// not exist, or a LambdaVersion the slot does not take fails the synth,
// naming the slot and both claimants.
func (t *Triggers) Bind(slot Slot, fn awslambda.IFunction, opts *BindOptions) {
	if opts == nil {
		opts = &BindOptions{}
	}
	claimant := opts.Claimant
	if claimant == "" {
		claimant = *fn.Node().Path()
	}
	t.bind(slot, fn, string(opts.LambdaVersion), claimant)
	t.refresh()
}

func (t *Triggers) bind(slot Slot, fn awslambda.IFunction, version, claimant string) {
	slot = canonical(slot)
	if err := t.cfg.claim(slot, *fn.FunctionArn(), version, claimant); err != nil {
		return
	}
	perm := awslambda.NewCfnPermission(t, jsii.String("Invoke"+member(slot)), &awslambda.CfnPermissionProps{
		Action:        jsii.String("lambda:InvokeFunction"),
		FunctionName:  fn.FunctionArn(),
		Principal:     jsii.String("cognito-idp.amazonaws.com"),
		SourceArn:     t.poolArn,
		SourceAccount: awscdk.Stack_Of(t).Account(),
	})
	if t.binding != nil {
		// Bound only once Cognito may invoke the function.
		t.binding.Node().AddDependency(perm)
	}
}

// bindL2Triggers binds the functions of UserPoolProps.LambdaTriggers. Its
// fields are named like the slots, but for their case (CustomSmsSender).
func (t *Triggers) bindL2Triggers(l2 *awscognito.UserPoolTriggers) {
	v := reflect.ValueOf(l2).Elem()
	for _, slot := range userpool.Slots() {
		f, ok := v.Type().FieldByNameFunc(func(name string) bool { return strings.EqualFold(name, string(slot)) })
		if !ok {
			continue
		}
		if fn, _ := v.FieldByIndex(f.Index).Interface().(awslambda.IFunction); fn != nil {
			t.bind(slot, fn, "", fmt.Sprintf("%s (UserPool.LambdaTriggers.%s)", *fn.Node().Path(), f.Name))
		}
	}
}

// refresh writes the LambdaConfig: into the pool's template, or into the
// binding's properties.
func (t *Triggers) refresh() {
	if t.ownedPool != nil {
		cfn := t.ownedPool.Node().DefaultChild().(awscognito.CfnUserPool)
		cfn.SetLambdaConfig(t.cfnLambdaConfig())
	}
	if t.binding != nil {
		res := t.binding.Node().DefaultChild().(awscdk.CfnResource)
		res.AddPropertyOverride(jsii.String("LambdaConfig"), t.cfg.apiJSON())
	}
	if t.repairFn != nil {
		t.repairFn.AddEnvironment(jsii.String(binding.EnvRepairProperties), awscdk.Stack_Of(t).ToJsonString(t.bindingProperties(), nil), nil)
	}
}

// cfnLambdaConfig is the LambdaConfig of AWS::Cognito::UserPool.
func (t *Triggers) cfnLambdaConfig() *awscognito.CfnUserPool_LambdaConfigProperty {
	lc := &awscognito.CfnUserPool_LambdaConfigProperty{}
	arn := func(s Slot) *string {
		if c, ok := t.cfg.claims[s]; ok {
			return jsii.String(c.arn)
		}
		return nil
	}
	lc.PreSignUp = arn(userpool.PreSignUp)
	lc.CustomMessage = arn(userpool.CustomMessage)
	lc.PostConfirmation = arn(userpool.PostConfirmation)
	lc.PreAuthentication = arn(userpool.PreAuthentication)
	lc.PostAuthentication = arn(userpool.PostAuthentication)
	lc.DefineAuthChallenge = arn(userpool.DefineAuthChallenge)
	lc.CreateAuthChallenge = arn(userpool.CreateAuthChallenge)
	lc.VerifyAuthChallengeResponse = arn(userpool.VerifyAuthChallengeResponse)
	lc.UserMigration = arn(userpool.UserMigration)
	versioned := func(s Slot) (arn, version *string) {
		if c, ok := t.cfg.claims[s]; ok {
			return jsii.String(c.arn), jsii.String(c.version)
		}
		return nil, nil
	}
	if a, v := versioned(userpool.PreTokenGeneration); a != nil {
		lc.PreTokenGenerationConfig = &awscognito.CfnUserPool_PreTokenGenerationConfigProperty{LambdaArn: a, LambdaVersion: v}
	}
	if a, v := versioned(userpool.CustomSMSSender); a != nil {
		lc.CustomSmsSender = &awscognito.CfnUserPool_CustomSMSSenderProperty{LambdaArn: a, LambdaVersion: v}
	}
	if a, v := versioned(userpool.CustomEmailSender); a != nil {
		lc.CustomEmailSender = &awscognito.CfnUserPool_CustomEmailSenderProperty{LambdaArn: a, LambdaVersion: v}
	}
	if a, v := versioned(userpool.InboundFederation); a != nil {
		lc.InboundFederation = &awscognito.CfnUserPool_InboundFederationProperty{LambdaArn: a, LambdaVersion: v}
	}
	if t.cfg.kmsKeyArn != "" {
		lc.KmsKeyId = jsii.String(t.cfg.kmsKeyArn)
	}
	return lc
}

// setBuild finds the module and output directories and the architecture.
func (t *Triggers) setBuild() error {
	p := &t.props
	b := buildSpec{moduleDir: p.ModuleDir, outDir: p.BuildDir, goarch: "arm64"}
	if p.Architecture != nil {
		switch name := *p.Architecture.Name(); name {
		case *awslambda.Architecture_ARM_64().Name():
		case *awslambda.Architecture_X86_64().Name():
			b.goarch = "amd64"
		default:
			return fmt.Errorf("cognitrig: Props.Architecture is %s; use awslambda.Architecture_ARM_64() or Architecture_X86_64()", name)
		}
	}
	if b.moduleDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("cognitrig: %w", err)
		}
		if b.moduleDir, b.ours, err = findModule(wd); err != nil {
			return err
		}
	} else if mod, err := modulePath(b.moduleDir + "/go.mod"); err != nil {
		return fmt.Errorf("cognitrig: Props.ModuleDir %s: %w", b.moduleDir, err)
	} else {
		b.ours = mod == ModulePath
	}
	if b.outDir == "" {
		var err error
		if b.outDir, err = defaultOutDir(b.moduleDir, b.ours); err != nil {
			return err
		}
	}
	t.build = b
	return nil
}

// architecture is the Lambda architecture of the functions.
func (t *Triggers) architecture() awslambda.Architecture {
	if t.props.Architecture != nil {
		return t.props.Architecture
	}
	return awslambda.Architecture_ARM_64()
}

// newFunction creates a function from a bootstrap directory, with its own
// log group (retention Props.LogRetention) and a role that may write to
// that log group and do nothing else.
func (t *Triggers) newFunction(scope constructs.Construct, description, dir string, memory float64, timeout time.Duration, env map[string]string) (awslambda.Function, awsiam.Role) {
	retention := t.props.LogRetention
	if retention == "" {
		retention = awslogs.RetentionDays_ONE_MONTH
	}
	logs := awslogs.NewLogGroup(scope, jsii.String("Logs"), &awslogs.LogGroupProps{Retention: retention})
	role := awsiam.NewRole(scope, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Role of " + description),
	})
	logs.GrantWrite(role)
	environment := map[string]*string{}
	for k, v := range t.metricsEnv() {
		environment[k] = jsii.String(v)
	}
	for k, v := range env {
		environment[k] = jsii.String(v)
	}
	fn := awslambda.NewFunction(scope, jsii.String("Function"), &awslambda.FunctionProps{
		Description:  jsii.String(description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: t.architecture(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(dir), nil),
		MemorySize:   jsii.Number(memory),
		Timeout:      awscdk.Duration_Millis(jsii.Number(float64(timeout.Milliseconds()))),
		Environment:  &environment,
		LogGroup:     logs,
		Role:         role,
		Tracing:      t.props.Tracing,
	})
	return fn, role
}

// createPool creates the pool from Props.UserPool, without its
// LambdaTriggers and CustomSenderKmsKey (the construct binds them).
func (t *Triggers) createPool() {
	var props awscognito.UserPoolProps
	if t.props.UserPool != nil {
		props = *t.props.UserPool
	}
	if props.CustomSenderKmsKey != nil {
		t.cfg.kmsKeyArn, t.kmsKeyProp = *props.CustomSenderKmsKey.KeyRef().KeyArn, "UserPool.CustomSenderKmsKey"
		t.senderKey, _ = props.CustomSenderKmsKey.(awskms.IKey)
	}
	props.LambdaTriggers, props.CustomSenderKmsKey = nil, nil
	pool := awscognito.NewUserPool(t, jsii.String("UserPool"), &props)
	t.pool, t.ownedPool = pool, pool
	t.poolArn, t.poolID = pool.UserPoolArn(), pool.UserPoolId()
	stack := awscdk.Stack_Of(t)
	if !isToken(*stack.Region()) {
		t.poolRegion = *stack.Region()
	}
	cfn := pool.Node().DefaultChild().(awscognito.CfnUserPool)
	facts := &poolFacts{emailSendingAccount: "COGNITO_DEFAULT", verification: "code"}
	if email, ok := resolve(stack, cfn.EmailConfiguration()).(map[string]any); ok {
		if a, ok := email["emailSendingAccount"].(string); ok && a != "" {
			facts.emailSendingAccount = a
		}
		facts.sesSourceArn = flatten(email["sourceArn"])
	}
	if tmpl, ok := resolve(stack, cfn.VerificationMessageTemplate()).(map[string]any); ok && tmpl["defaultEmailOption"] == "CONFIRM_WITH_LINK" {
		facts.verification = "link"
	}
	if tier := cfn.UserPoolTier(); tier != nil && !isToken(*tier) {
		facts.tier = *tier
	}
	t.facts = facts
}

// poolIDPattern is the form of a user pool ID: its region, "_", a suffix.
var poolIDPattern = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$`)

// importPool refers to the existing pool of the props. The pool is
// imported again in the construct's scope, by its ARN, so that what the
// construct adds to it (app clients) has the same place in the tree
// however the pool was imported. A written-out ARN (UserPool_FromUserPoolArn)
// is kept; else the ARN is built from the ID, with the region the ID
// names.
func (t *Triggers) importPool() {
	given := t.props.ExistingUserPool
	stack := awscdk.Stack_Of(t)
	if given.Node().DefaultChild() != nil {
		// An imported pool has no resource; this one is made by the app.
		t.problems = append(t.problems, fmt.Sprintf("Props.ExistingUserPool is the user pool %s, which this app creates: give its props as Props.UserPool instead (the construct then writes the LambdaConfig into its template), or import a pool made elsewhere with awscognito.UserPool_FromUserPoolId", *given.Node().Path()))
	}
	id, arn := *given.UserPoolId(), *given.UserPoolArn()
	region, arnAt := "", ""
	if !isToken(arn) {
		var ok bool
		if arnAt, ok = arnRegion(arn, "cognito-idp"); ok {
			region = arnAt
		} else {
			t.problems = append(t.problems, fmt.Sprintf("Props.ExistingUserPool's ARN %q is not a user pool ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>)", arn))
		}
	}
	if m := poolIDPattern.FindStringSubmatch(id); m != nil {
		region = m[1]
	} else if !isToken(id) {
		t.problems = append(t.problems, fmt.Sprintf("Props.ExistingUserPool's ID %q is not a user pool ID (such as us-east-1_AbCdEf123)", id))
	}
	if region == "" && !isToken(*stack.Region()) {
		region = *stack.Region()
	}
	t.poolRegion = region
	if arnAt != "" && arnAt == region {
		t.poolArn = jsii.String(arn)
	} else {
		// Imported by ID: the ARN CDK made has the stack's region.
		components := &awscdk.ArnComponents{Service: jsii.String("cognito-idp"), Resource: jsii.String("userpool"), ResourceName: jsii.String(id)}
		if region != "" {
			components.Region = jsii.String(region)
		}
		t.poolArn = stack.FormatArn(components)
	}
	t.pool = awscognito.UserPool_FromUserPoolArn(t, jsii.String("UserPool"), t.poolArn)
	t.poolID = jsii.String(id)
	if sr := *stack.Region(); region != "" && !isToken(sr) && region != sr {
		awscdk.Annotations_Of(t).AddWarningV2(jsii.String("cognitrig:poolRegion"), jsii.String(fmt.Sprintf(
			"the user pool %s is in %s but this stack deploys its functions to %s; Cognito invokes trigger functions of its own region, so deploy this stack to %s", id, region, sr, region)), nil)
	}
}

// createBinding creates the function and custom resource that bind the
// LambdaConfig onto an existing pool.
func (t *Triggers) createBinding(dir string) {
	scope := constructs.NewConstruct(t, jsii.String("UserPoolBinding"))
	fn, role := t.newFunction(scope, "cognitrig userpoolbinding: binds the triggers onto "+*t.poolID, dir, 128, time.Minute, nil)
	t.grantBinding(role)
	nonce := t.props.Nonce
	if nonce == "" {
		nonce = time.Now().UTC().Format(time.RFC3339Nano)
	}
	properties := t.bindingProperties()
	properties["Nonce"] = nonce
	t.bindingFn = fn
	t.binding = awscdk.NewCustomResource(scope, jsii.String("Resource"), &awscdk.CustomResourceProps{
		ServiceToken: fn.FunctionArn(),
		ResourceType: jsii.String("Custom::CognitrigUserPoolBinding"),
		Properties:   &properties,
	})
	if t.props.RepairDrift {
		t.createRepair(dir)
	}
}

// bindingProperties are the properties of the binding resource but its
// ServiceToken and Nonce: what the binding applies, and the repair
// applies again. LambdaConfig is what is bound so far.
func (t *Triggers) bindingProperties() map[string]any {
	return map[string]any{
		"UserPoolId":   *t.poolID,
		"LambdaConfig": t.cfg.apiJSON(),
		"TakeOver":     strconv.FormatBool(t.props.TakeOverBoundSlots),
	}
}

// grantBinding lets role do what binding the pool takes: read it, write
// it back, keep the records of the binding in its tags, and pass the
// roles of Props.PassRoles to Cognito.
func (t *Triggers) grantBinding(role awsiam.Role) {
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool",
			"cognito-idp:TagResource", "cognito-idp:UntagResource", "cognito-idp:ListTagsForResource"),
		Resources: jsii.Strings(*t.poolArn),
	}))
	if len(t.props.PassRoles) > 0 {
		var arns []*string
		for _, r := range t.props.PassRoles {
			arns = append(arns, r.RoleArn())
		}
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:    jsii.Strings("iam:PassRole"),
			Resources:  &arns,
			Conditions: &map[string]any{"StringEquals": map[string]any{"iam:PassedToService": "cognito-idp.amazonaws.com"}},
		}))
	}
}

// grantPreSignUp lets a linking pre sign-up function read users and
// providers and link identities on the pool.
func (t *Triggers) grantPreSignUp(scope constructs.Construct, role awsiam.Role) {
	if t.props.PreSignUp.LinkFederatedUsers {
		t.grantPool(scope, "LinkPolicy", role, "cognito-idp:ListUsers", "cognito-idp:ListIdentityProviders", "cognito-idp:AdminLinkProviderForUser")
	}
}

// grantPostConfirmation lets postconfirmation add users to groups of the
// pool.
func (t *Triggers) grantPostConfirmation(scope constructs.Construct, role awsiam.Role) {
	t.grantPool(scope, "GroupPolicy", role, "cognito-idp:AdminAddUserToGroup")
}

// grantPool gives role the actions on the pool, in a policy (id) of its
// own, not the role's default policy, which the function depends on: a
// pool created here depends on the function, so the function must not
// depend on the pool's ARN.
func (t *Triggers) grantPool(scope constructs.Construct, id string, role awsiam.Role, actions ...string) {
	awsiam.NewPolicy(scope, jsii.String(id), &awsiam.PolicyProps{
		Roles: &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings(actions...),
			Resources: jsii.Strings(*t.poolArn),
		})},
	})
}

// grantCreateAuth lets createauth send email as the EmailFrom identity
// (and configuration set) only, publish SMS to phone numbers but to no
// topic, read and write the send throttle table's items (UpdateItem for
// the pool-wide counter), and read the decoy key's secret.
func (t *Triggers) grantCreateAuth(_ constructs.Construct, role awsiam.Role) {
	pw := t.props.Passwordless
	if pw.Channel != "sms" && pw.EmailFrom != "" {
		t.grantSES(role, pw.EmailFrom, pw.SESConfigurationSet, "Passwordless")
	}
	if pw.Channel != "email" {
		grantSMS(role)
	}
	if t.table != nil {
		t.table.Grant(role, jsii.String("dynamodb:GetItem"), jsii.String("dynamodb:PutItem"), jsii.String("dynamodb:UpdateItem"))
	}
	if t.decoyKey != nil {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("secretsmanager:GetSecretValue"),
			Resources: jsii.Strings(*t.decoyKey.SecretArn()),
		}))
	}
}

// grantEmailSender lets customemailsender decrypt with the custom sender
// key and send email as the EmailFrom identity (and configuration set)
// only.
func (t *Triggers) grantEmailSender(_ constructs.Construct, role awsiam.Role) {
	t.grantDecrypt(role)
	if cs := t.props.CustomSenders; cs.EmailFrom != "" {
		t.grantSES(role, cs.EmailFrom, cs.SESConfigurationSet, "CustomSenders")
	}
}

// grantSMSSender lets customsmssender decrypt with the custom sender key
// and publish SMS to phone numbers but to no topic.
func (t *Triggers) grantSMSSender(_ constructs.Construct, role awsiam.Role) {
	t.grantDecrypt(role)
	grantSMS(role)
}

// grantDecrypt lets role decrypt with the custom sender key only (an IAM
// statement: the key's policy must let the account's IAM policies grant
// it, as the default key policy does).
func (t *Triggers) grantDecrypt(role awsiam.Role) {
	if t.cfg.kmsKeyArn == "" {
		return // reported by CheckCustomSenders
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("kms:Decrypt"),
		Resources: jsii.Strings(t.cfg.kmsKeyArn),
	}))
}

// grantSES lets role send email as the identity of from (the address and
// its domain) and with configurationSet only; prefix names their props.
func (t *Triggers) grantSES(role awsiam.Role, from, configurationSet, prefix string) {
	stack := awscdk.Stack_Of(t)
	identities, err := sesIdentities(from, prefix+".EmailFrom")
	if err != nil {
		t.problems = append(t.problems, err.Error())
	}
	var resources []string
	for _, id := range identities {
		resources = append(resources, *stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("identity"), ResourceName: jsii.String(id)}))
	}
	if configurationSet != "" {
		resources = append(resources, *stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("configuration-set"), ResourceName: jsii.String(configurationSet)}))
	}
	if len(resources) > 0 {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("ses:SendEmail"),
			Resources: jsii.Strings(resources...),
		}))
	}
}

// grantSMS lets role publish SMS to phone numbers. An SMS to a phone
// number has no ARN: Publish needs Resource "*". NotResource keeps every
// topic out.
func grantSMS(role awsiam.Role) {
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:      jsii.Strings("sns:Publish"),
		NotResources: jsii.Strings("arn:" + *awscdk.Aws_PARTITION() + ":sns:*:*:*"),
	}))
}

// setSenderKey settles the key of LambdaConfig.KMSKeyID:
// Props.CustomSenderKMSKey, else UserPoolProps.CustomSenderKmsKey (read
// by createPool), else, when CustomSenders asks for the shipped senders,
// a key the construct creates.
func (t *Triggers) setSenderKey() {
	p := &t.props
	switch {
	case p.CustomSenderKMSKey != nil:
		t.senderKey = p.CustomSenderKMSKey
		t.cfg.kmsKeyArn, t.kmsKeyProp = *p.CustomSenderKMSKey.KeyArn(), "Props.CustomSenderKMSKey"
	case t.cfg.kmsKeyArn != "":
	case p.CustomSenders != nil:
		key := awskms.NewKey(t, jsii.String("CustomSenderKey"), &awskms.KeyProps{
			Description:       jsii.String("cognitrig: Cognito encrypts the codes it gives the custom sender triggers of " + *t.Node().Path() + " with this key"),
			EnableKeyRotation: jsii.Bool(true),
		})
		key.AddToResourcePolicy(t.cognitoEncrypts(), nil)
		t.senderKey = key
		t.cfg.kmsKeyArn, t.kmsKeyProp = *key.KeyArn(), "CustomSenders (the key the construct creates)"
	}
}

// cognitoEncrypts is the key policy statement that lets Cognito encrypt
// custom senders' codes with a key, for pools of this account
// (docs/customsenders.md): for an existing pool, that pool only; for a
// pool created here, any pool of the stack's account and region, since
// the pool, which names the key, cannot also be named by the key's
// policy (a dependency cycle), and its ID is not known before it exists.
func (t *Triggers) cognitoEncrypts() awsiam.PolicyStatement {
	stack := awscdk.Stack_Of(t)
	source := t.poolArn
	if t.ownedPool != nil {
		source = stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("cognito-idp"), Resource: jsii.String("userpool"), ResourceName: jsii.String("*")})
	}
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CognitoEncryptsCodes"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cognito-idp.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:CreateGrant", "kms:Encrypt"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": *stack.Account()},
			"ArnLike":      map[string]any{"aws:SourceArn": *source},
		},
	})
}

// UserPool returns the pool: the one the construct created, or
// Props.ExistingUserPool as the construct imports it again, by its ARN, in
// its own scope (so that what is added to it, such as the clients of
// AddAppClient, belongs to the construct).
func (t *Triggers) UserPool() awscognito.IUserPool { return t.pool }

// UserPoolArn and UserPoolID return the pool's ARN and ID (tokens for a
// pool the construct creates).
func (t *Triggers) UserPoolArn() *string { return t.poolArn }

// UserPoolID returns the pool's ID.
func (t *Triggers) UserPoolID() *string { return t.poolID }

// Function returns the shipped function of that name (presignup,
// custommessage, defineauth, createauth, verifyauth, postconfirmation,
// pretoken, customemailsender, customsmssender), or nil when the props
// did not ask for it.
func (t *Triggers) Function(name string) awslambda.Function { return t.functions[name] }

// CustomSenderKey returns the key of LambdaConfig.KMSKeyID: the one
// given (Props.CustomSenderKMSKey, or UserPoolProps.CustomSenderKmsKey
// when it is an IKey) or the one the construct created for
// CustomSenders; nil without either.
func (t *Triggers) CustomSenderKey() awskms.IKey { return t.senderKey }

// DefaultGroup returns the group created for
// PostConfirmation.CreateGroup, or nil.
func (t *Triggers) DefaultGroup() awscognito.UserPoolGroup { return t.group }

// SendThrottleTable returns the DynamoDB table of the send limits (per
// user and pool-wide; pkg/throttle's schema: partition key pk, TTL on
// expires, on demand), which the construct creates with the passwordless
// functions; nil without Passwordless, or with
// Passwordless.AllowUnlimitedSends.
func (t *Triggers) SendThrottleTable() awsdynamodb.Table { return t.table }

// DecoyKeySecret returns the Secrets Manager secret that holds the decoy
// key, which the construct creates when Passwordless.DecoyKey is empty
// (nil otherwise). createauth gets its ARN (DECOY_KEY_SECRET_ARN) and may
// call secretsmanager:GetSecretValue on it; the key itself is in neither
// the template nor any function's configuration.
func (t *Triggers) DecoyKeySecret() awssecretsmanager.Secret { return t.decoyKey }

// Binding returns the custom resource that binds the triggers onto an
// existing pool, or nil for a pool the construct creates.
func (t *Triggers) Binding() awscdk.CustomResource { return t.binding }
