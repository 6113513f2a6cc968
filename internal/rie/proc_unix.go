//go:build unix

package rie

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// proc describes one process of a process-table snapshot.
type proc struct {
	pid, ppid, pgid int
	// zombie reports that the process has exited but is not reaped yet.
	zombie bool
	// marked reports that the process's environment holds the instance
	// marker. Only Linux fills it in.
	marked bool
}

func supported() error { return nil }

// killTree kills, with SIGKILL, the emulator whose pid is root (when alive
// reports that it has not exited), every process descending from it, and
// every process carrying marker in its environment, together with their
// process groups. It then waits for them to be gone.
//
// Killing the emulator's process group is not enough: the emulator starts the
// bootstrap in a process group of its own.
func killTree(root int, alive bool, marker string) error {
	self, selfGroup := os.Getpid(), syscall.Getpgrp()
	if alive {
		// Freeze the emulator so that it starts no process while the process
		// table is read; the emulator's group holds only the emulator.
		syscall.Kill(-root, syscall.SIGSTOP)
	}
	procs, snapErr := snapshot(marker)
	var victims []proc
	if snapErr == nil {
		// Once the emulator has exited, its pid may belong to another process:
		// only follow its children while it is alive.
		from := root
		if !alive {
			from = 0
		}
		victims = family(procs, from)
	}
	groups := map[int]bool{}
	for _, p := range victims {
		if p.pid != self && p.pid > 1 {
			syscall.Kill(p.pid, syscall.SIGKILL)
		}
		if p.pgid != selfGroup && p.pgid > 1 {
			groups[p.pgid] = true
		}
	}
	for g := range groups {
		syscall.Kill(-g, syscall.SIGKILL)
	}
	if alive {
		syscall.Kill(-root, syscall.SIGKILL)
	}
	if snapErr != nil {
		return fmt.Errorf("cannot list processes to find the bootstrap, which may still run: %w", snapErr)
	}
	return awaitGone(victims, marker, 3*time.Second)
}

// family returns the processes descending from root (when root is not 0) and
// the marked ones.
func family(procs []proc, root int) []proc {
	children := map[int][]proc{}
	for _, p := range procs {
		children[p.ppid] = append(children[p.ppid], p)
	}
	seen := map[int]bool{}
	var out []proc
	add := func(p proc) bool {
		if seen[p.pid] {
			return false
		}
		seen[p.pid] = true
		out = append(out, p)
		return true
	}
	var walk func(pid int)
	walk = func(pid int) {
		for _, c := range children[pid] {
			if add(c) {
				walk(c.pid)
			}
		}
	}
	if root > 0 {
		walk(root)
	}
	for _, p := range procs {
		if p.marked && add(p) {
			walk(p.pid)
		}
	}
	return out
}

// awaitGone waits until none of victims runs any more.
func awaitGone(victims []proc, marker string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		procs, err := snapshot(marker)
		if err != nil {
			return fmt.Errorf("cannot list processes to check that the bootstrap is gone: %w", err)
		}
		left := running(procs, victims)
		if left == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d processes of the function still run after SIGKILL", left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// running counts the victims that are still in procs and not zombies.
func running(procs, victims []proc) int {
	want := map[int]bool{}
	for _, v := range victims {
		want[v.pid] = true
	}
	n := 0
	for _, p := range procs {
		if want[p.pid] && !p.zombie {
			n++
		}
	}
	return n
}

// bootstrapGone reports whether the emulator started a bootstrap, at an
// earlier invocation, that no longer runs: the emulator has no child.
func (in *Instance) bootstrapGone() bool {
	if !in.invoked.Load() {
		return false // the emulator starts the bootstrap at the first invocation
	}
	procs, err := snapshot("")
	if err != nil {
		return false
	}
	for _, p := range procs {
		if p.ppid == in.cmd.Process.Pid && !p.zombie {
			return false
		}
	}
	return true
}
