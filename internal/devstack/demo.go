package devstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	lambdaapi "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

	"github.com/cognitrig/cognitrig/internal/moto"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

// DemoPassword is the password of the demonstration's sign-ups.
const DemoPassword = "Local-Passw0rd!"

// Remote returns the named function of the stack as a lambda.Handler that
// invokes it through the local Lambda endpoint, as Cognito would. A
// function error becomes an error with the function's errorMessage, which
// is what Cognito shows the client.
func (st *Stack) Remote(name string) lambdaapi.Handler {
	cfg := AWSConfig()
	cfg.BaseEndpoint = aws.String(st.LambdaURL)
	// One attempt: the caller (the front's model of Cognito) decides what
	// to try again.
	cfg.RetryMaxAttempts = 1
	return remote{client: lambda.NewFromConfig(cfg), name: name}
}

type remote struct {
	client *lambda.Client
	name   string
}

func (r remote) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := r.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(r.name), Payload: payload})
	if err != nil {
		return nil, err
	}
	if out.FunctionError != nil {
		var fe struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(out.Payload, &fe) != nil || fe.ErrorMessage == "" {
			return nil, fmt.Errorf("function %s failed (%s) without an error message", r.name, aws.ToString(out.FunctionError))
		}
		return nil, errors.New(fe.ErrorMessage)
	}
	return out.Payload, nil
}

// DemoResult is what the demonstration saw.
type DemoResult struct {
	// Denial is the error the client got for the sign-up the pre sign-up
	// policy refused, as "<exception>: <message>".
	Denial string
	// MessageSubject is the subject of the custom message cognito-local
	// delivered for the accepted sign-up; MessageFields lists the parts it
	// delivered (Email Subject, Email Message, SMS Message…).
	MessageSubject string
	MessageFields  []string
	// Parameters are the public challenge parameters of the passwordless
	// sign-in; EmailSubject the subject of the code's email, read back
	// from moto.
	Parameters   map[string]string
	EmailSubject string
	// WrongAnswerRetried reports that a wrong code led to another
	// challenge; Tokens that the right one issued tokens.
	WrongAnswerRetried, Tokens bool
}

// codeRE finds a code in a message.
var codeRE = regexp.MustCompile(`\b[0-9]{6}\b`)

