//go:build !linux

package cognitolocal

import "os/exec"

// setParentDeathSignal does nothing where the system has no parent-death
// signal: Close must stop the child.
func setParentDeathSignal(*exec.Cmd) {}
