// Package ownmodule holds no code, only a test: it follows the README's
// "Write your own trigger" section word for word in a module of its
// own, outside the repository tree, so that the path a newcomer takes from
// go mod init to a local invoke keeps working.
package ownmodule
