package rie

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// configure makes the emulator lead a process group of its own, so that
// signals sent to the caller's group (such as a terminal's Ctrl-C) do not
// reach it, and makes it receive SIGTERM if the calling process dies without
// calling Close: the emulator then kills the bootstrap and exits.
//
// Linux sends that signal when the thread that started the emulator exits,
// which the Go runtime does only for a goroutine that locked its thread with
// runtime.LockOSThread and ended without unlocking it.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// snapshot reads the process table from /proc. When marker is not empty, it
// marks the processes whose environment holds MarkerEnv=marker.
func snapshot(marker string) ([]proc, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	want := []byte(MarkerEnv + "=" + marker)
	var procs []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, err := readProc(pid)
		if err != nil {
			continue // It exited meanwhile.
		}
		if marker != "" && !p.zombie {
			// Processes of other users cannot be read; they are not ours.
			if env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid)); err == nil {
				for kv := range bytes.SplitSeq(env, []byte{0}) {
					if bytes.Equal(kv, want) {
						p.marked = true
						break
					}
				}
			}
		}
		procs = append(procs, p)
	}
	return procs, nil
}

// readProc reads /proc/pid/stat.
func readProc(pid int) (proc, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return proc{}, err
	}
	// The command name, in parentheses, may hold spaces and parentheses:
	// the fields that follow start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return proc{}, fmt.Errorf("cannot parse /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return proc{}, fmt.Errorf("cannot parse /proc/%d/stat", pid)
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgid, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil {
		return proc{}, fmt.Errorf("cannot parse /proc/%d/stat", pid)
	}
	return proc{pid: pid, ppid: ppid, pgid: pgid, zombie: f[0] == "Z" || f[0] == "X"}, nil
}
