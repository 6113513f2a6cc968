package trigger

// ResetColdStart makes the next invocation that writes metrics the
// process's first again, for tests.
func ResetColdStart() { coldStarted.Store(false) }
