// Package readmeinvoke holds a test, and nothing else: it runs every
// `make invoke` example of the README and of the pages of docs/ as
// written, with no AWS variable in the environment, and checks that each
// does what the documentation says.
package readmeinvoke
