package conformance

import "github.com/cognitrig/cognitrig/pkg/trigger"

// judgement is what the test expects of one file of the corpus that
// Cognito could never send as it is. A file without a judgement must be
// accepted as it is.
type judgement struct {
	// refused says why the file is refused as it is: what in it Cognito
	// could never send.
	refused string
	// runAs is the trigger source the file is run as once repaired (a
	// byte-order mark removed, its placeholder source replaced), or ""
	// when nothing can be run: a file that is not JSON.
	runAs trigger.Source
}

const (
	notJSON       = "a schematic example from the documentation, not JSON: members elided with ..., a missing comma, and version written as a number"
	dotnetFixture = "starts with a UTF-8 byte-order mark, which JSON sent to Lambda never has (the .NET fixtures all do), and its triggerSource is the placeholder \"trigger_source\""
	slashSources  = "its triggerSource is several sources joined with slashes, a summary of where the event comes from, not one source"
	emptySource   = "its triggerSource is empty: the Powertools for TypeScript tests parse it without one"
)

// judgements are keyed by the file's path in the corpus.
var judgements = map[string]judgement{
	"aws-cognito-developer-guide/user-pool-lambda-custom-message.md.L130-L154.json": {refused: notJSON},
	"aws-cognito-developer-guide/user-pool-lambda-custom-message.md.L194-L219.json": {refused: notJSON},

	"aws-lambda-dotnet/cognito-createauthchallenge-event.json":                  {dotnetFixture, trigger.SourceCreateAuthChallenge},
	"aws-lambda-dotnet/cognito-customemailsender-event.json":                    {dotnetFixture, trigger.SourceCustomEmailSenderSignUp},
	"aws-lambda-dotnet/cognito-custommessage-event.json":                        {dotnetFixture, trigger.SourceCustomMessageSignUp},
	"aws-lambda-dotnet/cognito-customsmssender-event.json":                      {dotnetFixture, trigger.SourceCustomSMSSenderSignUp},
	"aws-lambda-dotnet/cognito-defineauthchallenge-event-with-null-values.json": {dotnetFixture, trigger.SourceDefineAuthChallenge},
	"aws-lambda-dotnet/cognito-defineauthchallenge-event.json":                  {dotnetFixture, trigger.SourceDefineAuthChallenge},
	"aws-lambda-dotnet/cognito-migrateuser-event.json":                          {dotnetFixture, trigger.SourceUserMigrationAuthentication},
	"aws-lambda-dotnet/cognito-postauthentication-event.json":                   {dotnetFixture, trigger.SourcePostAuthentication},
	"aws-lambda-dotnet/cognito-postconfirmation-event.json":                     {dotnetFixture, trigger.SourcePostConfirmationConfirmSignUp},
	"aws-lambda-dotnet/cognito-pre-token-generation-event.json": {
		"starts with a UTF-8 byte-order mark, which JSON sent to Lambda never has (the .NET fixtures all do)", trigger.SourceTokenGenerationNewPasswordChallenge},
	"aws-lambda-dotnet/cognito-preauthentication-event.json":                        {dotnetFixture, trigger.SourcePreAuthentication},
	"aws-lambda-dotnet/cognito-presignup-event.json":                                {dotnetFixture, trigger.SourcePreSignUpSignUp},
	"aws-lambda-dotnet/cognito-pretokengeneration-event.json":                       {dotnetFixture, trigger.SourceTokenGenerationAuthentication},
	"aws-lambda-dotnet/cognito-pretokengenerationv2-event.json":                     {dotnetFixture, trigger.SourceTokenGenerationAuthentication},
	"aws-lambda-dotnet/cognito-verifyauthchallenge-event-with-null-values.json":     {dotnetFixture, trigger.SourceVerifyAuthChallenge},
	"aws-lambda-dotnet/cognito-verifyauthchallenge-event.json":                      {dotnetFixture, trigger.SourceVerifyAuthChallenge},
	"aws-lambda-go/cognito-event-userpools-custommessage.json":                      {slashSources, trigger.SourceCustomMessageSignUp},
	"aws-lambda-go/cognito-event-userpools-pretokengen.json":                        {"its triggerSource is \"PreTokenGen\", a name no Cognito event has", trigger.SourceTokenGenerationAuthentication},
	"aws-lambda-go/history/cognito-event-userpools-customemailsender.json":          {slashSources, trigger.SourceCustomEmailSenderSignUp},
	"powertools-typescript/base.json":                                               {"the template every Powertools for TypeScript case starts from, with an empty triggerSource and no trigger's request", ""},
	"powertools-typescript/derived/pre-token-generation-v1-null-preferredRole.json": {emptySource, trigger.SourceTokenGenerationAuthentication},
	"powertools-typescript/derived/pre-token-generation-v1.json":                    {emptySource, trigger.SourceTokenGenerationAuthentication},
}
