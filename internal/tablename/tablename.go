// Package tablename holds DynamoDB's rules for table names, so that
// package throttle, which links the AWS SDK, and package passwordlesscore,
// which must not, check a table name the same way.
package tablename

import "fmt"

// Check reports whether name follows DynamoDB's table naming rules: 3 to
// 255 characters, each a letter, a digit, "_", "-" or ".". Its error
// starts with "table name", for the caller to say whose name it is.
func Check(name string) error {
	if len(name) < 3 || len(name) > 255 {
		return fmt.Errorf("table name %q has %d characters; DynamoDB table names have 3 to 255", name, len(name))
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return fmt.Errorf("table name %q contains %q; DynamoDB table names hold only letters, digits, \"_\", \"-\" and \".\"", name, c)
		}
	}
	return nil
}
