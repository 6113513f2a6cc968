// Command infra is the CDK app of this repository. infra is a module of
// its own: cdk.json builds the app in it (go -C infra build) and runs the
// binary from the repository's root, where the CDK CLI reads cdk.out. It
// synthesizes a demonstration stack:
//
//   - CognitrigDemo: a new user pool (Essentials feature plan, a
//     custom:tenant attribute) with the shipped pre sign-up, custom
//     message, passwordless (custom auth), post confirmation (every
//     confirmed user joins the group "users", which the stack creates) and
//     pre token generation (custom:tenant becomes the ID token's tenant_id
//     claim, events V2_0) functions bound in one LambdaConfig, the send
//     throttle table and the decoy key secret of the passwordless
//     functions, and an app client for passwordless sign-in that may not
//     write custom:tenant (users must not pick their own tenant_id);
//   - CognitrigBinding, with -c userPoolId=us-east-1_AbCdEf123: the pre
//     sign-up, custom message and passwordless functions bound onto that
//     existing pool by the Custom::CognitrigUserPoolBinding resource, the
//     rule and function that repair that binding when something else
//     updates the pool (it needs CloudTrail management events), and an
//     app client. It leaves the pool's groups and tokens alone: post
//     confirmation would need a group there, and pre token generation
//     V2_0 a pool on the Essentials plan.
//
// Both have the construct's alarms (errors, throttles, slow triggers, SMS
// pumping, wrong answers) and dashboard, and an SNS topic the alarms
// notify: subscribe to it (the stack's output AlarmTopicArn) to be told.
//
// Context values: appName (default "Cognitrig Demo"), emailFrom (the SES
// sender of the codes, default "Cognitrig <no-reply@example.com>"; verify
// it in SES before deploying), userPoolId.
//
// The app synthesizes without AWS credentials: the account and region are
// CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION, which the CDK CLI sets from
// the credentials it finds, or 123456789012 and us-east-1 when they are
// unset. Deploy with real credentials so that the CLI sets them. It
// enables aws:cdk:enable-asset-metadata, so every function carries the
// aws:asset:path metadata that sam local invoke -t
// cdk.out/<Stack>.template.json needs, with or without the CLI.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"
	"github.com/cognitrig/cognitrig/infra/cognitrig"
)

// Offline fallbacks of the stack's environment.
const (
	fallbackAccount = "123456789012"
	fallbackRegion  = "us-east-1"
)

func main() {
	defer func() {
		// A failed synth panics in jsii; say what failed without a Go
		// stack trace.
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "synth failed:", r)
			os.Exit(1)
		}
	}()
	app := newApp(nil)
	app.Synth(nil)
}

// newApp builds the app; context adds to the CLI's context (tests pass
// userPoolId and outdir there).
func newApp(context map[string]any) awscdk.App {
	ctx := map[string]any{"aws:cdk:enable-asset-metadata": true}
	outdir := ""
	for k, v := range context {
		if k == "outdir" {
			outdir, _ = v.(string)
			continue
		}
		ctx[k] = v
	}
	props := &awscdk.AppProps{Context: &ctx}
	if outdir != "" {
		props.Outdir = jsii.String(outdir)
	}
	app := awscdk.NewApp(props)
	env := &awscdk.Environment{
		Account: jsii.String(getenv("CDK_DEFAULT_ACCOUNT", fallbackAccount)),
		Region:  jsii.String(getenv("CDK_DEFAULT_REGION", fallbackRegion)),
	}
	if id := contextString(app, "userPoolId", ""); id != "" {
		newDemoStack(app, "CognitrigBinding", env, id)
	} else {
		newDemoStack(app, "CognitrigDemo", env, "")
	}
	return app
}

// newDemoStack is the demonstration: the shipped triggers on a new pool,
// or on the existing pool userPoolID.
func newDemoStack(app awscdk.App, name string, env *awscdk.Environment, userPoolID string) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String("cognitrig demonstration: every trigger of a user pool in one LambdaConfig"),
	})
	props := &cognitrig.Props{
		AppName: contextString(app, "appName", "Cognitrig Demo"),
		PreSignUp: &cognitrig.PreSignUpProps{
			BlockedEmailDomains: []string{"throwaway.example.org"},
		},
		CustomMessage: &cognitrig.CustomMessageProps{},
		Passwordless: &cognitrig.PasswordlessProps{
			EmailFrom: contextString(app, "emailFrom", "Cognitrig <no-reply@example.com>"),
			// Codes go by email, or by SMS to users without one: to
			// North American numbers only. Add the calling codes of the
			// countries you serve.
			SMSAllowedCallingCodes: []string{"1"},
		},
		Operations: &cognitrig.OperationsProps{CreateAlarmTopic: true},
	}
	var clientOpts *awscognito.UserPoolClientOptions
	if userPoolID != "" {
		props.ExistingUserPool = awscognito.UserPool_FromUserPoolId(stack, jsii.String("ExistingUserPool"), jsii.String(userPoolID))
		props.RepairDrift = true
	} else {
		props.UserPool = &awscognito.UserPoolProps{
			SelfSignUpEnabled: jsii.Bool(true),
			SignInAliases:     &awscognito.SignInAliases{Email: jsii.Bool(true)},
			AutoVerify:        &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true)},
			AccountRecovery:   awscognito.AccountRecovery_EMAIL_ONLY,
			FeaturePlan:       awscognito.FeaturePlan_ESSENTIALS, // pre token generation V2_0
			CustomAttributes: &map[string]awscognito.ICustomAttribute{
				"tenant": awscognito.NewStringAttribute(&awscognito.StringAttributeProps{Mutable: jsii.Bool(true)}),
			},
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY, // a demonstration
		}
		props.PostConfirmation = &cognitrig.PostConfirmationProps{DefaultGroup: "users", CreateGroup: true}
		props.PreToken = &cognitrig.PreTokenProps{IDTokenClaimsFromAttributes: []string{"custom:tenant=tenant_id"}}
		// custom:tenant becomes a claim: users may read it, but only an
		// administrator may set it.
		clientOpts = &awscognito.UserPoolClientOptions{
			WriteAttributes: awscognito.NewClientAttributes().WithStandardAttributes(&awscognito.StandardAttributesMask{
				Email: jsii.Bool(true), GivenName: jsii.Bool(true), FamilyName: jsii.Bool(true), Locale: jsii.Bool(true),
			}),
		}
	}
	t := cognitrig.NewTriggers(stack, "Triggers", props)
	client := t.AddAppClient("AppClient", clientOpts)
	awscdk.NewCfnOutput(stack, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: t.UserPoolID()})
	awscdk.NewCfnOutput(stack, jsii.String("AppClientId"), &awscdk.CfnOutputProps{Value: client.UserPoolClientId()})
	awscdk.NewCfnOutput(stack, jsii.String("AlarmTopicArn"), &awscdk.CfnOutputProps{Value: t.AlarmTopic().TopicArn()})
	return stack
}

// contextString reads a context value of the app, or def.
func contextString(app awscdk.App, key, def string) string {
	if v, ok := app.Node().TryGetContext(jsii.String(key)).(string); ok && v != "" {
		return v
	}
	return def
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
