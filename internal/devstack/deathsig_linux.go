package devstack

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the child receive SIGTERM when this process
// dies, so a killed `make local` leaves no server behind.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
