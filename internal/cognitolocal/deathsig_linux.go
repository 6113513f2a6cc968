package cognitolocal

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the child receive SIGTERM when this process
// dies, so a killed `make local` or test leaves no cognito-local behind.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
