package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The roles the test binary plays in TestCtrlCStopsLocalNotMake.
const roleEnv = "COGNITRIG_LOCAL_TEST_ROLE"

func init() {
	switch os.Getenv(roleEnv) {
	case "make":
		os.Exit(playMake())
	case "local":
		os.Exit(playLocal())
	}
}

// playMake stands for make: it runs local in its own process group on
// the terminal of its standard input, and says whether Ctrl-C reached it
// too and how local exited.
func playMake() int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), roleEnv+"=local")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	interrupted := false
	select {
	case <-sigs:
		interrupted = true
	case <-time.After(200 * time.Millisecond):
	}
	fmt.Printf("make: interrupted %v, local exited %v\n", interrupted, err)
	return 0
}

// playLocal takes the terminal as main does and waits for Ctrl-C.
func playLocal() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	restore := foreground()
	fmt.Println("local: ready")
	select {
	case <-ctx.Done():
	case <-time.After(20 * time.Second):
		restore()
		fmt.Println("local: no Ctrl-C")
		return 3
	}
	restore()
	return 0
}

// TestCtrlCStopsLocalNotMake presses Ctrl-C on a terminal where a stand-in
// for make runs local: local gets it and exits 0, make does not get it.
func TestCtrlCStopsLocalNotMake(t *testing.T) {
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	out, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), roleEnv+"=make")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	go func() { _ = cmd.Wait() }()
	defer cmd.Process.Kill()

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("got output %q, want make's line", got)
			}
			got = append(got, l)
			if l == "local: ready" {
				if _, err := master.Write([]byte{3}); err != nil { // Ctrl-C
					t.Fatal(err)
				}
			}
			if strings.HasPrefix(l, "make:") {
				if want := "make: interrupted false, local exited <nil>"; l != want {
					t.Errorf("got %q, want %q: Ctrl-C must stop local, which exits 0, and not make", l, want)
				}
				return
			}
		case <-timeout:
			t.Fatalf("got output %q in 30 s, want make's line", got)
		}
	}
}

// openPTY opens a pseudo-terminal pair.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	var n, unlock int32
	if err := ioctl(int(master.Fd()), syscall.TIOCSPTLCK, &unlock); err != nil {
		master.Close()
		return nil, nil, err
	}
	if err := ioctl(int(master.Fd()), syscall.TIOCGPTN, &n); err != nil {
		master.Close()
		return nil, nil, err
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
