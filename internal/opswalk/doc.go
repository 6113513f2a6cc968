// Package opswalk holds a test, and nothing else: it runs the walk-through
// of docs/operations.md (drift detection and repair against moto_server)
// as written, on a free port, and checks that each step prints what the
// page says.
package opswalk