// Demo runs the scripted demonstration on the stack, writing what happens
// to w: a sign-up the pre sign-up policy refuses, a sign-up it accepts
// with the custom message cognito-local delivered, and a passwordless
// sign-in through the user-pool endpoint, whose front runs define, create
// and verify auth challenge through the local Lambda endpoint, with the
// code read back from the email moto received. w receives the code: write it to a terminal, not to a log
// that is kept.
func (st *Stack) Demo(ctx context.Context, w io.Writer) (*DemoResult, error) {
	res := &DemoResult{}
	cfg := AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	idp := cip.NewFromConfig(cfg)
	signUp := func(email string) error {
		_, err := idp.SignUp(ctx, &cip.SignUpInput{
			ClientId: aws.String(st.ClientID), Username: aws.String(email), Password: aws.String(DemoPassword),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}, {Name: aws.String("given_name"), Value: aws.String("Jane")}},
		})
		return err
	}

	blocked := "someone@" + BlockedDomain
	fmt.Fprintf(w, "1. SignUp %s (the pre sign-up policy blocks %s)\n", blocked, BlockedDomain)
	err := signUp(blocked)
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "UserLambdaValidationException" {
		return res, fmt.Errorf("the blocked sign-up got %v, want a UserLambdaValidationException", err)
	}
	res.Denial = api.ErrorCode() + ": " + api.ErrorMessage()
	fmt.Fprintf(w, "   the client receives: %s\n\n", res.Denial)

	accepted := "jane@example.org"
	fmt.Fprintf(w, "2. SignUp %s (allowed; the custom message trigger writes the verification email)\n", accepted)
	if err := signUp(accepted); err != nil {
		return res, fmt.Errorf("the allowed sign-up: %w", err)
	}
	fields, err := lastDelivery(filepath.Join(st.Logs, "cognito-local.log"))
	if err != nil {
		return res, err
	}
	res.MessageSubject = fields["Email Subject"]
	for _, k := range deliveryFields {
		if _, ok := fields[k]; ok {
			res.MessageFields = append(res.MessageFields, k)
		}
	}
	fmt.Fprintf(w, "   cognito-local delivered (see %s):\n", filepath.Join(st.Logs, "cognito-local.log"))
	for _, k := range res.MessageFields {
		v := fields[k]
		if k == "Email Message" {
			v = fmt.Sprintf("<HTML from pkg/message/templates, %d characters>", len(v))
		}
		fmt.Fprintf(w, "     %-14s %s\n", k+":", v)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "3. ConfirmSignUp %s with the code of that email; then a passwordless sign-in through the user-pool endpoint\n", accepted)
	if _, err := idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(st.ClientID), Username: aws.String(accepted), ConfirmationCode: aws.String(fields["Code"])}); err != nil {
		return res, fmt.Errorf("ConfirmSignUp: %w", err)
	}
	start, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(st.ClientID), AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": accepted},
	})
	if err != nil {
		return res, fmt.Errorf("InitiateAuth: %w", err)
	}
	res.Parameters = maps.Clone(start.ChallengeParameters)
	delete(res.Parameters, "USERNAME")
	fmt.Fprintf(w, "   InitiateAuth CUSTOM_AUTH → %s (define and create auth challenge ran); the client sees %v\n", start.ChallengeName, res.Parameters)
	sent, err := moto.Sent(ctx, st.MotoURL)
	if err != nil {
		return res, err
	}
	if len(sent.Emails) == 0 {
		return res, errors.New("moto received no email from createauth")
	}
	email := sent.Emails[len(sent.Emails)-1]
	res.EmailSubject = email.Subject
	code := codeRE.FindString(email.Subject)
	if code == "" {
		return res, errors.New("the sign-in email's subject shows no code")
	}
	fmt.Fprintf(w, "   SES v2 (moto) received an email to %s from %s: %q\n", trigger.MaskEmail(accepted), email.Source, email.Subject)
	answer := func(code string) (*cip.RespondToAuthChallengeOutput, error) {
		return idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ClientId: aws.String(st.ClientID), ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: start.Session,
			ChallengeResponses: map[string]string{"USERNAME": accepted, "ANSWER": code},
		})
	}
	wrong := []byte(code)
	wrong[0] = '0' + (wrong[0]-'0'+1)%10
	r, err := answer(string(wrong))
	if err != nil {
		return res, fmt.Errorf("RespondToAuthChallenge with a wrong code: %w", err)
	}
	res.WrongAnswerRetried = r.ChallengeName == types.ChallengeNameTypeCustomChallenge
	fmt.Fprintf(w, "   RespondToAuthChallenge %s (wrong; verify said no) → %s again, with a new session\n", wrong, r.ChallengeName)
	start.Session = r.Session
	r, err = answer(code)
	if err != nil {
		return res, fmt.Errorf("RespondToAuthChallenge with the code: %w", err)
	}
	res.Tokens = r.AuthenticationResult != nil && r.AuthenticationResult.IdToken != nil
	fmt.Fprintf(w, "   RespondToAuthChallenge %s (right) → tokens issued: %t\n\n", code, res.Tokens)

	ok := res.WrongAnswerRetried && res.Tokens
	fmt.Fprintf(w, "Summary: blocked sign-up refused ✓, custom message delivered ✓, passwordless sign-in %s\n", map[bool]string{true: "✓", false: "✗"}[ok])
	if !ok {
		return res, errors.New("the passwordless sign-in did not go as expected")
	}
	return res, nil
}

// ansiRE matches the colour codes of cognito-local's log.
var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// deliveryFields are the fields cognito-local shows of a delivered
// message.
var deliveryFields = []string{"Username", "Destination", "Code", "Email Subject", "Email Message", "SMS Message"}

// lastDelivery reads the fields of the last message cognito-local logged
// as delivered: a box titled "Confirmation Code Delivery", whose lines its
// logger joins into one, with the long values wrapped over several box
// lines.
func lastDelivery(logPath string) (map[string]string, error) {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return nil, err
	}
	text := ansiRE.ReplaceAllString(string(b), "")
	i := strings.LastIndex(text, "Confirmation Code Delivery")
	if i < 0 {
		return nil, fmt.Errorf("cognito-local logged no delivered message in %s", logPath)
	}
	box, _, _ := strings.Cut(text[i:], "╰")
	fields := map[string]string{}
	last := ""
	for _, seg := range strings.Split(box, "│")[1:] {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		name := ""
		for _, f := range deliveryFields {
			if strings.HasPrefix(seg, f+":") {
				name = f
			}
		}
		if name != "" {
			last = name
			fields[name] = strings.TrimSpace(strings.TrimPrefix(seg, name+":"))
		} else if last != "" {
			fields[last] += " " + seg
		}
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("cannot read the delivered message in %s", logPath)
	}
	return fields, nil
}
