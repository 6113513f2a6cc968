// Package cli holds what the commands of cmd/ share in reading their
// command line: a flag set that reports to the command's standard error,
// and the exit statuses of -h and of a bad flag.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses of [Parse]: every command of cmd/ exits with ExitHelp
// when asked for its usage, and with ExitUsage on a usage error.
const (
	ExitHelp  = 0
	ExitUsage = 2
)

// NewFlagSet returns a flag set named name that writes to stderr and
// leaves the errors to its caller (flag.ContinueOnError), for [Parse]. On
// -h and on a bad flag it prints usage, when not empty, then the flags'
// defaults; with an empty usage it keeps the flag package's message
// ("Usage of NAME:" and the defaults).
func NewFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if usage != "" {
		fs.Usage = func() {
			fmt.Fprint(stderr, usage)
			fs.PrintDefaults()
		}
	}
	return fs
}

// Parse parses args with fs, which must be made with
// flag.ContinueOnError, such as by [NewFlagSet]. It reports whether the
// command is done, and then the status to exit with: [ExitHelp] when -h
// or -help asked for the usage, [ExitUsage] on a bad flag. fs has printed
// the usage, and the error, already.
func Parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return ExitHelp, true
	}
	return ExitUsage, true
}
