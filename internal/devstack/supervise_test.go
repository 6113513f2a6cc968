package devstack_test

import (
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitrig/cognitrig/internal/devstack"
	"github.com/cognitrig/cognitrig/internal/rie/rietest"
)

// A restart keeps the pool, its app client and its users; a clean start
// makes a new pool.
func TestRestartKeepsThePool(t *testing.T) {
	dir := t.TempDir()
	st, stop := startStackIn(t, dir, false)
	pool, client := st.UserPoolID, st.ClientID
	email := "kept@" + devstack.AllowedDomain
	if _, err := idpOf(st).SignUp(t.Context(), &cip.SignUpInput{
		ClientId: aws.String(client), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
	}); err != nil {
		t.Fatal(err)
	}
	stop()

	st, stop = startStackIn(t, dir, false)
	if st.UserPoolID != pool || st.ClientID != client {
		t.Errorf("after a restart: pool %s, client %s; want %s, %s", st.UserPoolID, st.ClientID, pool, client)
	}
	if _, err := idpOf(st).AdminGetUser(t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(st.UserPoolID), Username: aws.String(email)}); err != nil {
		t.Errorf("the user is gone after a restart: %v", err)
	}
	// The sign-in works on the kept pool.
	if _, err := idpOf(st).InitiateAuth(t.Context(), &cip.InitiateAuthInput{
		ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": email},
	}); err != nil {
		t.Errorf("InitiateAuth after a restart: %v", err)
	}
	stop()

	st, _ = startStackIn(t, dir, true)
	if st.UserPoolID == pool {
		t.Errorf("a clean start kept the pool %s", pool)
	}
	if _, err := idpOf(st).AdminGetUser(t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(st.UserPoolID), Username: aws.String(email)}); err == nil {
		t.Error("a clean start kept the user")
	}
}

// Killing a function's bootstrap or its emulator costs at most the
// invocation in flight: the sign-ups that follow, through cognito-local
// (pre sign-up) and through the front (define, create), all succeed.
func TestKilledFunctionsAreReplaced(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("finding the processes needs Linux's /proc")
	}
	dir := t.TempDir()
	st, _ := startStackIn(t, dir, false)
	idp := idpOf(st)
	n := 0
	signUpAndSignIn := func() error {
		n++
		email := "user" + string(rune('a'+n)) + "@" + devstack.AllowedDomain
		if _, err := idp.SignUp(t.Context(), &cip.SignUpInput{
			ClientId: aws.String(st.ClientID), Username: aws.String(email), Password: aws.String("Local-Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}},
		}); err != nil {
			return err
		}
		_, err := idp.InitiateAuth(t.Context(), &cip.InitiateAuthInput{
			ClientId: aws.String(st.ClientID), AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": email},
		})
		return err
	}
	if err := signUpAndSignIn(); err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"presignup", "defineauth", "createauth"} {
		for _, what := range []string{"bootstrap", "emulator"} {
			emulators, bootstraps, err := rietest.Processes(filepath.Join(dir, "functions", fn, "bootstrap"))
			if err != nil {
				t.Fatal(err)
			}
			victims := bootstraps
			if what == "emulator" {
				victims = emulators
			}
			if len(victims) != 1 {
				t.Fatalf("%s: found %d %s processes, want 1", fn, len(victims), what)
			}
			if err := syscall.Kill(victims[0], syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond) // the process is gone
			if err := signUpAndSignIn(); err != nil {
				t.Errorf("after killing the %s of %s: %v", what, fn, err)
			}
		}
	}
}

// idpOf returns a cognito-idp client of the stack's user-pool API.
func idpOf(st *devstack.Stack) *cip.Client {
	cfg := devstack.AWSConfig()
	cfg.BaseEndpoint = aws.String(st.CognitoURL)
	cfg.RetryMaxAttempts = 1
	return cip.NewFromConfig(cfg)
}
