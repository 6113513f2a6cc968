package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// sink is the fake AWS endpoint and proxy a function is pointed at. It
// records every connection it accepts, with the request line it read, and
// refuses the request with 403 AccessDeniedException, an error the AWS SDK
// does not retry, so that a call fails at once and nothing leaves the
// machine.
type sink struct {
	ln    net.Listener
	wg    sync.WaitGroup // the accept loop and each connection
	mu    sync.Mutex
	conns []*connection
}

// connection is one connection the sink accepted.
type connection struct {
	At time.Time `json:"-"`
	// Request is the request line read from it, such as
	// "POST 127.0.0.1:1234/" or "CONNECT kms.us-east-1.amazonaws.com:443";
	// empty when none came.
	Request string `json:"request"`
}

// sinkAnswer is the body of the sink's refusal, in the shape of an AWS
// JSON protocol error.
const sinkAnswer = `{"__type":"AccessDeniedException","message":"coldstart: no AWS service on this machine"}`

// sinkReadLimit bounds how long the sink waits for a request on a
// connection.
const sinkReadLimit = 5 * time.Second

// listenSink starts a sink on a free port of 127.0.0.1.
func listenSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{ln: ln}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// url returns the sink's address as an endpoint URL.
func (s *sink) url() string { return "http://" + s.ln.Addr().String() }

func (s *sink) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		rec := &connection{At: time.Now()}
		s.mu.Lock()
		s.conns = append(s.conns, rec)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.answer(c, rec)
	}
}

// answer reads one request from c and refuses it.
func (s *sink) answer(c net.Conn, rec *connection) {
	defer s.wg.Done()
	defer c.Close()
	c.SetDeadline(time.Now().Add(sinkReadLimit))
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	line := req.Method + " " + req.Host
	if req.Method != http.MethodConnect {
		line += req.URL.RequestURI()
	}
	s.mu.Lock()
	rec.Request = line
	s.mu.Unlock()
	// Read the body: closing a connection with unread data resets it, and
	// the client would see a network error, which it retries, instead of
	// the answer.
	io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
	io.WriteString(c, "HTTP/1.1 403 Forbidden\r\n"+
		"Content-Type: application/x-amz-json-1.1\r\n"+
		"X-Amzn-Errortype: AccessDeniedException\r\n"+
		"X-Amzn-Requestid: coldstart\r\n"+
		"Connection: close\r\n"+
		"Content-Length: "+strconv.Itoa(len(sinkAnswer))+"\r\n\r\n"+sinkAnswer)
}

// before returns copies of the connections accepted before t.
func (s *sink) before(t time.Time) []connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []connection
	for _, c := range s.conns {
		if c.At.Before(t) {
			out = append(out, *c)
		}
	}
	return out
}

// all returns copies of every connection accepted so far.
func (s *sink) all() []connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]connection, len(s.conns))
	for i, c := range s.conns {
		out[i] = *c
	}
	return out
}

// close stops the sink and waits for its connections to end.
func (s *sink) close() {
	s.ln.Close()
	s.wg.Wait()
}
