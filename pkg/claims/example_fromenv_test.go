package claims_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/cognitrig/cognitrig/events"
	"github.com/cognitrig/cognitrig/pkg/claims"
	"github.com/cognitrig/cognitrig/pkg/fromenv"
	"github.com/cognitrig/cognitrig/pkg/trigger"
	"github.com/cognitrig/cognitrig/pkg/triggertest"
)

// The shipped pre token generation function, built in your own program
// from a map-backed environment, with a quiet logger and a middleware of
// yours around it, invoked on a version 2 event of a user in the groups
// admins and editors: the middleware sees the claims and scopes the
// function sets.
func ExampleFromEnv() {
	env := map[string]string{
		claims.EnvIDTokenClaimsFromAttributes: "custom:tenant=tenant_id",
		claims.EnvAccessTokenScopesByGroup:    "admins=example-api/admin;editors=example-api/write",
		claims.EnvSuppressClaims:              "phone_number",
	}
	audit := func(next trigger.Next) trigger.Next {
		return func(ctx context.Context, ev trigger.Event) error {
			err := next(ctx, ev)
			if v2, ok := ev.(*trigger.PreTokenGenerationV2Event); ok {
				o := v2.Response.ClaimsAndScopeOverrideDetails
				fmt.Println("audit:", v2.TriggerSource, o.IDTokenGeneration.ClaimsToAddOrOverride, o.IDTokenGeneration.ClaimsToSuppress, o.AccessTokenGeneration.ScopesToAdd)
			}
			return err
		}
	}
	r, err := claims.FromEnv(func(k string) string { return env[k] },
		fromenv.WithTriggerOptions(
			trigger.WithLogger(slog.New(slog.DiscardHandler)),
			trigger.WithMiddleware(audit)))
	if err != nil {
		fmt.Println("cannot start:", err)
		return
	}
	event, _ := fs.ReadFile(events.FS, "pretokengen-v2/TokenGeneration_Authentication.json")
	if _, err := triggertest.Invoke(r, event); err != nil {
		fmt.Println(err)
	}
	// Output:
	// audit: TokenGeneration_Authentication map[tenant_id:tenant-example-a] [phone_number] [example-api/admin example-api/write]
}
