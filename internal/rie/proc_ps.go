//go:build unix && !linux

package rie

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// configure makes the emulator lead a process group of its own, so that
// signals sent to the caller's group (such as a terminal's Ctrl-C) do not
// reach it.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// snapshot reads the process table with ps(1). It cannot read environments,
// so it marks no process.
func snapshot(string) ([]proc, error) {
	out, err := exec.Command("ps", "-A", "-o", "pid=", "-o", "ppid=", "-o", "pgid=", "-o", "stat=").Output()
	if err != nil {
		return nil, fmt.Errorf("ps failed: %w", err)
	}
	var procs []proc
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		pid, err1 := strconv.Atoi(f[0])
		ppid, err2 := strconv.Atoi(f[1])
		pgid, err3 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		procs = append(procs, proc{pid: pid, ppid: ppid, pgid: pgid, zombie: strings.HasPrefix(f[3], "Z")})
	}
	return procs, nil
}
