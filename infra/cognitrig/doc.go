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
// # Functions
//
// Each function is built at synth time by go build (CGO_ENABLED=0,
// GOOS=linux, GOARCH=arm64, or amd64 when Props.Architecture is
// awslambda.Architecture_X86_64(), -tags
// lambda.norpc -trimpath -buildvcs=false -ldflags "-s -w"), without Docker,
// into a directory that holds only an executable bootstrap, which becomes
// the function's asset. All functions are built in one go build, once per
// process; -trimpath and -buildvcs=false keep the binary, and so the asset
// hash, the same while the code is. Runtime provided.al2023, handler
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
// is given, a Secrets Manager secret of 32 random bytes that the functions
// get as DECOY_KEY through a dynamic reference ([Triggers.DecoyKeySecret]).
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
// has no ARN), and dynamodb:GetItem, PutItem and UpdateItem on the send
// throttle table only; customemailsender and customsmssender may call kms:Decrypt on the
// custom senders' key only, and ses:SendEmail and sns:Publish as createauth
// does (each its own channel); presignup with LinkFederatedUsers may call
// cognito-idp:ListUsers, ListIdentityProviders and AdminLinkProviderForUser
// on the pool only, and postconfirmation cognito-idp:AdminAddUserToGroup on
// the pool only (each in a policy of its own, so that the function does
// not depend on the pool that depends on it). The binding function may
// call DescribeUserPool, UpdateUserPool, TagResource, UntagResource and
// ListTagsForResource on the pool, and iam:PassRole, for
// cognito-idp.amazonaws.com only, on Props.PassRoles (a pool that sends
// SMS needs its SNS caller role there: UpdateUserPool passes it again).
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
// AllowPasswordOnlySignIn, and props that have no effect
// (AllowPasswordOnlySignIn without RequirePassword, PoolSendLimit with
// AllowUnlimitedSends, TakeOverBoundSlots with a pool the construct
// creates). Only what cannot be built at all panics in NewTriggers:
// contradictory pool props, a function that does not compile or whose
// package directory is missing.
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
