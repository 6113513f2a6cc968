package authfront

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// translated reports whether op is a call whose errors cognito-local
// words differently from Cognito, which the front then rewrites.
func translated(op string) bool {
	switch op {
	case "InitiateAuth", "AdminInitiateAuth", "ChangePassword", "SignUp", "AdminCreateUser",
		"ConfirmSignUp", "ConfirmForgotPassword", "VerifyUserAttribute", "ForgotPassword",
		"ResendConfirmationCode", "AdminGetUser", "AdminDeleteUser", "AdminSetUserPassword",
		"AdminEnableUser", "AdminDisableUser", "AdminListGroupsForUser", "AdminRemoveUserFromGroup", "GetUser":
		return true
	}
	return false
}

// forwardTranslated forwards a call of another flow to cognito-local and
// answers with Cognito's wording of its error, when it failed.
func (f *Front) forwardTranslated(w http.ResponseWriter, r *http.Request, op string, body []byte, in *request) {
	status, header, out, err := f.forward(r, body)
	if err != nil {
		f.cfg.Log.Error("cognito-local did not answer", "op", op, "err", err)
		writeError(w, http.StatusInternalServerError, "InternalErrorException", "The local user-pool service (cognito-local) did not answer; see its log.")
		return
	}
	if e := unsupported(status, out); e != nil {
		writeError(w, http.StatusBadRequest, e.Exception, e.Message)
		return
	}
	if status == http.StatusBadRequest {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if json.Unmarshal(out, &e) == nil {
			if ce := f.translate(r.Context(), op, in, body, e.Type, e.Message); ce != nil {
				writeError(w, http.StatusBadRequest, ce.Exception, ce.Message)
				return
			}
		}
	}
	if status == http.StatusOK && op == "ConfirmSignUp" {
		if err := f.confirmed(r.Context(), in, body); err != nil {
			f.writeFailure(w, op, err)
			return
		}
	}
	h := w.Header()
	maps.Copy(h, header)
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// translate returns Cognito's error for cognito-local's error code: msg in
// answer to call op, or nil to keep it.
func (f *Front) translate(ctx context.Context, op string, in *request, body []byte, code, msg string) *Error {
	switch code {
	case "InvalidPasswordException":
		// cognito-local's wrong password; Cognito's InvalidPasswordException
		// is about a new password that breaks the policy.
		if op == "InitiateAuth" || op == "AdminInitiateAuth" || op == "ChangePassword" {
			return errIncorrect
		}
	case "NotAuthorizedException":
		if msg != "User not authorized" || (op != "InitiateAuth" && op != "AdminInitiateAuth") {
			return nil
		}
		if isRefresh(in.AuthFlow) {
			return &Error{"NotAuthorizedException", "Invalid Refresh Token"}
		}
		// A password sign-in of a user who does not exist, or on an app
		// client that does not.
		c, err := f.appClient(ctx, in)
		if ce, ok := err.(*Error); ok {
			return ce
		}
		if err == nil && !c.preventUserExistenceErrors {
			if u, err := f.user(ctx, c.pool, in.AuthParameters["USERNAME"]); err == nil && u == nil {
				return &Error{"UserNotFoundException", "User does not exist."}
			}
		}
		return errIncorrect
	case "UserNotFoundException":
		return &Error{"UserNotFoundException", "User does not exist."}
	case "CodeMismatchException":
		return &Error{"CodeMismatchException", "Invalid verification code provided, please try again."}
	case "UsernameExistsException":
		return f.usernameExists(ctx, op, in, body)
	case "ResourceNotFoundException":
		if id, ok := strings.CutPrefix(msg, "App Client "); ok {
			return &Error{"ResourceNotFoundException", "User pool client " + strings.TrimSuffix(id, " not found") + " does not exist."}
		}
	case "UnexpectedLambdaExceptionException":
		return &Error{"UnexpectedLambdaException", msg}
	}
	return nil
}

var errIncorrect = &Error{"NotAuthorizedException", "Incorrect username or password."}

// usernameExists words UsernameExistsException as Cognito does: by the
// alias the user signs up with, in a pool whose users sign in with one.
func (f *Front) usernameExists(ctx context.Context, op string, in *request, body []byte) *Error {
	var u struct{ Username string }
	_ = json.Unmarshal(body, &u)
	pool := in.UserPoolID
	if op == "SignUp" {
		pool, _ = f.poolOf(ctx, in.ClientID)
	}
	if pool != "" {
		p, err := f.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
		if err == nil {
			for _, a := range p.UserPool.UsernameAttributes {
				switch {
				case a == "email" && strings.Contains(u.Username, "@"):
					return &Error{"UsernameExistsException", "An account with the given email already exists."}
				case a == "phone_number" && strings.HasPrefix(u.Username, "+"):
					return &Error{"UsernameExistsException", "An account with the given phone_number already exists."}
				}
			}
		}
	}
	return &Error{"UsernameExistsException", "User already exists"}
}
