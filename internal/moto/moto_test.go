package moto_test

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/internal/moto"
)

func TestStartAndClose(t *testing.T) {
	srv, err := moto.Start(t.Context(), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.Endpoint + "/moto-api/data.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(srv.Endpoint + "/moto-api/"); err == nil {
		t.Error("moto_server still answers after Close")
	}
	srv.Close() // a second Close is harmless
}

func TestTakenPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	for name, check := range map[string]func() error{
		"CheckPort": func() error { return moto.CheckPort(port) },
		"Start":     func() error { _, err := moto.Start(t.Context(), port, nil); return err },
	} {
		err := check()
		if !errors.Is(err, moto.ErrPortTaken) || !strings.Contains(err.Error(), strconv.Itoa(port)) {
			t.Errorf("%s on a taken port = %v, want an error naming port %d", name, err, port)
		}
	}
}
