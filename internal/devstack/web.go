package devstack

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// signInPage is the browser example: a passwordless sign-in with
// amazon-cognito-identity-js against the stack's user-pool API, by code
// or by magic link (which opens it at SignInPath#<token>).
//
//go:embed web/sign-in.html
var signInPage []byte

// identityJS is the browser build of amazon-cognito-identity-js in the
// tools folder (npm ci there).
const identityJS = "node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js"

// serveSignIn adds the browser example to mux, once the pool is made: the
// page at SignInPath, its configuration and amazon-cognito-identity-js
// below it.
func (st *Stack) serveSignIn(mux *http.ServeMux, tools string) error {
	lib, err := os.ReadFile(filepath.Join(tools, identityJS))
	if err != nil {
		return fmt.Errorf("read amazon-cognito-identity-js for the sign-in page: %w (run npm ci in %s; make local does)", err, tools)
	}
	serve := func(contentType string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(body)
		}
	}
	mux.Handle("GET "+SignInPath, serve("text/html; charset=utf-8", signInPage))
	config, err := json.Marshal(map[string]string{"userPoolId": st.UserPoolID, "clientId": st.ClientID, "endpoint": st.CognitoURL + "/"})
	if err != nil {
		return err
	}
	mux.Handle("GET "+SignInPath+"/config.json", serve("application/json", config))
	mux.Handle("GET "+SignInPath+"/amazon-cognito-identity.min.js", serve("text/javascript; charset=utf-8", lib))
	return nil
}
