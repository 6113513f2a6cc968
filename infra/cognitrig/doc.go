// Package cognitrig is the AWS CDK construct (Go) that puts every trigger
// of a Cognito user pool into one complete LambdaConfig: the functions this
// module ships (triggers/presignup, custommessage, defineauth, createauth,
// verifyauth, postconfirmation, pretoken, customemailsender,
// customsmssender) and any function of your own, for a pool the stack
// creates or for one that exists already.
//
//	t := cognitrig.NewTriggers(stack, "Auth", &cognitrig.Props{
//		AppName:   "Example",
//		UserPool:  &awscognito.UserPoolProps{SelfSignUpEnabled: jsii.Bool(true)},
//		PreSignUp: &cognitrig.PreSignUpProps{BlockedEmailDomains: []string{"throwaway.example.org"}},
//		Passwordless: &cognitrig.PasswordlessProps{
//			EmailFrom:     "Example <no-reply@example.com>",
//			PoolSendLimit: &cognitrig.SendLimit{Count: 500, Per: awscdk.Duration_Hours(jsii.Number(1))},
//		},
//		PostConfirmation: &cognitrig.PostConfirmationProps{DefaultGroup: "users", CreateGroup: true},
//		PreToken:         &cognitrig.PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id"}},
//		CustomSenders: &cognitrig.CustomSendersProps{
//			Email: true, SMS: true, EmailFrom: "Example <no-reply@example.com>",
//			SMSAllowedCallingCodes: []string{"1", "44"},
//		},
//		Operations: &cognitrig.OperationsProps{CreateAlarmTopic: true},
//	})
//	t.Bind(userpool.UserMigration, myMigration, nil)
//	client := t.AddAppClient("Web", nil)
//
// # One LambdaConfig
//
// Every slot ([Slot], which is pkg/userpool's Slot: userpool.PreSignUp and
// so on, one list for the construct, the binding and the CLI) holds one
// function. The shipped functions claim
// theirs when their props are set; [Triggers.Bind] and
// UserPoolProps.LambdaTriggers claim the others. A slot claimed twice fails
// the synth with both claimants named: never a silent replacement. A new
// shipped function is one row of the table in triggers.go. Every bound
// function gets an AWS::Lambda::Permission for cognito-idp.amazonaws.com,
// with the pool's ARN and account as source.
//
// With Props.UserPool (or neither pool prop), the construct creates the
// pool (the CDK's L2 UserPool) and writes the LambdaConfig into it. With
// Props.ExistingUserPool (awscognito.UserPool_FromUserPoolId or
// UserPool_FromUserPoolArn), it deploys the
// infra/userpoolbinding function and a Custom::CognitrigUserPoolBinding
// resource whose properties are {UserPoolId, LambdaConfig (Cognito's API
// member names), Nonce}; the function reads the pool, writes it back whole
// with those members, and restores them on delete. The Nonce changes with
// every synth so that every deploy re-applies the binding: any other writer
// of the pool (its own template, the console) rewrites LambdaConfig and may
// have dropped it.
//
// Props.RepairDrift repairs the binding between deploys too: an
// EventBridge rule (source aws.cognito-idp, detail-type "AWS API Call via
// CloudTrail", eventName UpdateUserPool without errorCode, and
// requestParameters.userPoolId the pool's ID) invokes a second function
// built from infra/userpoolbinding (the same asset), whose environment
// holds the binding resource's properties but ServiceToken and Nonce
// (REPAIR_PROPERTIES, JSON: UserPoolId, LambdaConfig, TakeOver),
// AWS::StackId (REPAIR_STACK_ID) and the resource's logical ID
// (REPAIR_LOGICAL_ID); it applies those properties again. The rule sees
// only what CloudTrail records: the account needs a trail with
// management events, and the synth says so (an info annotation).
//
// # Functions
//
// Each function is built at synth time by go build (CGO_ENABLED=0,
// GOOS=linux, GOARCH=arm64, or amd64 when Props.Architecture is
// awslambda.Architecture_X86_64(), -tags
// lambda.norpc -trimpath -buildvcs=false -ldflags "-s -w"), without Docker,
// into a directory that holds only an executable bootstrap, which becomes
// the function's asset. All functions are built in one go build, once per
// process; -trimpath and -buildvcs=false keep the binary, and so the asset
// hash, the same while the code is. Props.Tracing sets X-Ray tracing on
// every function (awslambda.Tracing_ACTIVE; PassThrough by default).
// Runtime provided.al2023, handler
// bootstrap, timeout 5 seconds (Cognito's limit), 128 MB (createauth 256 MB:
// it renders and sends the message inside the 5 seconds, and Lambda's CPU
// share grows with memory), and a log group of its own with a retention of
// one month by default. The custom senders, which Cognito invokes
// asynchronously, get 256 MB and 10 seconds for a KMS call and a send with
// their retries; the construct sets no on-failure destination (add one to
// Function("customemailsender") with ConfigureAsyncInvoke).
//
// The props of the shipped functions (PreSignUpProps, CustomMessageProps,
// PasswordlessProps, PostConfirmationProps, PreTokenProps,
// CustomSendersProps) become their environment variables, and the
// functions' own configuration parsers (signup.PolicyFromEnv,
// message.ConfigFromEnv, passwordless.ConfigFromEnv, groups.ConfigFromEnv,
// claims.ConfigFromEnv, customsender.ConfigFromEnv and Config.Check) check
// that environment at synth time: a setting a function would refuse at
// start-up fails the synth, naming the prop and the variable.
//
// With Passwordless, the construct also creates the DynamoDB table of the
// send limits ([Triggers.SendThrottleTable]: per user, and per pool,
// PasswordlessProps.PoolSendLimit) and, unless PasswordlessProps.DecoyKey
// is given, a Secrets Manager secret of 32 random bytes
// ([Triggers.DecoyKeySecret]) whose ARN createauth, the one function that
// uses the key, gets as DECOY_KEY_SECRET_ARN and reads at run time: the
// key is in neither the template nor any function's configuration.
//
// The pre token function is bound with PreTokenProps.LambdaVersion
// (awscognito.LambdaVersion_V2_0 unless set; V3_0 for client credentials
// tokens too; V1_0 for a pool on the Lite plan), the custom senders with
// V1_0, the default of their slots (userpool's Slot.Versions). With
// PostConfirmationProps.CreateGroup the construct creates the default
// group in the pool (an AWS::Cognito::UserPoolGroup,
// [Triggers.DefaultGroup]).
//
// # The custom senders' key
//
// Cognito encrypts the codes it hands the custom senders under the KMS key
// of LambdaConfig.KMSKeyID: Props.CustomSenderKMSKey, else
// UserPoolProps.CustomSenderKmsKey, else, with CustomSenders, a symmetric
// key the construct creates ([Triggers.CustomSenderKey]) with rotation on
// and CDK's default removal policy (retained). Its policy adds to the
// account's own statement one for Cognito: cognito-idp.amazonaws.com may
// call kms:CreateGrant and kms:Encrypt with aws:SourceAccount the stack's
// account and aws:SourceArn (ArnLike) the existing pool's ARN, or, for a
// pool the construct creates, any pool of the stack's account and region
// (arn:<partition>:cognito-idp:<region>:<account>:userpool/*): that pool
// names the key in its LambdaConfig, so the key cannot name the pool (a
// dependency cycle), and the pool's ID does not exist before the pool. A
// key you give is not changed: its policy must hold that statement
// (docs/customsenders.md).
//
// # Permissions
//
// Each function's role may write to its own log group and nothing else
// (pretoken makes no AWS call), except: createauth may call ses:SendEmail
// as the EmailFrom identity (the address and its domain) and configuration
// set only, sns:Publish on anything but a topic (an SMS to a phone number
// has no ARN), dynamodb:GetItem, PutItem and UpdateItem on the send
// throttle table only, and secretsmanager:GetSecretValue on the decoy
// key's secret only; customemailsender and customsmssender may call kms:Decrypt on the
// custom senders' key only, and ses:SendEmail and sns:Publish as createauth
// does (each its own channel); presignup with LinkFederatedUsers may call
// cognito-idp:ListUsers, ListIdentityProviders and AdminLinkProviderForUser
// on the pool only, and postconfirmation cognito-idp:AdminAddUserToGroup on
// the pool only (each in a policy of its own, so that the function does
// not depend on the pool that depends on it). The binding function may
// call DescribeUserPool, UpdateUserPool, TagResource, UntagResource and
// ListTagsForResource on the pool, and iam:PassRole, for
// cognito-idp.amazonaws.com only, on Props.PassRoles (a pool that sends
// SMS needs its SNS caller role there: UpdateUserPool passes it again);
// the repair function of Props.RepairDrift may do the same, and nothing
// else. With Props.Tracing Tracing_ACTIVE, CDK lets every role call
// xray:PutTraceSegments and PutTelemetryRecords.
//
// # Operations
//
// Every function the construct makes writes CloudWatch metrics in the
// embedded metric format for one service: POWERTOOLS_SERVICE_NAME is
// OperationsProps.ServiceName, by default the construct's path with every
// character but letters, digits, "-", "_" and "." written as "-"
// (CognitrigDemo-Triggers; cut to 64 characters with a digest of the
// path), and POWERTOOLS_METRICS_NAMESPACE is
// OperationsProps.MetricsNamespace, by default "cognitrig". Both are
// checked at synth as the functions check them (metrics.CheckService,
// metrics.CheckNamespace). Every metric has the dimension service;
// CodesSent has channel (email, sms) too.
// OperationsProps.DisableMetrics sets POWERTOOLS_METRICS_DISABLED=true.
//
// The construct creates these alarms ([Triggers.Alarms]), each above its
// threshold in one period, missing data not breaching:
//
//   - for every function it makes but the binding's: failures (Sum over
//     5 minutes) > 0 and AWS/Lambda Throttles (Sum over 5 minutes) > 0.
//     Lambda counts a refusal a trigger returns to Cognito (a sign-up the
//     pre sign-up policy refuses) among its Errors, so the failures are
//     AWS/Lambda Errors less the EMF metric Denials of the function's
//     trigger; without metrics, and for the repair function, AWS/Lambda
//     Errors alone;
//   - for the triggers Cognito waits for (all but the custom senders and
//     the repair): Duration (Maximum over 5 minutes) >
//     OperationsProps.SlowTrigger, 4 seconds by default, under Cognito's
//     5;
//   - SMS pumping, when the functions can send SMS (Passwordless with a
//     channel other than email and some SMS country, or
//     CustomSenders.SMS): CodesSent {service, channel sms} (Sum over 1
//     hour) > OperationsProps.SMSCodesPerHour, 100 by default;
//   - code guessing, with Passwordless: AnswersWrong {service} (Sum over 5
//     minutes) > OperationsProps.WrongAnswersPer5Minutes, 50 by default.
//
// The two EMF alarms need the metrics: DisableMetrics drops them. The
// alarms notify OperationsProps.AlarmTopic, or the topic the construct
// creates (SSL enforced) for OperationsProps.CreateAlarmTopic
// ([Triggers.AlarmTopic]); with neither they notify nobody, and the synth
// says so (an info annotation). One dashboard ([Triggers.Dashboard])
// shows the functions' invocations, errors, throttles and longest
// durations, and the EMF metrics (pkg/metrics' catalog): sign-ups allowed
// and refused by reason, codes sent by channel, right, wrong, expired and
// exhausted answers, send limits hit (per user, per pool), decoys served,
// errors by trigger and kind, and refusals by trigger. OperationsProps.DisableAlarmsAndDashboard
// creates neither alarms nor dashboard.
//
// # Synth-time checks
//
// Problems are reported through a validation of the construct, so that a
// synth reports all of them at once, each with the construct's path:
// slots claimed twice, wrong settings, custom senders without a KMS key
// ([CheckCustomSenders]), an SES identity the pool's region cannot use
// ([CheckSESRegion]), Pinpoint analytics a pool's region cannot use
// ([CheckPinpoint]), an app client session shorter than a code's life
// ([CheckAuthSessionValidity]), a custom message function that
// disagrees with the pool's email sender, CustomSenders without a sender,
// a pre token LambdaVersion that does not exist, access-token scopes with
// V1_0 (which cannot change the access token), V2_0 or V3_0 on a pool
// whose FeaturePlan is LITE, Passwordless.RequirePassword without
// AllowPasswordOnlySignIn, props that have no effect
// (AllowPasswordOnlySignIn without RequirePassword, PoolSendLimit with
// AllowUnlimitedSends, TakeOverBoundSlots or RepairDrift with a pool the
// construct creates), and operations props CloudWatch would refuse or
// that contradict each other (a ServiceName or MetricsNamespace out of
// form, AlarmTopic with CreateAlarmTopic, a negative threshold, a
// SlowTrigger above 5 seconds). Only what cannot be built at all panics
// in NewTriggers: contradictory pool props, a function that does not
// compile or whose package directory is missing.
//
// # Secure by default
//
// Every default is the safe choice; a prop that gives something up says so
// in its name, and setting it adds a synth-time warning whose ID names it
// (cdk synth prints them; Annotations.acknowledgeWarning silences one):
//
//   - cognitrig:logPersonalData: Props.LogPersonalData.
//   - cognitrig:allowPasswordOnlySignIn: Passwordless.AllowPasswordOnlySignIn
//     (USER_SRP_AUTH then signs in with the password alone).
//   - cognitrig:allowUnlimitedSends: Passwordless.AllowUnlimitedSends.
//   - cognitrig:allowSMSToAllCountries: AllowSMSToAllCountries of
//     Passwordless or CustomSenders.
//   - cognitrig:trustUnverifiedEmailProviders:
//     PreSignUp.TrustUnverifiedEmailProviders, naming them.
//   - cognitrig:markUnprovenEmailVerified: PreSignUp.MarkUnprovenEmailVerified.
//   - cognitrig:takeOverBoundSlots: Props.TakeOverBoundSlots.
//   - cognitrig:decoyKeyInTemplate: Passwordless.DecoyKey (the key is then
//     in the template and createauth's configuration).
//   - cognitrig:disableMetrics: Operations.DisableMetrics.
//   - cognitrig:disableAlarmsAndDashboard:
//     Operations.DisableAlarmsAndDashboard.
//
// At synth, the app clients of the pool in the stack, whoever made them,
// are checked too: with custom auth bound, a client that allows a flow that
// issues tokens without the custom challenge (ALLOW_USER_SRP_AUTH, unless
// AddAppClient added it for AllowPasswordOnlySignIn;
// ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_USER_AUTH,
// or ExplicitAuthFlows unset, which Cognito takes as USER_SRP_AUTH among
// others) warns cognitrig:passwordOnlyFlows, one that allows OAuth warns
// cognitrig:oauthSkipsCustomAuth, and a hosted UI domain on the pool warns
// cognitrig:hostedUI; a client whose PreventUserExistenceErrors is not
// ENABLED warns cognitrig:userExistenceErrors; and a client whose users
// may write a custom attribute that PreToken copies into a claim warns
// cognitrig:userWritableClaims.
package cognitrig
