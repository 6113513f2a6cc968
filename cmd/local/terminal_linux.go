package main

import (
	"os"
	"os/signal"
	"syscall"
	"unsafe"
)

// foreground takes the terminal on standard input, if there is one and
// this process's group holds it: it makes this process the leader of a
// process group of its own, and that group the terminal's foreground
// group. Ctrl-C then interrupts this process and the servers it starts
// (they join its group), but not make, which would report the interrupt
// and exit non-zero however cleanly this process stopped. The function it
// returns gives the terminal back to the group it came from.
func foreground() (restore func()) {
	noop := func() {}
	fd := int(os.Stdin.Fd())
	var orig int32
	if ioctl(fd, syscall.TIOCGPGRP, &orig) != nil || int(orig) != syscall.Getpgrp() {
		return noop // no terminal, or run in the background
	}
	if syscall.Setpgid(0, 0) != nil {
		return noop // a session leader, for one
	}
	own := int32(syscall.Getpgrp())
	if setForeground(fd, own) != nil {
		_ = syscall.Setpgid(0, int(orig))
		return noop
	}
	return func() {
		_ = setForeground(fd, orig)
		_ = syscall.Setpgid(0, int(orig))
	}
}

// setForeground makes pgrp the foreground process group of the terminal
// fd. A process outside the foreground group gets SIGTTOU for it, which
// would stop it: it is ignored meanwhile.
func setForeground(fd int, pgrp int32) error {
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	return ioctl(fd, syscall.TIOCSPGRP, &pgrp)
}

// ioctl reads or writes the process group id of the terminal fd.
func ioctl(fd int, req uintptr, pgrp *int32) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(unsafe.Pointer(pgrp))); errno != 0 {
		return errno
	}
	return nil
}
