package tablename

import (
	"strings"
	"testing"
)

func TestCheckFollowsDynamoDBNamingRules(t *testing.T) {
	long := strings.Repeat("a", 256)
	for name, want := range map[string]string{
		"abc":                "",
		long[:255]:           "",
		"send-throttle_1.v2": "",
		"ab":                 `table name "ab" has 2 characters; DynamoDB table names have 3 to 255`,
		long:                 `table name "` + long + `" has 256 characters; DynamoDB table names have 3 to 255`,
		"send/throttle":      `table name "send/throttle" contains '/'; DynamoDB table names hold only letters, digits, "_", "-" and "."`,
		"send throttle":      `table name "send throttle" contains ' '; DynamoDB table names hold only letters, digits, "_", "-" and "."`,
		"tablé":              `table name "tablé" contains 'é'; DynamoDB table names hold only letters, digits, "_", "-" and "."`,
		"table:1":            `table name "table:1" contains ':'; DynamoDB table names hold only letters, digits, "_", "-" and "."`,
	} {
		got := ""
		if err := Check(name); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("Check(%q) = %q, want %q", name, got, want)
		}
	}
}
