// Package cognitolocal starts cognito-local, the user-pool API emulator
// (npm cognito-local, pinned in tools/package-lock.json), on 127.0.0.1:
// its configuration written, its data kept or wiped, and its answer
// awaited. It runs through tools/cognito-local.js, which also sends every
// message cognito-local delivers to the stack's mailbox (moto_server's
// SES v2 and SNS). The local stack (package devstack) runs it behind the
// front of package authfront; the front's tests run it alone.
package cognitolocal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cognitrig/cognitrig/internal/moto"
)

// Config says how to run cognito-local.
type Config struct {
	// Tools is the folder of the Node.js tools: cognito-local.js, and
	// cognito-local in node_modules after npm ci.
	Tools string
	// Home is the folder cognito-local runs in: it holds .cognito/config.json
	// and the data, .cognito/db. It is created when missing.
	Home string
	// Fresh removes the data before the start; without it the pools, app
	// clients and users of the last run are kept.
	Fresh bool
	// Port is the port of 127.0.0.1 to take; 0 picks a free one.
	Port int
	// LambdaURL is the Lambda endpoint cognito-local invokes the triggers
	// through, and Triggers maps each trigger it runs ("PreSignUp") to a
	// function name there.
	LambdaURL string
	Triggers  map[string]string
	// LambdaTimeout is how long it waits for a function before it fails
	// the call with UnexpectedLambdaException; 0 means Cognito's 5 seconds.
	LambdaTimeout time.Duration
	// IssuerDomain is the base of its tokens' iss claim ("" means its
	// own address).
	IssuerDomain string
	// Code, when set, is the code put in every message it sends (its CODE
	// setting), for scripted runs.
	Code string
	// Mailbox is the endpoint of SES v2 and SNS (moto_server) its messages
	// go to, from Sender; "" only logs them.
	Mailbox, Sender string
	// Log receives its output; nil discards it.
	Log io.Writer
}

// Server is a running cognito-local.
type Server struct {
	// URL is its address, such as http://127.0.0.1:40123.
	URL string

	cmd    *exec.Cmd
	exited chan struct{}
}

// KeyFile returns the file of cognito-local's signing key in the tools
// folder.
func KeyFile(tools string) string {
	return filepath.Join(tools, "node_modules", "cognito-local", "lib", "keys", "cognitoLocal.private.json")
}

// Installed reports, as an error saying what to run, whether cognito-local
// is missing from the tools folder.
func Installed(tools string) error {
	if _, err := os.Stat(filepath.Join(tools, "node_modules", "cognito-local", "package.json")); err != nil {
		return fmt.Errorf("cognito-local is not installed in %s: run npm ci there (make local and make test do)", tools)
	}
	return nil
}

// Start writes cognito-local's configuration and starts it, returning
// once it answers. The child also stops when this process dies (Linux).
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := Installed(cfg.Tools); err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: install Node.js 20, which cognito-local needs")
	}
	if cfg.Port == 0 {
		port, err := moto.FreePort()
		if err != nil {
			return nil, err
		}
		cfg.Port = port
	}
	dot := filepath.Join(cfg.Home, ".cognito")
	if cfg.Fresh {
		if err := os.RemoveAll(filepath.Join(dot, "db")); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dot, 0o755); err != nil {
		return nil, err
	}
	triggers := cfg.Triggers
	if triggers == nil {
		triggers = map[string]string{} // cognito-local fails on null
	}
	conf := map[string]any{
		"TriggerFunctions": triggers,
		"UserPoolDefaults": map[string]any{"UsernameAttributes": []string{"email"}},
	}
	if cfg.LambdaURL != "" {
		timeout := cfg.LambdaTimeout
		if timeout == 0 {
			timeout = 5 * time.Second
		}
		conf["LambdaClient"] = map[string]any{
			"endpoint": cfg.LambdaURL, "region": "us-east-1", "credentials": map[string]string{"accessKeyId": "local", "secretAccessKey": "local"},
			// Cognito waits 5 seconds for a function; the SDK's default
			// is two minutes, with retries.
			"maxRetries": 0, "httpOptions": map[string]any{"timeout": timeout.Milliseconds()},
		}
	}
	if cfg.IssuerDomain != "" {
		conf["TokenConfig"] = map[string]any{"IssuerDomain": cfg.IssuerDomain}
	}
	b, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dot, "config.json"), b, 0o644); err != nil {
		return nil, err
	}

	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(cfg.Port), exited: make(chan struct{})}
	script, err := filepath.Abs(filepath.Join(cfg.Tools, "cognito-local.js"))
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(node, script)
	s.cmd.Dir = cfg.Home
	s.cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(cfg.Port), "HOST=127.0.0.1", "NO_COLOR=1", "FORCE_COLOR=0",
		"MAILBOX_ENDPOINT="+cfg.Mailbox, "MAILBOX_SENDER="+cfg.Sender)
	if cfg.Code != "" {
		s.cmd.Env = append(s.cmd.Env, "CODE="+cfg.Code)
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s.cmd.Stdout, s.cmd.Stderr = cfg.Log, cfg.Log
	setParentDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start cognito-local: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.wait(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// wait waits until cognito-local answers.
func (s *Server) wait(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		if resp, err := client.Get(s.URL + "/health"); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("cognito-local exited before answering on %s; see its log", s.URL)
		case <-ctx.Done():
			return fmt.Errorf("cognito-local did not answer on %s within a minute; see its log", s.URL)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Close stops cognito-local and waits for it to exit.
func (s *Server) Close() error {
	_ = s.cmd.Process.Kill()
	<-s.exited
	return nil
}
