// Command postconfirmation is the post confirmation trigger: it adds every
// newly confirmed user to the group DEFAULT_GROUP names, and refuses to
// start without it. See docs/postconfirmation.md; the logic lives in
// pkg/groups.
package main

import (
	"github.com/cognitrig/cognitrig/pkg/groups"
	"github.com/cognitrig/cognitrig/pkg/trigger"
)

func main() {
	trigger.Main("postconfirmation", func(getenv func(string) string) (*trigger.Handler, error) {
		return groups.FromEnv(getenv)
	})
}
