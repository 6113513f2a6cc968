//go:build !linux

package main

import "os/exec"

// configure does nothing: coldstart refuses to run outside Linux.
func configure(*exec.Cmd) {}

// kill kills the bootstrap.
func kill(cmd *exec.Cmd) { cmd.Process.Kill() }
