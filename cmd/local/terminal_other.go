//go:build !linux

package main

// foreground does nothing outside Linux: Ctrl-C reaches make too.
func foreground() (restore func()) { return func() {} }
