// Command echofn is a tiny Lambda function used by the rie tests.
//
// It returns the event it receives unchanged, unless the event asks for
// something else:
//
//	{"fail": true}        return an error (a function error)
//	{"panic": true}       panic inside the handler
//	{"exit": 3}           exit the process with that status
//	{"sleep": "2s"}       sleep that long before answering
//	{"log": "text"}       write text to stdout and stderr before answering
//	{"getenv": ["K"]}     answer {"env": {"K": value-or-null}} instead
//	{"size": 1000000}     answer {"data": "xxx..."} of that many bytes
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

type control struct {
	Fail   bool     `json:"fail"`
	Panic  bool     `json:"panic"`
	Exit   *int     `json:"exit"`
	Sleep  string   `json:"sleep"`
	Log    string   `json:"log"`
	Getenv []string `json:"getenv"`
	Size   int      `json:"size"`
}

func handle(_ context.Context, event json.RawMessage) (any, error) {
	var c control
	// Events that are not objects are echoed as they are.
	_ = json.Unmarshal(event, &c)
	if c.Log != "" {
		fmt.Fprintln(os.Stdout, "stdout: "+c.Log)
		fmt.Fprintln(os.Stderr, "stderr: "+c.Log)
	}
	if c.Sleep != "" {
		d, err := time.ParseDuration(c.Sleep)
		if err != nil {
			return nil, err
		}
		// Ignore ctx on purpose: this models a function that hangs.
		time.Sleep(d)
	}
	switch {
	case c.Exit != nil:
		os.Exit(*c.Exit)
	case c.Panic:
		panic("echofn was asked to panic")
	case c.Fail:
		return nil, errors.New("echofn was asked to fail")
	case len(c.Getenv) > 0:
		env := map[string]*string{}
		for _, k := range c.Getenv {
			if v, ok := os.LookupEnv(k); ok {
				env[k] = &v
			} else {
				env[k] = nil
			}
		}
		return map[string]any{"env": env}, nil
	case c.Size > 0:
		return map[string]string{"data": strings.Repeat("x", c.Size)}, nil
	}
	return event, nil
}

func main() {
	lambda.Start(handle)
}
