// Package moto runs moto_server, the local emulator of AWS services
// (SES v2, SNS, KMS, DynamoDB, cognito-idp…), as a child process on a
// local port, for local stacks and tests that use the real AWS SDK
// clients. Point a client at Server.Endpoint (its BaseEndpoint, or
// AWS_ENDPOINT_URL) with any static credentials.
package moto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Binary is the name of the moto server executable, looked up in PATH.
const Binary = "moto_server"

// Server is a running moto_server.
type Server struct {
	// Endpoint is the server's address, such as "http://127.0.0.1:5000".
	Endpoint string
	cmd      *exec.Cmd
	exited   chan struct{}
	once     sync.Once
}

// Start starts moto_server on 127.0.0.1:port (0 picks a free port) and
// returns once it answers, or fails when it has not answered within
// ctx's deadline (30 seconds without one). Its output goes to log (nil
// discards it). A port that is taken is an error that names it.
func Start(ctx context.Context, port int, log io.Writer) (*Server, error) {
	bin, err := exec.LookPath(Binary)
	if err != nil {
		return nil, fmt.Errorf("%s is not on PATH; install it with pip install 'moto[server]'", Binary)
	}
	if port == 0 {
		if port, err = FreePort(); err != nil {
			return nil, fmt.Errorf("find a free port for %s: %w", Binary, err)
		}
	} else if err := CheckPort(port); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
	}
	if log == nil {
		log = io.Discard
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", Binary, err)
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(s.Endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited before answering on %s; its output says why", Binary, s.Endpoint)
		case <-ctx.Done():
			s.Close()
			return nil, fmt.Errorf("%s did not answer on %s: %w", Binary, s.Endpoint, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close stops the server and waits for it to exit.
func (s *Server) Close() error {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
	})
	return nil
}

// FreePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ErrPortTaken reports a port that another program holds.
var ErrPortTaken = errors.New("port taken")

// CheckPort reports whether port of 127.0.0.1 is free, with an error that
// names it and wraps ErrPortTaken when it is not.
func CheckPort(port int) error {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("port %d of 127.0.0.1 is taken (%w): stop what uses it, or choose another port", port, ErrPortTaken)
	}
	return l.Close()
}

// Messages is what moto_server holds of the messages it was asked to
// send, from its GET /moto-api/data.json.
type Messages struct {
	// Emails are the SES messages, oldest first. Body is the HTML part of
	// a message that has one, else its text part.
	Emails []Email
	// SMS are the SNS text messages published to phone numbers, oldest
	// first.
	SMS []SMS
}

// Email is one message sent through SES.
type Email struct {
	Source       string `json:"source"`
	Subject      string `json:"subject"`
	Body         string `json:"body"`
	Destinations struct {
		ToAddresses []string `json:"ToAddresses"`
	} `json:"destinations"`
}

// SMS is one text message sent through SNS.
type SMS struct {
	PhoneNumber string `json:"phone_number"`
	Message     string `json:"message"`
}

// Sent returns the messages the moto_server at endpoint holds.
func Sent(ctx context.Context, endpoint string) (Messages, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/moto-api/data.json", nil)
	if err != nil {
		return Messages{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Messages{}, fmt.Errorf("read moto's data: %w", err)
	}
	defer resp.Body.Close()
	var d struct {
		SES struct {
			Message []Email `json:"Message"`
		} `json:"ses"`
		SNS struct {
			SMS []SMS `json:"SMS"`
		} `json:"sns"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		return Messages{}, fmt.Errorf("decode moto's data: %w", err)
	}
	return Messages{Emails: d.SES.Message, SMS: d.SNS.SMS}, nil
}
