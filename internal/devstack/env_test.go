package devstack_test

import (
	"testing"

	"github.com/cognitrig/cognitrig/internal/devstack"
	"github.com/cognitrig/cognitrig/pkg/passwordless"
)

// The local stack gives the passwordless functions what createauth needs
// to start within its send limits: the throttle table the stack creates
// in moto_server, the default pool-wide limit, and magic links to the
// user-pool endpoint. It runs without cognito-local; TestEndToEnd's demo
// signs in through it.
func TestPasswordlessEnvironment(t *testing.T) {
	for _, fn := range devstack.Functions() {
		switch fn.Name {
		case "defineauth", "createauth", "verifyauth":
		default:
			continue
		}
		t.Run(fn.Name, func(t *testing.T) {
			env := fn.EnvAt("http://127.0.0.1:9229")
			getenv := func(k string) string { return env[k] }
			cfg, err := passwordless.ConfigFromEnv(getenv)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ThrottleTable != devstack.ThrottleTable || cfg.AllowUnlimitedSends || cfg.PoolSendLimit != passwordless.DefaultPoolSendLimit() {
				t.Errorf("table %q, unlimited %v, pool limit %v; want %q, limits on, the default", cfg.ThrottleTable, cfg.AllowUnlimitedSends, cfg.PoolSendLimit, devstack.ThrottleTable)
			}
			if fn.Name != "createauth" {
				return
			}
			if err := cfg.CheckCreate(); err != nil {
				t.Fatalf("CheckCreate: %v", err)
			}
			// The stack adds its AWS settings; building makes no call.
			aws := map[string]string{"AWS_REGION": devstack.Region, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
				"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true"}
			if _, err := passwordless.CreateFromEnv(func(k string) string {
				if v, ok := aws[k]; ok {
					return v
				}
				return env[k]
			}); err != nil {
				t.Fatalf("createauth does not start on the stack's environment: %v", err)
			}
		})
	}
}
