//go:build !unix

package rie

import (
	"errors"
	"os/exec"
)

func supported() error {
	return errors.New("rie: the Lambda runtime interface emulator needs Linux or another Unix system; use WSL on Windows")
}

func configure(*exec.Cmd) {}

func killTree(int, bool, string) error { return nil }

// bootstrapGone cannot tell without a process table: it reports false.
func (in *Instance) bootstrapGone() bool { return false }
