package main

import (
	"os/exec"
	"syscall"
)

// configure makes the bootstrap lead a process group of its own, so that a
// Ctrl-C meant for coldstart does not reach it, and makes Linux kill it
// should coldstart die without stopping it.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// kill kills the bootstrap and every process of its group.
func kill(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Process.Kill()
}
