// Package readmeinvoke holds a test, and nothing else: it runs every
// `make invoke` example of the README as written, with no AWS variable in
// the environment, and checks that each does what the README says.
package readmeinvoke
